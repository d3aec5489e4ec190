/**
 * The languages Wharf speaks, and how a caller's preference is read: `--lang`, then the POSIX
 * locale variables (LC_ALL, LC_MESSAGES, LANG, LANGUAGE), or an HTTP Accept-Language header.
 * Anything unknown falls back to English. Portuguese is Brazilian Portuguese (`pt`, `pt_BR`).
 */
export const LANGUAGES = ['en', 'fr', 'sv', 'pl', 'pt-BR'] as const;
export type Language = (typeof LANGUAGES)[number];
const DEFAULT_LANGUAGE: Language = 'en';

/** `fr_FR.UTF-8`, `fr-CA`, `pt_BR`, `sv`, `C.UTF-8` → a Language, or undefined. */
export function matchLanguage(tag: string | undefined): Language | undefined {
  if (!tag) return undefined;
  const base = tag.trim().split(/[.@]/)[0]!.replace('_', '-').toLowerCase();
  if (base === '' || base === 'c' || base === 'posix') return undefined;
  const primary = base.split('-')[0]!;
  switch (primary) {
    case 'en':
    case 'fr':
    case 'sv':
    case 'pl':
      return primary;
    case 'pt':
      return 'pt-BR';
    default:
      return undefined;
  }
}

/** The first of `candidates` that names a language Wharf speaks; English otherwise. */
export function pickLanguage(...candidates: (string | undefined)[]): Language {
  for (const candidate of candidates) {
    const language = matchLanguage(candidate);
    if (language) return language;
  }
  return DEFAULT_LANGUAGE;
}

/** The language of a command line: `--lang`, else LC_ALL, LC_MESSAGES, LANG, LANGUAGE's first entry. */
export function languageOf(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Language {
  if (flag !== undefined && matchLanguage(flag) === undefined && flag.trim() !== '') {
    throw new Error(`unknown language '${flag}': use one of ${LANGUAGES.join(', ')}`);
  }
  return pickLanguage(flag, env.LC_ALL, env.LC_MESSAGES, env.LANG, env.LANGUAGE?.split(':')[0]);
}

/** The preferred language of an Accept-Language header (`pl-PL,pl;q=0.9,en;q=0.8`). */
export function languageOfAcceptLanguage(header: string | undefined): Language {
  if (!header) return DEFAULT_LANGUAGE;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      return { tag: tag!.trim(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((entry) => entry.weight > 0 && entry.tag !== '*')
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  return pickLanguage(...ranked.map((entry) => entry.tag));
}

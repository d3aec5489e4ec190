/**
 * Every message of every catalog, rendered in every language, reads in that language: nothing
 * left identical to English (codes, product names and commands aside, listed below with why),
 * no common English word inside a translation, the same placeholders as English (plural
 * variants included), and every plural category the language has. The catalogs are found by
 * loading every module that defines one, so a new catalog is covered without being listed.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { LANGUAGES, pluralGroups, translator, type Catalog, type Language, type Messages } from '../../src/i18n/index.js';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

function catalogModules(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return catalogModules(path);
    return path.endsWith('.js') && !path.includes(`${join('src', 'i18n')}`) && readFileSync(path, 'utf8').includes('defineCatalog(') ? [path] : [];
  });
}

function isCatalog(value: unknown): value is Catalog<Messages> {
  return typeof value === 'object' && value !== null && 'namespace' in value && 'messages' in value;
}

const CATALOGS: Catalog<Messages>[] = [];
/** Modules that define a catalog but export none: their catalog would go untested. */
const UNEXPORTED: string[] = [];
for (const path of catalogModules(SRC)) {
  const found = Object.values(await import(pathToFileURL(path).href)).filter(isCatalog);
  if (found.length === 0) UNEXPORTED.push(path);
  CATALOGS.push(...found);
}

const TRANSLATED = LANGUAGES.filter((l): l is Exclude<Language, 'en'> => l !== 'en');

/**
 * Messages that read the same as English in every language, and why. Only codes, product
 * names, commands and pure placeholders belong here: a sentence never does.
 */
const SAME_AS_ENGLISH = new Map<string, string>([
  ['health.labelOk', 'OK: the status word every language uses as is'],
  ['diagnose.label.ok', 'OK: the status word every language uses as is'],
  ['health.providerFix', 'a command line'],
  ['health.tokenPasswordExpiredFix', 'a command line'],
  ['health.forbiddenFirewallFix', 'a command line'],
  ['health.permissionRoleFix', 'a command line'],
  ['health.permissionScopeMapFix', 'a command line'],
  ['cli.caClient', "a client's name and its colon (French spaces the colon)"],
]);
/** The same, for one language only (a word spelled alike in both languages). */
const TOKEN_IS_THE_WORD: [string, string][] = [['arm-reasons.kindToken', '"token" is the word']];
const STATUS_IS_THE_WORD: [string, string][] = [['cli-output.status', '"Status" is the word for a state shown in a table']];
/** Lines of names, numbers and words given as values, with the colon and percent sign as English sets them. */
const PUNCTUATION_AS_ENGLISH: [string, string][] = [
  ['cli-output.progressLine', 'no space before ":" or "%" in this language'],
  ['cli-output.listedProblem', 'no space before ":" in this language'],
];
/** "blob" and "manifest" before a digest, where the glossary's word is the English one. */
const BLOB_IS_THE_WORD: [string, string][] = [
  ['cli-output.listedBlob', '"blob" is the glossary’s word'],
  ['cli.nBlobs', '"N blob(s)": "blob" is the glossary’s word'],
];
const MANIFEST_IS_THE_WORD: [string, string][] = [
  ['cli-output.listedManifest', '"manifest" is the glossary’s word'],
  ['cli.nManifests', '"1 manifest": "manifest" is the glossary’s word'],
];
const SAME_IN: Partial<Record<Language, Map<string, string>>> = {
  fr: new Map([
    ['health.labelCause', '« Cause » is the French word'],
    ['diagnose.label.cause', '« Cause » is the French word'],
    ['cli-help.usageOptions', '« [options] » is the French word in a usage line'],
    ['cli-output.action', '« Action » is the French word (a network rule’s action)'],
    ['cli-output.architecture', '« Architecture » is the French word'],
    ['cli-output.description', '« Description » is the French word'],
    ['cli-output.type', '« Type » is the French word'],
    ...BLOB_IS_THE_WORD,
  ]),
  sv: new Map([...TOKEN_IS_THE_WORD, ...STATUS_IS_THE_WORD, PUNCTUATION_AS_ENGLISH[1]!, ...BLOB_IS_THE_WORD, ...MANIFEST_IS_THE_WORD]),
  pl: new Map([...TOKEN_IS_THE_WORD, ...STATUS_IS_THE_WORD, ...PUNCTUATION_AS_ENGLISH, ...MANIFEST_IS_THE_WORD]),
  'pt-BR': new Map([
    ...TOKEN_IS_THE_WORD,
    ...STATUS_IS_THE_WORD,
    ...PUNCTUATION_AS_ENGLISH,
    ...BLOB_IS_THE_WORD,
    ['arm-reasons.quotaTokens', '"tokens" is the word'],
    ['cli-output.digest', '"digest" is the glossary’s word'],
    ['cli-output.tags', '"tag" is the glossary’s word'],
  ]),
};

/** Common English words no translation should contain (outside quoted names, commands and codes). */
const ENGLISH_WORDS = [
  'the',
  'is',
  'are',
  'was',
  'were',
  'not',
  'must',
  'cannot',
  'could',
  'should',
  'would',
  'with',
  'has',
  'have',
  'does',
  'please',
  'which',
  'your',
  'been',
  'only',
  'when',
  'because',
  'failed',
  'denied',
  'refused',
  'allowed',
  'found',
  'invalid',
  'unknown',
  'missing',
  'expired',
  'and',
  'you',
  'this',
  'that',
  'from',
  'there',
  'than',
  'of',
  'an',
  'no longer',
  'any',
  'error',
  'request',
  'requests',
  'registry',
  'repository',
  'access',
  'rule',
  'rules',
  'enabled',
  'disabled',
  'first',
  'again',
];
const ENGLISH = new RegExp(`(?<![\\p{L}\\p{N}_-])(${ENGLISH_WORDS.join('|')})(?![\\p{L}\\p{N}_-])`, 'iu');

/**
 * What a reader reads as prose: quoted names ('…', `…`, «…», "…"), commands after `az`/`wharf`/
 * `docker`/`helm`/`podman`, flags, URLs, paths and identifiers (camelCase, snake_case,
 * dotted, with digits or slashes) and ACR's setting values (Enabled, Disabled, Allow, Deny) are
 * taken out.
 */
function prose(text: string): string {
  return text
    .replace(/(?<!\p{L})'[^'\n]*'(?!\p{L})|`[^`\n]*`|"[^"\n]*"|«[^»]*»|„[^”]*”|“[^”]*”|”[^”]*”/gu, ' ')
    .replace(/\b(az|wharf|docker|podman|helm|skopeo|oras|notation|curl|npm|node)\b[^.;,()]*?(?=[.;,()]|$)/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .split(/\s+/)
    .filter(
      (word) =>
        !/[/\\=_<>{}[\]@$#|]|--|\p{Ll}\p{Lu}|[.:]\p{L}|\d/u.test(word) && !/^\p{Lu}{2,}/u.test(word) && !/^(Enabled|Disabled|Allow|Deny)\p{P}*$/u.test(word),
    )
    .join(' ');
}

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{\s*([^}\s,]+)[^}]*\}\}/g)].map((m) => m[1]!))].sort();
}

/** Values that carry no words of their own: each placeholder renders as its number in brackets. */
function sampleValues(text: string, count?: number): Record<string, string | number> {
  const values: Record<string, string | number> = {};
  for (const [index, name] of placeholders(text).entries()) values[name] = `‹${index}›`;
  if (count !== undefined) values.count = count;
  return values;
}

/** Counts that reach every plural category of the five languages (1, 2–4, 5+, 22, 1 000 000). */
const COUNTS = [0, 1, 2, 5, 22, 1_000_000];

interface Rendering {
  where: string;
  english: string;
  text: string;
}

function renderings(catalog: Catalog<Messages>, language: Exclude<Language, 'en'>): Rendering[] {
  const english = catalog.messages.en;
  const groups = pluralGroups(english);
  const t = translator(catalog, language);
  const en = translator(catalog, 'en');
  const out: Rendering[] = [];
  for (const key of Object.keys(english)) {
    if (/_(zero|one|two|few|many|other)$/.test(key)) continue;
    const values = sampleValues(english[key]!);
    out.push({ where: `${catalog.namespace}.${key} (${language})`, english: en(key, values), text: t(key, values) });
  }
  for (const [base, variants] of groups) {
    const all = variants.map((v) => english[`${base}_${v}`]!).join(' ');
    for (const count of COUNTS) {
      const values = sampleValues(all, count);
      out.push({ where: `${catalog.namespace}.${base} count=${count} (${language})`, english: en(base, values), text: t(base, values) });
    }
  }
  return out;
}

function allowedSame(catalog: Catalog<Messages>, key: string, language: Language): boolean {
  const id = `${catalog.namespace}.${key.replace(/ count=\d+$/, '')}`;
  return SAME_AS_ENGLISH.has(id) || (SAME_IN[language]?.has(id) ?? false);
}

test('catalogs are found and their namespaces are unique', () => {
  assert.deepEqual(UNEXPORTED, [], 'every module that defines a catalog exports it (mark it @public for knip)');
  assert.ok(CATALOGS.length >= 14, `only ${CATALOGS.length} catalogs found`);
  const names = CATALOGS.map((c) => c.namespace);
  assert.equal(new Set(names).size, names.length, names.join(', '));
});

test('the allowlists name messages that exist', () => {
  const ids = new Set(CATALOGS.flatMap((c) => [...Object.keys(c.messages.en), ...pluralGroups(c.messages.en).keys()].map((k) => `${c.namespace}.${k}`)));
  for (const id of [...SAME_AS_ENGLISH.keys(), ...Object.values(SAME_IN).flatMap((m) => [...m.keys()])]) assert.ok(ids.has(id), `${id} is not a message`);
});

test('the English-word check finds English: it flags most English sentences of the catalogs', () => {
  const sentences = CATALOGS.flatMap((c) => Object.values(c.messages.en)).filter((text) => prose(text).split(' ').length >= 6);
  const flagged = sentences.filter((text) => ENGLISH.test(prose(text)));
  assert.ok(flagged.length / sentences.length > 0.8, `${flagged.length} of ${sentences.length}`);
  assert.ok(!ENGLISH.test(prose("Le registre 'the-registry' refuse l’accès : az acr update --name the-registry --default-action Allow")));
});

for (const catalog of CATALOGS) {
  test(`${catalog.namespace}: every key in every language has English's placeholders and its language's plural forms`, () => {
    const english = catalog.messages.en;
    const problems: string[] = [];
    const englishGroups = pluralGroups(english);
    for (const language of TRANSLATED) {
      const translated = catalog.messages[language];
      const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
      for (const [key, source] of Object.entries(english)) {
        const plural = /^(.+)_(zero|one|two|few|many|other)$/.exec(key);
        if (plural && englishGroups.has(plural[1]!)) continue;
        const text = translated[key];
        if (text === undefined || text.trim() === '') problems.push(`${catalog.namespace}.${key} (${language}) is missing or empty`);
        else if (placeholders(text).join() !== placeholders(source).join())
          problems.push(`${catalog.namespace}.${key} (${language}): {{${placeholders(text).join(', ')}}} instead of {{${placeholders(source).join(', ')}}}`);
      }
      for (const [base, variants] of englishGroups) {
        const needed = placeholders(variants.map((v) => english[`${base}_${v}`]!).join(' '));
        for (const category of categories) {
          const text = translated[`${base}_${category}`];
          if (text === undefined) {
            if (!(category === 'many' && language !== 'pl')) problems.push(`${catalog.namespace}.${base}_${category} (${language}) is missing`);
            continue;
          }
          // {{count}} is always given to a plural: a form may show it or spell its number out.
          const expected = needed.filter((name) => name !== 'count');
          const got = placeholders(text).filter((name) => name !== 'count');
          if (got.join() !== expected.join())
            problems.push(`${catalog.namespace}.${base}_${category} (${language}): {{${got.join(', ')}}} instead of {{${expected.join(', ')}}}`);
        }
        for (const key of Object.keys(translated).filter((k) => k.startsWith(`${base}_`))) {
          const category = key.slice(base.length + 1) as Intl.LDMLPluralRule;
          if (!categories.includes(category)) problems.push(`${catalog.namespace}.${key} (${language}) is no plural category of ${language}`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  test(`${catalog.namespace}: every rendering reads in its language, not in English`, () => {
    const problems: string[] = [];
    for (const language of TRANSLATED) {
      for (const { where, english, text } of renderings(catalog, language)) {
        const key = where.replace(/^[^.]+\./, '').replace(/ \(.*\)$/, '');
        if (allowedSame(catalog, key, language)) continue;
        if (text.trim() === english.trim()) problems.push(`${where} is still English: ${text}`);
        else {
          const found = ENGLISH.exec(prose(text));
          if (found) problems.push(`${where} contains the English word "${found[1]}": ${text}`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });
}

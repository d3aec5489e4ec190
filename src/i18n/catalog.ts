/**
 * Message catalogs: one per area (check-health, diagnose, registry errors…), each giving every
 * message in every language. The English messages define the keys; the type makes a missing
 * translation a compile error. Placeholders are i18next's `{{name}}`.
 *
 * Plurals are i18next's: a message counted by `{{count}}` is a group of keys `name_one`,
 * `name_other` (and `_few`, `_many` where the language has them, after Intl.PluralRules), used
 * as `name` with a `count` value. English decides which keys are plural groups; each language
 * carries the variants its own plural rules need (Polish: one, few, many, other).
 */
import i18next, { type i18n } from 'i18next';
import { LANGUAGES, type Language } from './languages.js';

export type Messages = Record<string, string>;

type PluralCategory = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other';
type PluralKey = `${string}_${PluralCategory}`;
/** The plural groups of a catalog: `name` for keys `name_one`, `name_other`… */
type PluralBase<K> = K extends `${infer B}_${PluralCategory}` ? B : never;
/** Keys that are not part of a plural group. */
type SingularKey<E> = Exclude<keyof E, PluralKey>;

/** The variants each language must give for a plural group (Intl.PluralRules' categories; `many` in French and Portuguese only for millions, so optional). */
interface RequiredPlurals {
  fr: 'one' | 'other';
  sv: 'one' | 'other';
  pl: 'one' | 'few' | 'many' | 'other';
  'pt-BR': 'one' | 'other';
}

/** One language's messages for English `E`: every singular key, and each plural group in the language's own variants. */
type Translation<E extends Messages, L extends keyof RequiredPlurals> = { [K in SingularKey<E>]: string } & {
  [K in PluralBase<keyof E> as `${K & string}_${RequiredPlurals[L]}`]: string;
} & { [K in PluralBase<keyof E> as `${K & string}_${Exclude<PluralCategory, RequiredPlurals[L]>}`]?: string };

type Translations<E extends Messages> = { [L in keyof RequiredPlurals]: Translation<E, L> };

/** The keys a caller uses: singular keys and plural groups (given a `count`). */
export type MessageKey<E extends Messages> = Extract<SingularKey<E> | PluralBase<keyof E>, string>;
/** The keys of a catalog, for the factories that render it. */
export type CatalogKey<C> = C extends Catalog<infer E> ? MessageKey<E> : never;

export interface Catalog<E extends Messages> {
  /** The i18next namespace: unique per catalog. */
  namespace: string;
  messages: { en: E } & Record<Exclude<Language, 'en'>, Messages>;
}

export type Translate<K extends string> = (key: K, values?: Record<string, string | number>) => string;

/** Every catalog defined, by namespace: what renders a message stored as its namespace, key and values (an audit row's). */
const catalogs = new Map<string, Catalog<Messages>>();

export function defineCatalog<const E extends Messages>(namespace: string, en: E, others: Translations<E>): Catalog<E> {
  const catalog: Catalog<E> = { namespace, messages: { en, ...others } as Catalog<E>['messages'] };
  catalogs.set(namespace, catalog as unknown as Catalog<Messages>);
  return catalog;
}

/** The catalog of `namespace`, if one is defined. */
export function catalogOf(namespace: string): Catalog<Messages> | undefined {
  return catalogs.get(namespace);
}

/** The plural groups of `messages`, each with the variants it gives. */
export function pluralGroups(messages: Messages): Map<string, PluralCategory[]> {
  const groups = new Map<string, PluralCategory[]>();
  for (const key of Object.keys(messages)) {
    const match = /^(.+)_(zero|one|two|few|many|other)$/.exec(key);
    if (!match) continue;
    const variants = groups.get(match[1]!) ?? [];
    variants.push(match[2] as PluralCategory);
    groups.set(match[1]!, variants);
  }
  return groups;
}

/**
 * One i18next instance for every language: each call names its language. Synchronous init
 * (resources are in memory); no escaping, as output goes to terminals and JSON, not HTML.
 */
const instance: i18n = i18next.createInstance();
void instance.init({
  lng: 'en',
  fallbackLng: 'en',
  resources: {},
  initAsync: false,
  interpolation: { escapeValue: false },
  returnNull: false,
  showSupportNotice: false,
} as Parameters<i18n['init']>[0]);

const loaded = new Set<string>();

/** A language's messages with every plural category Intl knows for it, missing ones taken from `_other`. */
function completePlurals(messages: Messages, language: Language): Messages {
  const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories as PluralCategory[];
  const complete: Messages = { ...messages };
  for (const [base] of pluralGroups(messages)) {
    for (const category of categories) complete[`${base}_${category}`] ??= messages[`${base}_other`] ?? '';
  }
  return complete;
}

function load<E extends Messages>(catalog: Catalog<E>): void {
  if (loaded.has(catalog.namespace)) return;
  for (const language of LANGUAGES) {
    instance.addResourceBundle(language, catalog.namespace, completePlurals(catalog.messages[language], language), true, true);
  }
  loaded.add(catalog.namespace);
}

/** A function giving the catalog's messages in `language`, with `{{placeholders}}` filled. */
export function translator<E extends Messages>(catalog: Catalog<E>, language: Language): Translate<MessageKey<E>> {
  load(catalog);
  const t = instance.getFixedT(language, catalog.namespace);
  return (key, values) => t(key, values ?? {}) as string;
}

/**
 * Message catalogs: one per area (check-health, diagnose, registry errors…), each giving every
 * message in every language. The English messages define the keys; the type makes a missing
 * translation a compile error. Placeholders are i18next's `{{name}}`.
 */
import i18next, { type i18n } from 'i18next';
import { LANGUAGES, type Language } from './languages.js';

export type Messages = Record<string, string>;
export type Translations<E extends Messages> = Record<Exclude<Language, 'en'>, { [K in keyof E]: string }>;

export interface Catalog<E extends Messages> {
  /** The i18next namespace: unique per catalog. */
  namespace: string;
  messages: Record<Language, { [K in keyof E]: string }>;
}

export type Translate<K extends string> = (key: K, values?: Record<string, string | number>) => string;

export function defineCatalog<const E extends Messages>(namespace: string, en: E, others: Translations<E>): Catalog<E> {
  return { namespace, messages: { en, ...others } as Catalog<E>['messages'] };
}

const instances = new Map<Language, i18n>();
const loaded = new Set<string>();

function instanceFor(language: Language): i18n {
  let instance = instances.get(language);
  if (!instance) {
    instance = i18next.createInstance();
    // Synchronous init: resources are in memory. No escaping: output goes to terminals and JSON, not HTML.
    void instance.init({
      lng: language,
      fallbackLng: 'en',
      resources: {},
      initAsync: false,
      interpolation: { escapeValue: false },
      returnNull: false,
      showSupportNotice: false,
    } as Parameters<i18n['init']>[0]);
    instances.set(language, instance);
  }
  return instance;
}

function load<E extends Messages>(catalog: Catalog<E>): void {
  if (loaded.has(catalog.namespace)) return;
  for (const language of LANGUAGES) {
    for (const target of LANGUAGES) {
      // Every instance gets every language so the English fallback works everywhere.
      instanceFor(target).addResourceBundle(language, catalog.namespace, catalog.messages[language], true, true);
    }
  }
  loaded.add(catalog.namespace);
}

/** A function giving the catalog's messages in `language`, with `{{placeholders}}` filled. */
export function translator<E extends Messages>(catalog: Catalog<E>, language: Language): Translate<Extract<keyof E, string>> {
  load(catalog);
  const instance = instanceFor(language);
  const t = instance.getFixedT(language, catalog.namespace);
  return (key, values) => t(key, values ?? {}) as string;
}

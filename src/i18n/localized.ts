/**
 * Text that is rendered late: an error is made where the failure is found, in no particular
 * language, and written in the caller's language only when it is sent. A LocalizedText is a
 * catalog key with its values; its English rendering is what Error.message, logs and audits see.
 */
import { translator, type Catalog, type MessageKey, type Messages } from './catalog.js';
import type { Language } from './languages.js';

export class LocalizedText {
  constructor(private readonly render: (language: Language) => string) {}

  in(language: Language): string {
    return this.render(language);
  }

  toString(): string {
    return this.render('en');
  }
}

/** A value placed into a message: plain text stays as it is, LocalizedText follows the language. */
export type MessageValue = string | number | LocalizedText;
/** Free text (English only, e.g. a validator's `why`) or a localized message. */
export type Text = string | LocalizedText;

/** The message `key` of `catalog` with `values`, in whatever language it is rendered in. */
export function localize<E extends Messages>(catalog: Catalog<E>, key: MessageKey<E>, values: Record<string, MessageValue> = {}): LocalizedText {
  return new LocalizedText((language) => {
    const resolved: Record<string, string | number> = {};
    for (const [name, value] of Object.entries(values)) resolved[name] = value instanceof LocalizedText ? value.in(language) : value;
    return translator(catalog, language)(key, resolved);
  });
}

export function textIn(text: Text, language: Language): string {
  return typeof text === 'string' ? text : text.in(language);
}

/**
 * Text that is rendered late: an error is made where the failure is found, in no particular
 * language, and written in the caller's language only when it is sent. A LocalizedText is a
 * catalog key with its values; its English rendering is what Error.message, logs and audits see.
 */
import { catalogOf, translator, type Catalog, type MessageKey, type Messages } from './catalog.js';
import type { Language } from './languages.js';

/**
 * A catalog message as data: its namespace, key and values (nested messages included), so a
 * record (an audit row) can keep it and render it later in its reader's language.
 */
export interface StoredMessage {
  namespace: string;
  key: string;
  values: Record<string, string | number | StoredMessage>;
}

export class LocalizedText {
  /**
   * @param message the catalog message this text renders, when it is one whose values are all
   * names, numbers or such messages (free text framed in a message has none)
   */
  constructor(
    private readonly render: (language: Language) => string,
    readonly message?: StoredMessage,
  ) {}

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
  return new LocalizedText(
    (language) => {
      const resolved: Record<string, string | number> = {};
      for (const [name, value] of Object.entries(values)) resolved[name] = value instanceof LocalizedText ? value.in(language) : value;
      return translator(catalog, language)(key, resolved);
    },
    storedMessage(catalog.namespace, key, values),
  );
}

function storedMessage(namespace: string, key: string, values: Record<string, MessageValue>): StoredMessage | undefined {
  const stored: StoredMessage['values'] = {};
  for (const [name, value] of Object.entries(values)) {
    if (!(value instanceof LocalizedText)) stored[name] = value;
    else if (value.message) stored[name] = value.message;
    else return undefined;
  }
  return { namespace, key, values: stored };
}

/** A stored message in `language`; undefined when its namespace or key is not one this code knows. */
export function renderStoredMessage(message: StoredMessage, language: Language): string | undefined {
  if (typeof message.values !== 'object' || message.values === null) return undefined;
  const catalog = catalogOf(message.namespace);
  if (!catalog || !Object.hasOwn(catalog.messages.en, message.key)) return undefined;
  const resolved: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(message.values)) {
    if (typeof value !== 'object') resolved[name] = value;
    else {
      const nested = renderStoredMessage(value, language);
      if (nested === undefined) return undefined;
      resolved[name] = nested;
    }
  }
  return translator(catalog, language)(message.key as MessageKey<Messages>, resolved);
}

/** The audit row's `reason_key` of a stored message: `namespace:key` (a decision's reason key has no colon). */
export function storedMessageKey(message: StoredMessage): string {
  return `${message.namespace}:${message.key}`;
}

/** A message read back from a row's key and values; undefined when they are not one. */
export function parseStoredMessage(key: string | null | undefined, values: string | null | undefined): StoredMessage | undefined {
  const colon = key?.indexOf(':') ?? -1;
  if (!key || colon <= 0) return undefined;
  try {
    const parsed: unknown = JSON.parse(values ?? '{}');
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    return { namespace: key.slice(0, colon), key: key.slice(colon + 1), values: parsed as StoredMessage['values'] };
  } catch {
    return undefined;
  }
}

export function textIn(text: Text, language: Language): string {
  return typeof text === 'string' ? text : text.in(language);
}

/**
 * A request's access decision as a value: which stage decided (the network gate,
 * authentication, authorization, or the token request itself), by which rule, and why — the
 * why being a message key of the reasons catalog with structured values, never a sentence.
 * The same value is rendered once for the wire (refusal.ts, in the request's language), once
 * for the audit row (audit/audit-hook.ts, its key and values stored beside the English text),
 * and read back by `wharf diagnose` and `wharf logs` (docs/architecture.md, "The request path").
 */
import { LocalizedText, renderStoredMessage, type StoredMessage } from '../i18n/localized.js';
import { translator } from '../i18n/catalog.js';
import type { Language } from '../i18n/languages.js';
import { lifetimeText } from './lifetime-text.js';
import { reasonMessages } from './reason-messages.js';

export type ReasonKey = Extract<keyof typeof reasonMessages.messages.en, string>;

/** A length of time, written in the reader's language ("3 hours", "3 heures"). */
interface Duration {
  seconds: number;
}

/**
 * A value placed into a reason: a name, a number, a duration, another reason or a list of them,
 * or a stored catalog message (an error's, kept by its audit row) — all rendered in the same language.
 */
export type ReasonValue = string | number | Duration | Reason | Reason[] | StoredMessage;

export interface Reason {
  key: ReasonKey;
  values: Record<string, ReasonValue>;
}

export type DecisionStage = 'network' | 'authentication' | 'authorization' | 'request';

export interface Decision {
  allowed: boolean;
  stage: DecisionStage;
  /** The rule that decided, as code: `credential:wrongPassword`, `refreshToken:expired`, `trustedService:tasks`… */
  rule?: string;
  reason: Reason;
}

export function reason(key: ReasonKey, values: Record<string, ReasonValue> = {}): Reason {
  return { key, values };
}

function isReason(value: unknown): value is Reason {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.key === 'string' && Object.hasOwn(reasonMessages.messages.en, record.key) && typeof record.values === 'object' && record.values !== null;
}

/**
 * Rendered reasons, by language, key and values. Every audited pull renders its reason (the
 * same few, over and over) and i18next's interpolation costs far more than a Map lookup;
 * bounded, so names chosen by clients cannot grow it.
 */
const rendered = new Map<string, string>();
const RENDERED_MAX = 4096;

/** The reason in `language`, nested reasons included. */
export function renderReason(value: Reason, language: Language): string {
  const id = `${language}\u0000${value.key}\u0000${JSON.stringify(value.values)}`;
  const cached = rendered.get(id);
  if (cached !== undefined) return cached;
  const t = translator(reasonMessages, language);
  const resolved: Record<string, string | number> = {};
  for (const [name, v] of Object.entries(value.values))
    resolved[name] =
      typeof v !== 'object'
        ? v
        : Array.isArray(v)
          ? v.map((item) => renderReason(item, language)).join(', ')
          : isStoredMessage(v)
            ? (renderStoredMessage(v, language) ?? '')
            : 'key' in v
              ? renderReason(v, language)
              : lifetimeText(v.seconds).in(language);
  const text = t(value.key, resolved);
  if (rendered.size >= RENDERED_MAX) rendered.clear();
  rendered.set(id, text);
  return text;
}

/** The reason as text rendered late, in whatever language the error carrying it is sent. */
export function reasonText(value: Reason, capitalized = false): LocalizedText {
  return new LocalizedText((language) => {
    const text = renderReason(value, language);
    return capitalized ? `${text.charAt(0).toLocaleUpperCase(language)}${text.slice(1)}` : text;
  });
}

/** The English text the audit row keeps in its `reason` column (ACR-style rows read the same as before). */
export function englishReason(value: Reason): string {
  return renderReason(value, 'en');
}

/** What the audit row stores beside the text: the key and its values as JSON. */
export function storedReason(value: Reason): { key: string; values: string } {
  return { key: value.key, values: JSON.stringify(value.values) };
}

/** A stored key and values read back; undefined when the row has none (written before 0009) or it is not one this code knows. */
export function parseStoredReason(key: string | null | undefined, values: string | null | undefined): Reason | undefined {
  if (!key) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(values ?? '{}');
  } catch {
    return undefined;
  }
  const candidate = { key, values: parsed };
  return isReason(candidate) && valuesKnown(candidate.values) ? candidate : undefined;
}

function valuesKnown(values: Record<string, unknown>): boolean {
  return Object.values(values).every((v) =>
    Array.isArray(v)
      ? v.length > 0 && v.every(knownReason)
      : typeof v === 'string' || typeof v === 'number' || isDuration(v) || knownReason(v) || knownMessage(v),
  );
}

/** A catalog message as an audit row stores it: `namespace`, `key` and `values`. */
function isStoredMessage(value: unknown): value is StoredMessage {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as StoredMessage).namespace === 'string';
}

/** A stored message this code can render (its namespace and key exist, its values are ones a message takes). */
function knownMessage(value: unknown): boolean {
  return isStoredMessage(value) && typeof value.key === 'string' && renderStoredMessage(value, 'en') !== undefined;
}

function knownReason(value: unknown): boolean {
  return isReason(value) && valuesKnown(value.values);
}

function isDuration(value: unknown): value is Duration {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !('key' in value) && typeof (value as Duration).seconds === 'number';
}

/** Every key a reason uses, outermost first: what diagnose classifies a recorded refusal by. */
export function reasonKeys(value: Reason): ReasonKey[] {
  const keys: ReasonKey[] = [value.key];
  for (const v of Object.values(value.values)) {
    if (Array.isArray(v)) for (const item of v) keys.push(...reasonKeys(item));
    else if (typeof v === 'object' && !isStoredMessage(v) && 'key' in v) keys.push(...reasonKeys(v));
  }
  return keys;
}

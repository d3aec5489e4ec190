/**
 * Attacker-chosen text (user names, user agents, repository names of refused requests) as the
 * audit trail stores it: cut to a length and with control characters made visible, so that a
 * user name cannot fill the disk nor rewrite an operator's terminal when `wharf logs` prints it.
 */

/**
 * C0 controls, DEL, C1 controls (ESC and CSI start terminal sequences), and the Unicode
 * characters that reorder or break a displayed line (bidi controls, line/paragraph separators).
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');

/** Longest stored values; longer ones are cut with an ellipsis. */
export const STORED_LIMITS = {
  identity: 256,
  userAgent: 512,
  repository: 256,
  reference: 256,
  address: 64,
  reason: 1024,
} as const;

/** Control characters as visible escapes: ESC becomes the six characters `\u001b`. */
export function escapeControls(text: string): string {
  if (!UNSAFE.test(text)) return text;
  return text.replace(UNSAFE_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `text` escaped and cut to `max` characters (with an ellipsis when cut). */
export function storedText(text: string, max: number): string {
  const visible = escapeControls(text);
  return visible.length <= max ? visible : `${visible.slice(0, max - 1)}…`;
}

/** storedText for optional columns. */
export function storedOptional(text: string | null | undefined, max: number): string | null {
  return text === undefined || text === null ? null : storedText(text, max);
}

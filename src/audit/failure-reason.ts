/**
 * The reason of a refused request, read from its error body when the handler gave none: the
 * first OCI error's message (`{"errors":[{"message"}]}`), an OAuth/Entra `error_description`,
 * or an ARM `{"error":{"message"}}`. Bodies are what the client sees, so nothing secret.
 */

/** Error bodies are small; anything larger is not worth parsing on the response path. */
const MAX_BODY_BYTES = 64 * 1024;
const MAX_REASON_CHARS = 1024;

export function reasonFromErrorBody(payload: unknown, contentType: unknown): string | undefined {
  if (typeof contentType !== 'string' || !contentType.includes('json')) return undefined;
  let text: string;
  if (typeof payload === 'string') text = payload;
  else if (Buffer.isBuffer(payload)) text = payload.toString('utf8');
  else return undefined; // a stream: not an error body
  if (text.length === 0 || text.length > MAX_BODY_BYTES) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const oci = Array.isArray(record.errors) ? (record.errors[0] as Record<string, unknown> | undefined) : undefined;
  const arm = typeof record.error === 'object' && record.error !== null ? (record.error as Record<string, unknown>) : undefined;
  const message = textOf(oci?.message) ?? textOf(record.error_description) ?? textOf(arm?.message) ?? textOf(record.message);
  return message === undefined ? undefined : clip(message);
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export function clip(text: string, max = MAX_REASON_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

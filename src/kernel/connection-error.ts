/**
 * What went wrong with an outgoing HTTP request: undici wraps the socket's error
 * (ECONNREFUSED, ENOTFOUND, a certificate error) in a TypeError('fetch failed')-style error
 * whose `cause` says what happened. Used by import (the server as a client) and the CLI.
 */
interface ConnectionErrorCause {
  /** The system or TLS error code, e.g. ECONNREFUSED or UNABLE_TO_VERIFY_LEAF_SIGNATURE. */
  code: string | undefined;
  message: string;
}

export function connectionErrorCause(error: unknown): ConnectionErrorCause {
  const outer = error instanceof Error ? error : new Error(String(error));
  const cause = (outer as { cause?: unknown }).cause instanceof Error ? ((outer as { cause?: Error }).cause as Error) : outer;
  const code = (cause as { code?: unknown }).code;
  return { code: typeof code === 'string' && code !== '' ? code : undefined, message: cause.message };
}

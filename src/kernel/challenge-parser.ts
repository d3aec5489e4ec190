/**
 * A WWW-Authenticate challenge (`Bearer realm="…",service="…",scope="…"`) → its scheme
 * (lower-case) and parameters (names lower-case; quoted values unescaped, bare tokens too).
 * Shared by everything that follows a registry's token flow as a client: import and the
 * health probes.
 */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

export function parseChallenge(header: string | undefined): Challenge | undefined {
  if (!header) return undefined;
  const match = /^\s*([\w-]+)\s*(.*)$/s.exec(header);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  for (const part of match[2]!.matchAll(/(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) {
    params[part[1]!.toLowerCase()] = (part[2] ?? part[3] ?? '').replace(/\\(.)/g, '$1');
  }
  return { scheme: match[1]!.toLowerCase(), params };
}

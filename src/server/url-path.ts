/**
 * The two steps every route table here shares: decoding a raw URL segment by segment (so a
 * percent-encoded `a%2Fb` names the repository `a/b`), and finding the first route whose
 * pattern matches. What a miss means (404, 405, which error shape) stays with each plane.
 */

export interface DecodedUrl {
  path: string;
  query: URLSearchParams;
}

/** The decoded path and the query; undefined when a segment's percent-encoding is malformed. */
export function decodeUrl(rawUrl: string): DecodedUrl | undefined {
  const q = rawUrl.indexOf('?');
  const rawPath = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
  const query = new URLSearchParams(q >= 0 ? rawUrl.slice(q + 1) : '');
  try {
    return { path: rawPath.split('/').map(decodeURIComponent).join('/'), query };
  } catch {
    return undefined;
  }
}

export function rawPathOf(rawUrl: string): string {
  const q = rawUrl.indexOf('?');
  return q >= 0 ? rawUrl.slice(0, q) : rawUrl;
}

/** The first route whose pattern matches `path`, with the pattern's named groups. */
export function firstMatch<R extends { pattern: RegExp }>(routes: readonly R[], path: string): { route: R; params: Record<string, string> } | undefined {
  for (const route of routes) {
    const match = route.pattern.exec(path);
    if (match) return { route, params: { ...match.groups } };
  }
  return undefined;
}

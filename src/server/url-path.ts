/**
 * The two steps every route table here shares: decoding a raw URL segment by segment (so a
 * percent-encoded `a%2Fb` names the repository `a/b`), and finding the first route whose
 * pattern matches. What a miss means (404, 405, which error shape) stays with each plane.
 */

export interface DecodedUrl {
  path: string;
  query: URLSearchParams;
}

/** One percent-encoded component, decoded; undefined when its encoding is malformed (`%zz`, a lone surrogate). */
export function decodeComponent(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/** The decoded path and the query; undefined when a segment's percent-encoding is malformed. */
export function decodeUrl(rawUrl: string): DecodedUrl | undefined {
  const q = rawUrl.indexOf('?');
  const rawPath = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
  const query = new URLSearchParams(q >= 0 ? rawUrl.slice(q + 1) : '');
  const segments: string[] = [];
  for (const raw of rawPath.split('/')) {
    const segment = decodeComponent(raw);
    if (segment === undefined) return undefined;
    segments.push(segment);
  }
  return { path: segments.join('/'), query };
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

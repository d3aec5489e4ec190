/**
 * The two steps every route table here shares: decoding a raw URL segment by segment (so a
 * percent-encoded `a%2Fb` names the repository `a/b`), and finding the first route whose
 * pattern matches (matchRoute, the one matcher of every plane). What a miss means (404, 405,
 * which error shape) stays with each plane.
 */

export interface DecodedUrl {
  path: string;
  query: URLSearchParams;
}

/** One percent-encoded component, decoded; undefined when its encoding is malformed (`%zz`, a lone surrogate). */
function decodeComponent(raw: string): string | undefined {
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

/**
 * A named route of a plane's table: what metrics and logs call it, the pattern whose named
 * groups become its params, and what each HTTP method runs there with what it needs (each
 * plane says what an operation is: a handler and its declared action, scope or audit).
 */
export interface NamedRoute<Operation> {
  id: string;
  pattern: RegExp;
  methods: Partial<Record<string, Operation>>;
}

/** What a table's routes run for one method. */
type OperationOf<R> = R extends NamedRoute<infer Operation> ? Operation : never;

interface RouteMatch<R extends NamedRoute<unknown>> {
  route: R;
  /** Undefined when the path is known but not for this method (the plane's 405). */
  operation: OperationOf<R> | undefined;
  params: Record<string, string>;
}

/**
 * The one route matcher of every plane's table (distribution, /acr/v1, ARM, Graph): the first
 * route whose pattern matches `path`, with the pattern's named groups and the method's operation;
 * undefined when none matches (the plane's 404).
 */
export function matchRoute<R extends NamedRoute<unknown>>(routes: readonly R[], method: string, path: string): RouteMatch<R> | undefined {
  for (const route of routes) {
    const match = route.pattern.exec(path);
    if (match) return { route, operation: route.methods[method] as OperationOf<R> | undefined, params: { ...match.groups } };
  }
  return undefined;
}

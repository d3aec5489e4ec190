/**
 * A small HTTP client for talking to the registry through the wire. undici's `request` is
 * used rather than fetch because fetch forbids setting Host (needed for host routing tests),
 * hides Transfer-Encoding, and follows redirects.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Agent, request as undiciRequest, type Dispatcher } from 'undici';

export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json<T = any>(): T;
  text(): string;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** A Readable is sent with Transfer-Encoding: chunked (no Content-Length). */
  body?: Buffer | string | Readable;
  dispatcher?: Dispatcher;
  /** Per-request ceiling, so a hung server fails the test instead of the whole run. */
  timeoutMs?: number;
}

/**
 * An undici Agent that trusts `ca` (PEM) and nothing else; undefined means plain HTTP.
 * `anyName` still verifies the chain but not the name: undici checks the cert against the Host
 * header, and Node refuses `*.localhost` for `x.localhost` (a wildcard over a single label),
 * which Go clients accept; tests that send other Host headers need it.
 */
export function agentFor(ca: string | undefined, opts: { anyName?: boolean } = {}): Agent {
  const connect = ca ? { ca, rejectUnauthorized: true, ...(opts.anyName ? { checkServerIdentity: () => undefined } : {}) } : {};
  // Short keep-alive: the crash tests kill servers, and a pooled socket to a dead process
  // must not be reused against its successor on the same port.
  return new Agent({ connect, keepAliveTimeout: 1000 });
}

export async function request(url: string, opts: RequestOptions = {}): Promise<HttpResponse> {
  const timeout = opts.timeoutMs ?? 30_000;
  const res = await undiciRequest(url, {
    method: (opts.method ?? 'GET') as Dispatcher.HttpMethod,
    headers: opts.headers,
    body: opts.body,
    dispatcher: opts.dispatcher,
    headersTimeout: timeout,
    bodyTimeout: timeout,
  });
  const body = Buffer.from(await res.body.arrayBuffer());
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) {
    if (v === undefined) continue;
    headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return {
    status: res.statusCode,
    headers,
    body,
    json<T>() {
      try {
        return JSON.parse(body.toString('utf8')) as T;
      } catch {
        return undefined as T;
      }
    },
    text: () => body.toString('utf8'),
  };
}

export function sha256(data: Buffer | string): string {
  return 'sha256:' + createHash('sha256').update(data).digest('hex');
}

export function sha512(data: Buffer | string): string {
  return 'sha512:' + createHash('sha512').update(data).digest('hex');
}

/** One-line description of a response for assertion messages. */
export function describe(res: HttpResponse): string {
  const body = res.body.length > 600 ? res.body.subarray(0, 600).toString('utf8') + '…' : res.text();
  return `${res.status} ${JSON.stringify(res.headers)} ${body}`;
}

/** The OCI error codes in a spec-shaped error body (`{"errors":[{code,message,detail}]}`). */
export function errorCodes(res: HttpResponse): string[] {
  const parsed = res.json<{ errors?: { code?: string }[] }>();
  return (parsed?.errors ?? []).map((e) => String(e.code));
}

/**
 * The registry's data-plane calls check-health and check-pull make (challenge, token exchange,
 * access token, manifest, tags, blob), over the agent of connector.ts. Redirects are never
 * followed here: a blob redirect is a fact the data endpoint probe needs to see.
 */
import { request, type Agent, type Dispatcher } from 'undici';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  text(): string;
  json<T = any>(): T | undefined;
}

export class RegistryHttp {
  constructor(
    readonly origin: string,
    private readonly agent: Agent,
    private readonly timeoutMs: number,
  ) {}

  async call(method: 'GET' | 'HEAD' | 'POST', pathOrUrl: string, headers: Record<string, string> = {}, body?: string): Promise<HttpAnswer> {
    const url = /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : this.origin + pathOrUrl;
    const response = await request(url, {
      method,
      headers: { 'user-agent': 'wharf-check-health', ...headers },
      body,
      dispatcher: this.agent as Dispatcher,
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
    const bytes = Buffer.from(await response.body.arrayBuffer());
    const flat: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    return {
      status: response.statusCode,
      headers: flat,
      body: bytes,
      text: () => bytes.toString('utf8'),
      json<T>() {
        try {
          return JSON.parse(bytes.toString('utf8')) as T;
        } catch {
          return undefined;
        }
      },
    };
  }

  get(path: string, headers?: Record<string, string>): Promise<HttpAnswer> {
    return this.call('GET', path, headers);
  }

  postForm(path: string, form: Record<string, string>): Promise<HttpAnswer> {
    return this.call('POST', path, { 'content-type': 'application/x-www-form-urlencoded' }, new URLSearchParams(form).toString());
  }

  async close(): Promise<void> {
    await this.agent.close().catch(() => {});
  }
}

/** The first error message of a registry error body (`{"errors":[{code,message}]}`), or OAuth's, or the text. */
export function errorMessageOf(answer: HttpAnswer): string {
  const body = answer.json<{ errors?: { message?: string }[]; error?: string; error_description?: string }>();
  if (body?.errors?.[0]?.message) return body.errors[0].message;
  if (body?.error_description) return body.error_description;
  if (typeof body?.error === 'string') return body.error;
  return answer.text().trim().slice(0, 300) || `HTTP ${answer.status}`;
}

/** The challenge parser shared with import (re-exported: the health checks read challenges through this module). */
export { parseChallenge } from '../../../kernel/challenge-parser.js';

interface AccessClaim {
  type: string;
  name: string;
  actions: string[];
}

/** The `access` claim of an ACR access token (not verified: the server checks it; we only read it). */
export function accessOf(token: string): AccessClaim[] {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { access?: AccessClaim[] };
    return Array.isArray(payload.access) ? payload.access : [];
  } catch {
    return [];
  }
}

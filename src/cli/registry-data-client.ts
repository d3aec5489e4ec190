/**
 * The CLI's client of one registry's data plane (`/acr/v1/…`, `/v2/…`), signing in the way
 * `az acr` does: the login server from ARM (`properties.loginServer`), the profile's Entra token
 * for ARM exchanged at `/oauth2/exchange` for an ACR refresh token, then `/oauth2/token` for an
 * access token scoped to what each call needs.
 *
 * Addressing: like az, the client talks to `https://<loginServer>`. When that name does not
 * resolve (the default `<name>.localhost` with no DNS entry), it connects to the profile's server
 * instead, still sending the login server as Host and TLS server name: one Wharf process serves
 * every plane, and host routing picks the registry by that name.
 */
import { lookup } from 'node:dns/promises';
import { readFileSync } from 'node:fs';
import { Agent, request, type Dispatcher } from 'undici';
import { ApiError, ARM_RESOURCE, type ManagementClient } from './management-client.js';
import type { Profile } from './profile.js';
import { connectionErrorCause } from '../kernel/connection-error.js';
import { cliError } from './cli-error.js';

const REQUEST_TIMEOUT_MS = 30_000;
const MAX_PAGES = 1000;

interface RegistryRef {
  name: string;
  /** ARM id of the registry. */
  id: string;
}

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A data-plane or token-server error body (`{errors:[{code,message}]}`, OAuth's, or anything). */
function dataPlaneError(status: number, text: string): ApiError {
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (body && Array.isArray(body.errors) && body.errors[0]) {
    return new ApiError(status, String(body.errors[0].code ?? `HTTP${status}`), String(body.errors[0].message ?? ''));
  }
  if (body && typeof body.error === 'string') return new ApiError(status, body.error, String(body.error_description ?? ''));
  if (body && typeof body.error === 'object' && body.error) {
    return new ApiError(status, String(body.error.code ?? `HTTP${status}`), String(body.error.message ?? ''));
  }
  return new ApiError(status, `HTTP${status}`, text.trim().slice(0, 300) || 'the registry answered with no body');
}

/** `repo/name` → `repo/name` with each segment percent-encoded. */
export function repositoryPath(repository: string): string {
  return repository.split('/').map(encodeURIComponent).join('/');
}

function hostnameOf(hostAndPort: string): string {
  if (hostAndPort.startsWith('[')) return hostAndPort.slice(1, hostAndPort.indexOf(']'));
  const colon = hostAndPort.lastIndexOf(':');
  return colon >= 0 && hostAndPort.indexOf(':') === colon ? hostAndPort.slice(0, colon) : hostAndPort;
}

async function resolves(hostname: string): Promise<boolean> {
  try {
    await lookup(hostname);
    return true;
  } catch {
    return false;
  }
}

export class RegistryDataClient {
  private readonly accessTokens = new Map<string, Promise<string>>();
  private refresh: Promise<string> | undefined;

  private constructor(
    private readonly management: ManagementClient,
    private readonly tenantId: string,
    readonly loginServer: string,
    /** Where requests go: `https://<loginServer>` or the profile's server (see the file comment). */
    private readonly origin: string,
    private readonly dispatcher: Agent,
  ) {}

  /** Finds the registry's login server in ARM and where to reach it. */
  static async open(management: ManagementClient, profile: Profile, registry: RegistryRef): Promise<RegistryDataClient> {
    let resource: { properties?: { loginServer?: string } };
    try {
      resource = await management.get(registry.id);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 403 || error.status === 404)) {
        throw cliError('cannotReadRegistry', { name: registry.name, cause: error.message });
      }
      throw error;
    }
    const loginServer = resource?.properties?.loginServer;
    if (!loginServer) throw cliError('registryHasNoLoginServer', { name: registry.name });
    const origin = (await resolves(hostnameOf(loginServer))) ? `https://${loginServer}` : new URL(profile.server).origin;
    let ca: string | undefined;
    if (profile.caFile) {
      try {
        ca = readFileSync(profile.caFile, 'utf8');
      } catch (error) {
        throw cliError('cannotReadCaFile', { file: profile.caFile, cause: (error as Error).message });
      }
    }
    const dispatcher = new Agent({ connect: { ...(ca ? { ca } : {}), rejectUnauthorized: true }, keepAliveTimeout: 2000 });
    return new RegistryDataClient(management, profile.tenantId, loginServer, origin, dispatcher);
  }

  async close(): Promise<void> {
    await this.dispatcher.close().catch(() => {});
  }

  /** The ACR refresh token for the signed-in identity (`/oauth2/exchange`, as az acr login). */
  refreshToken(): Promise<string> {
    this.refresh ??= (async () => {
      const aadToken = await this.management.token(ARM_RESOURCE);
      const body = await this.form('/oauth2/exchange', {
        grant_type: 'access_token',
        service: this.loginServer,
        tenant: this.tenantId,
        access_token: aadToken,
      });
      if (typeof body.refresh_token !== 'string') throw cliError('exchangeNoRefreshToken', { loginServer: this.loginServer });
      return body.refresh_token;
    })();
    return this.refresh;
  }

  /** An access token for one scope (`repository:<repo>:<actions>` or `registry:catalog:*`). */
  private accessToken(scope: string): Promise<string> {
    let token = this.accessTokens.get(scope);
    if (!token) {
      token = (async () => {
        const body = await this.form('/oauth2/token', {
          grant_type: 'refresh_token',
          service: this.loginServer,
          scope,
          refresh_token: await this.refreshToken(),
        });
        if (typeof body.access_token !== 'string') throw cliError('oauthTokenNoAccessToken', { loginServer: this.loginServer });
        return body.access_token;
      })();
      this.accessTokens.set(scope, token);
    }
    return token;
  }

  private async form(path: string, fields: Record<string, string>): Promise<Record<string, unknown>> {
    const response = await this.send('POST', path, { 'content-type': 'application/x-www-form-urlencoded' }, new URLSearchParams(fields).toString());
    if (response.status >= 400) throw dataPlaneError(response.status, response.text);
    try {
      return JSON.parse(response.text) as Record<string, unknown>;
    } catch {
      throw cliError('loginServerNotJson', { loginServer: this.loginServer, path, status: response.status });
    }
  }

  /** GET a JSON document with a token for `scope`. */
  async get<T = any>(path: string, scope: string, query: Record<string, string | undefined> = {}): Promise<T> {
    const { body } = await this.getPage<T>(withQuery(path, query), scope);
    return body;
  }

  /**
   * Every item of a paged /acr/v1 listing, following `Link: <…>; rel="next"`, up to `top` items.
   * `items` picks the list out of each page.
   */
  async list<P, T>(path: string, scope: string, items: (page: P) => T[] | undefined, query: Record<string, string | undefined>, top?: number): Promise<T[]> {
    const all: T[] = [];
    let next: string | undefined = withQuery(path, { ...query, n: String(top !== undefined ? Math.min(top, 1000) : 100) });
    for (let pages = 0; next && pages < MAX_PAGES; pages++) {
      const page: { body: P; next?: string } = await this.getPage<P>(next, scope);
      all.push(...(items(page.body) ?? []));
      if (top !== undefined && all.length >= top) return all.slice(0, top);
      next = page.next;
    }
    return all;
  }

  async delete<T = any>(path: string, scope: string): Promise<T | undefined> {
    const token = await this.accessToken(scope);
    const response = await this.send('DELETE', path, { authorization: `Bearer ${token}` });
    if (response.status >= 400) throw dataPlaneError(response.status, response.text);
    if (!response.text) return undefined;
    try {
      return JSON.parse(response.text) as T;
    } catch {
      return undefined;
    }
  }

  private async getPage<T>(pathAndQuery: string, scope: string): Promise<{ body: T; next?: string }> {
    const token = await this.accessToken(scope);
    const response = await this.send('GET', pathAndQuery, { authorization: `Bearer ${token}` });
    if (response.status >= 400) throw dataPlaneError(response.status, response.text);
    let body: T;
    try {
      body = JSON.parse(response.text) as T;
    } catch {
      throw cliError('getNotJson', { path: pathAndQuery, loginServer: this.loginServer, status: response.status });
    }
    return { body, next: nextPageOf(response.headers.link) };
  }

  private async send(method: 'GET' | 'POST' | 'DELETE', path: string, headers: Record<string, string>, body?: string): Promise<Raw> {
    let response: Dispatcher.ResponseData;
    try {
      response = await request(this.origin + path, {
        method,
        headers: { accept: 'application/json', 'user-agent': 'wharf-cli', host: this.loginServer, ...headers },
        body,
        dispatcher: this.dispatcher,
        headersTimeout: REQUEST_TIMEOUT_MS,
        bodyTimeout: REQUEST_TIMEOUT_MS,
      });
    } catch (error) {
      const cause = connectionErrorCause(error);
      const untrusted = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/i.test((cause.code ?? '') + cause.message);
      const values = { loginServer: this.loginServer, origin: this.origin, cause: cause.message };
      throw cliError(untrusted ? 'cannotReachLoginServerUntrusted' : 'cannotReachLoginServer', values);
    }
    return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
  }
}

/** The path of `Link: <…>; rel="next"`; only the path is kept, so only this login server is called. */
function nextPageOf(link: string | string[] | undefined): string | undefined {
  const match = typeof link === 'string' ? /<([^>]+)>\s*;\s*rel="?next"?/.exec(link) : null;
  if (!match) return undefined;
  const url = new URL(match[1]!, 'https://login-server.invalid');
  return url.pathname + url.search;
}

function withQuery(path: string, query: Record<string, string | undefined>): string {
  const entries = Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined);
  if (entries.length === 0) return path;
  return `${path}${path.includes('?') ? '&' : '?'}${new URLSearchParams(entries).toString()}`;
}

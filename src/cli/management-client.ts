/**
 * The CLI's client of a Wharf server's management API (ARM-compatible) and directory API
 * (Graph-compatible): signs in with the profile's service principal through the identity
 * plane's client-credentials grant, caches the token for the run, adds api-version, follows
 * `nextLink` and ARM's 202 + Location, and turns error bodies into `ApiError`.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request, type Dispatcher } from 'undici';
import type { Language } from '../i18n/index.js';
import type { Profile } from './profile.js';
import { cliError } from './cli-error.js';

/** Token audiences, as Azure names them; Wharf's identity plane issues tokens for both. */
export const ARM_RESOURCE = 'https://management.azure.com';
const GRAPH_RESOURCE = 'https://graph.microsoft.com';

const API_VERSIONS = {
  containerRegistry: '2023-07-01',
  authorization: '2022-04-01',
  subscriptions: '2022-12-01',
  resources: '2021-04-01',
  network: '2023-09-01',
  subscriptionAliases: '2021-10-01',
} as const;

const REQUEST_TIMEOUT_MS = 30_000;
const ASYNC_OPERATION_TIMEOUT_MS = 120_000;
const MAX_PAGES = 1000;

/** An error answered by the server, in ARM's, Graph's or OAuth's shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
}

interface CallOptions {
  /** Query parameters (api-version is added for ARM paths unless given here or in the path). */
  query?: Record<string, string | undefined>;
  body?: unknown;
  apiVersion?: string;
  /** Which audience the token is for; Graph paths (/v1.0/…) default to Graph, others to ARM. */
  resource?: string;
}

interface ConnectionSettings {
  server: string;
  /** PEM of the CA to trust, in addition to nothing else: the server's chain must end there. */
  ca?: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Sent as Accept-Language, so the server's error messages come in the user's language. */
  language?: Language;
}

type Method = 'GET' | 'PUT' | 'PATCH' | 'POST' | 'DELETE';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** api-version for an ARM path by the provider it addresses; none for Graph. */
function apiVersionFor(path: string): string | undefined {
  if (path.startsWith('/v1.0/')) return undefined;
  if (/\/providers\/Microsoft\.Authorization\//i.test(path)) return API_VERSIONS.authorization;
  // Resource providers (`az provider`): the Resources API, before the ContainerRegistry rule below.
  if (/^\/subscriptions\/[^/]+\/providers(\/[^/]+(\/(register|unregister))?)?$/i.test(path)) return API_VERSIONS.resources;
  if (/\/providers\/Microsoft\.Network\//i.test(path)) return API_VERSIONS.network;
  if (/^\/providers\/Microsoft\.Subscription\//i.test(path)) return API_VERSIONS.subscriptionAliases;
  if (/\/providers\/Microsoft\.ContainerRegistry(\/|$)/i.test(path)) return API_VERSIONS.containerRegistry;
  if (/^\/subscriptions\/[^/]+\/resourceGroups(\/|\?|$)/i.test(path)) return API_VERSIONS.resources;
  return API_VERSIONS.subscriptions;
}

function errorFrom(status: number, text: string): ApiError {
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (body && typeof body.error === 'object' && body.error) {
    return new ApiError(status, String(body.error.code ?? `HTTP${status}`), String(body.error.message ?? ''));
  }
  if (body && typeof body.error === 'string') {
    // OAuth / Entra: {error, error_description}
    return new ApiError(status, body.error, String(body.error_description ?? ''));
  }
  if (body && Array.isArray(body.errors) && body.errors[0]) {
    return new ApiError(status, String(body.errors[0].code), String(body.errors[0].message ?? ''));
  }
  const snippet = text.trim().slice(0, 300);
  return new ApiError(status, `HTTP${status}`, snippet || 'the server answered with no body');
}

function describeNetworkError(server: string, error: Error): Error {
  const cause = (error as { cause?: Error }).cause;
  const message = cause?.message ?? error.message;
  const code = (cause as { code?: string } | undefined)?.code ?? (error as { code?: string }).code ?? '';
  const untrusted = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/i.test(code + message);
  return untrusted ? cliError('cannotReachServerUntrusted', { server, cause: message }) : cliError('cannotReachServer', { server, cause: message });
}

export class ManagementClient {
  private readonly origin: string;
  private readonly dispatcher: Agent;
  private readonly tokens = new Map<string, Promise<string>>();

  constructor(private readonly settings: ConnectionSettings) {
    let url: URL;
    try {
      url = new URL(settings.server);
    } catch {
      throw cliError('notServerUrl', { value: settings.server });
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw cliError('notServerUrl', { value: settings.server });
    }
    this.origin = url.origin;
    this.dispatcher = new Agent({
      connect: settings.ca ? { ca: settings.ca, rejectUnauthorized: true } : { rejectUnauthorized: true },
      keepAliveTimeout: 2000,
    });
  }

  static fromProfile(profile: Profile, language?: Language): ManagementClient {
    let ca: string | undefined;
    if (profile.caFile) {
      try {
        ca = readFileSync(profile.caFile, 'utf8');
      } catch (error) {
        throw cliError('cannotReadCaFile', { file: profile.caFile, cause: (error as Error).message });
      }
    }
    return new ManagementClient({
      server: profile.server,
      ca,
      tenantId: profile.tenantId,
      clientId: profile.clientId,
      clientSecret: profile.clientSecret,
      language,
    });
  }

  get server(): string {
    return this.origin;
  }

  get tenantId(): string {
    return this.settings.tenantId;
  }

  async close(): Promise<void> {
    await this.dispatcher.close().catch(() => {});
  }

  get<T = any>(path: string, options: CallOptions = {}): Promise<T> {
    return this.call<T>('GET', path, options);
  }

  put<T = any>(path: string, body: unknown, options: CallOptions = {}): Promise<T> {
    return this.call<T>('PUT', path, { ...options, body });
  }

  patch<T = any>(path: string, body: unknown, options: CallOptions = {}): Promise<T> {
    return this.call<T>('PATCH', path, { ...options, body });
  }

  post<T = any>(path: string, body?: unknown, options: CallOptions = {}): Promise<T> {
    return this.call<T>('POST', path, { ...options, body });
  }

  delete<T = any>(path: string, options: CallOptions = {}): Promise<T> {
    return this.call<T>('DELETE', path, options);
  }

  /** Every item of an ARM or Graph collection (`{value:[…], nextLink | @odata.nextLink}`). */
  async list<T = any>(path: string, options: CallOptions = {}): Promise<T[]> {
    const items: T[] = [];
    let page = await this.get<{ value?: T[]; nextLink?: string; '@odata.nextLink'?: string }>(path, options);
    for (let pages = 1; ; pages++) {
      items.push(...(page?.value ?? []));
      const next = page?.nextLink ?? page?.['@odata.nextLink'];
      if (!next || pages >= MAX_PAGES) return items;
      // nextLink is absolute and already carries every query parameter.
      page = await this.get(this.pathOf(next), { resource: options.resource, apiVersion: options.apiVersion });
    }
  }

  /** One call; resolves with the parsed JSON body (undefined when empty). */
  async call<T = any>(method: Method, path: string, options: CallOptions = {}): Promise<T> {
    const resource = options.resource ?? (path.startsWith('/v1.0/') ? GRAPH_RESOURCE : ARM_RESOURCE);
    const url = this.urlOf(path, options);
    const token = await this.token(resource);
    let response = await this.send(
      method,
      url,
      {
        authorization: `Bearer ${token}`,
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      options.body === undefined ? undefined : JSON.stringify(options.body),
    );
    if (response.status === 202 && method !== 'DELETE' && typeof response.headers.location === 'string') {
      response = await this.awaitOperation(response.headers.location, token);
    }
    if (response.status >= 400) throw errorFrom(response.status, response.text);
    if (!response.text) return undefined as T;
    try {
      return JSON.parse(response.text) as T;
    } catch {
      throw cliError('serverAnsweredNotJson', { method, path, status: response.status });
    }
  }

  /** An access token for `resource`, from the identity plane; one per resource per run. */
  token(resource: string = ARM_RESOURCE): Promise<string> {
    let token = this.tokens.get(resource);
    if (!token) {
      token = this.acquireToken(resource);
      token.catch(() => this.tokens.delete(resource));
      this.tokens.set(resource, token);
    }
    return token;
  }

  private async acquireToken(resource: string): Promise<string> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.settings.clientId,
      client_secret: this.settings.clientSecret,
      scope: `${resource}/.default`,
    });
    const url = `${this.origin}/${encodeURIComponent(this.settings.tenantId)}/oauth2/v2.0/token`;
    const response = await this.send('POST', url, { 'content-type': 'application/x-www-form-urlencoded' }, form.toString());
    if (response.status >= 400) throw errorFrom(response.status, response.text);
    let body: { access_token?: unknown };
    try {
      body = JSON.parse(response.text);
    } catch {
      throw cliError('tokenEndpointNotJson', { url, status: response.status });
    }
    if (typeof body.access_token !== 'string') throw cliError('tokenEndpointNoAccessToken', { url });
    return body.access_token;
  }

  private async awaitOperation(location: string, token: string): Promise<RawResponse> {
    const url = this.origin + this.pathOf(location);
    const deadline = Date.now() + ASYNC_OPERATION_TIMEOUT_MS;
    for (;;) {
      const response = await this.send('GET', url, { authorization: `Bearer ${token}` });
      if (response.status !== 202) return response;
      if (Date.now() > deadline) throw cliError('operationTimedOut', { url, seconds: ASYNC_OPERATION_TIMEOUT_MS / 1000 });
      const retryAfter = Number(response.headers['retry-after']);
      await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter, 10) * 1000 : 1000);
    }
  }

  /** The path and query of an absolute URL the server gave us; only this server is called. */
  private pathOf(link: string): string {
    const url = new URL(link, this.origin);
    return url.pathname + url.search;
  }

  private urlOf(path: string, options: CallOptions): string {
    if (!path.startsWith('/')) throw new Error(`internal: path '${path}' must start with '/'`);
    const query: string[] = [];
    const version = options.apiVersion ?? apiVersionFor(path);
    if (version && !/[?&]api-version=/.test(path) && options.query?.['api-version'] === undefined) {
      query.push(`api-version=${encodeURIComponent(version)}`);
    }
    for (const [name, value] of Object.entries(options.query ?? {})) {
      // encodeURIComponent, not URLSearchParams: a Graph $filter must carry %20, not '+'.
      if (value !== undefined) query.push(`${encodeURIComponent(name).replace(/^%24/, '$')}=${encodeURIComponent(value)}`);
    }
    if (query.length === 0) return this.origin + path;
    return this.origin + path + (path.includes('?') ? '&' : '?') + query.join('&');
  }

  private async send(method: Method, url: string, headers: Record<string, string>, body?: string): Promise<RawResponse> {
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        method,
        headers: {
          accept: 'application/json',
          'user-agent': 'wharf-cli',
          ...(this.settings.language && this.settings.language !== 'en' ? { 'accept-language': this.settings.language } : {}),
          ...headers,
        },
        body,
        dispatcher: this.dispatcher,
        headersTimeout: REQUEST_TIMEOUT_MS,
        bodyTimeout: REQUEST_TIMEOUT_MS,
      });
    } catch (error) {
      throw describeNetworkError(this.origin, error as Error);
    }
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, text };
  }
}

/**
 * A minimal OCI Distribution client for importing from a registry reached by URI: manifest
 * GET and blob GET with the token flow registries use (a 401 challenge names Basic or Bearer;
 * Bearer sends the caller's credentials, if any, to the realm for a pull-scoped token). Blob
 * bodies are returned as streams so they can flow straight into the blob store. Redirects
 * (blob storage, data endpoints) are followed; credentials are only sent to the registry's
 * own origin and the token realm.
 */
import type { Readable } from 'node:stream';
import { Agent, request, type Dispatcher } from 'undici';
import { ImportFailure } from './import-errors.js';

export interface RegistryCredentials {
  username: string;
  password: string;
}

const MAX_REDIRECTS = 5;
const HEADERS_TIMEOUT_MS = 30_000;
/** Idle time between body chunks before a blob download is abandoned. */
const BODY_TIMEOUT_MS = 60_000;
const MAX_TOKEN_BYTES = 64 * 1024;

export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** `Bearer realm="…",service="…",scope="…"` → scheme and parameters. */
export function parseChallenge(header: string): Challenge | undefined {
  const match = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  for (const part of match[2]!.matchAll(/(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) {
    params[part[1]!.toLowerCase()] = (part[2] ?? part[3] ?? '').replace(/\\(.)/g, '$1');
  }
  return { scheme: match[1]!.toLowerCase(), params };
}

/** `host[:port]`, `https://host[:port]` or `http://host[:port]` → the registry's origin. */
export function registryOrigin(registryUri: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(registryUri) ? registryUri : `https://${registryUri}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw ImportFailure.invalidSource(`'${registryUri}' is not a registry address (host[:port], optionally with https:// or http://)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw ImportFailure.invalidSource(`'${registryUri}' uses ${url.protocol}; a registry is reached over https:// or http://`);
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.username) {
    throw ImportFailure.invalidSource(`'${registryUri}' must be a registry address without a path, query or user`);
  }
  return new URL(url.origin);
}

export interface FetchedManifest {
  content: Buffer;
  mediaType: string | undefined;
  /** What the registry says the digest is (Docker-Content-Digest), if it says. */
  declaredDigest: string | undefined;
}

export class RemoteRegistry {
  private readonly agent = new Agent({ keepAliveTimeout: 4000, connections: 8 });
  private token: string | undefined;
  /** The scheme the registry challenged with; Basic is then sent up front. */
  private basic = false;

  constructor(
    readonly origin: URL,
    private readonly credentials: RegistryCredentials | undefined,
  ) {}

  get host(): string {
    return this.origin.host;
  }

  async close(): Promise<void> {
    await this.agent.close().catch(() => undefined);
  }

  async manifest(repository: string, reference: string, maxBytes: number): Promise<FetchedManifest> {
    const response = await this.get(`/v2/${repository}/manifests/${reference}`, repository, { accept: MANIFEST_ACCEPT });
    if (response.statusCode === 404) {
      await response.body.dump();
      throw ImportFailure.sourceImageNotFound(`${repository}${reference.includes(':') ? '@' : ':'}${reference}`, this.host);
    }
    await this.expectOk(response, `manifest ${repository}:${reference}`);
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      await response.body.dump();
      throw ImportFailure.invalidSource(`the manifest ${repository}:${reference} is ${declared} bytes, more than the ${maxBytes}-byte limit`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        response.body.destroy();
        throw ImportFailure.invalidSource(`the manifest ${repository}:${reference} is more than the ${maxBytes}-byte limit`);
      }
      chunks.push(chunk as Buffer);
    }
    return {
      content: Buffer.concat(chunks),
      mediaType: header(response, 'content-type')?.split(';')[0]?.trim(),
      declaredDigest: header(response, 'docker-content-digest'),
    };
  }

  /** The blob's bytes as a stream; the caller verifies the digest while storing them. */
  async blob(repository: string, digest: string): Promise<Readable> {
    const response = await this.get(`/v2/${repository}/blobs/${digest}`, repository, {});
    if (response.statusCode === 404) {
      await response.body.dump();
      throw ImportFailure.sourceImageNotFound(`blob ${digest} of ${repository}`, this.host);
    }
    await this.expectOk(response, `blob ${digest}`);
    return response.body;
  }

  /** GET with the registry's auth flow and redirects. */
  private async get(path: string, repository: string, headers: Record<string, string>): Promise<Dispatcher.ResponseData> {
    let response = await this.send(new URL(path, this.origin), headers, true);
    if (response.statusCode === 401) {
      const challenge = parseChallenge(header(response, 'www-authenticate') ?? '');
      await response.body.dump();
      await this.authenticate(challenge, repository);
      response = await this.send(new URL(path, this.origin), headers, true);
      if (response.statusCode === 401) {
        await response.body.dump();
        throw ImportFailure.sourceUnauthorized(this.host, this.credentials !== undefined, 'the registry refused the credentials it challenged for');
      }
    }
    return response;
  }

  private async send(url: URL, headers: Record<string, string>, withAuth: boolean): Promise<Dispatcher.ResponseData> {
    let target = url;
    for (let hop = 0; ; hop++) {
      const sameOrigin = target.origin === this.origin.origin;
      const authorization = withAuth && sameOrigin ? this.authorization() : undefined;
      let response: Dispatcher.ResponseData;
      try {
        response = await request(target, {
          method: 'GET',
          headers: { 'user-agent': 'wharf-import', ...headers, ...(authorization ? { authorization } : {}) },
          dispatcher: this.agent,
          headersTimeout: HEADERS_TIMEOUT_MS,
          bodyTimeout: BODY_TIMEOUT_MS,
        });
      } catch (error) {
        throw ImportFailure.sourceUnreachable(target.host, error as Error);
      }
      const location = header(response, 'location');
      if (![301, 302, 303, 307, 308].includes(response.statusCode) || !location) return response;
      await response.body.dump();
      if (hop >= MAX_REDIRECTS) throw ImportFailure.invalidSource(`more than ${MAX_REDIRECTS} redirects from ${url.href}`);
      target = new URL(location, target);
    }
  }

  private authorization(): string | undefined {
    if (this.token) return `Bearer ${this.token}`;
    if (this.basic && this.credentials) return basicHeader(this.credentials);
    return undefined;
  }

  private async authenticate(challenge: Challenge | undefined, repository: string): Promise<void> {
    if (challenge?.scheme === 'basic') {
      if (!this.credentials) throw ImportFailure.sourceUnauthorized(this.host, false, 'the registry asks for a user name and password');
      this.basic = true;
      return;
    }
    if (challenge?.scheme !== 'bearer' || !challenge.params.realm) {
      throw ImportFailure.sourceUnauthorized(this.host, this.credentials !== undefined, 'the registry answered 401 without a Basic or Bearer challenge');
    }
    let realm: URL;
    try {
      realm = new URL(challenge.params.realm);
    } catch {
      throw ImportFailure.invalidSource(`the registry's token realm '${challenge.params.realm}' is not a URL`);
    }
    if (challenge.params.service) realm.searchParams.set('service', challenge.params.service);
    realm.searchParams.set('scope', challenge.params.scope ?? `repository:${repository}:pull`);
    let response: Dispatcher.ResponseData;
    try {
      response = await request(realm, {
        method: 'GET',
        headers: { 'user-agent': 'wharf-import', ...(this.credentials ? { authorization: basicHeader(this.credentials) } : {}) },
        dispatcher: this.agent,
        headersTimeout: HEADERS_TIMEOUT_MS,
        bodyTimeout: HEADERS_TIMEOUT_MS,
      });
    } catch (error) {
      throw ImportFailure.sourceUnreachable(realm.host, error as Error);
    }
    const text = await readLimited(response.body, MAX_TOKEN_BYTES);
    if (response.statusCode === 401 || response.statusCode === 403) {
      throw ImportFailure.sourceUnauthorized(this.host, this.credentials !== undefined, `the token service ${realm.origin} answered ${response.statusCode}`);
    }
    if (response.statusCode !== 200) {
      throw ImportFailure.invalidSource(`the token service ${realm.origin} answered ${response.statusCode}`);
    }
    let body: { token?: unknown; access_token?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw ImportFailure.invalidSource(`the token service ${realm.origin} answered with a body that is not JSON`);
    }
    const token = typeof body.token === 'string' ? body.token : typeof body.access_token === 'string' ? body.access_token : undefined;
    if (!token) throw ImportFailure.invalidSource(`the token service ${realm.origin} answered without a token`);
    this.token = token;
  }

  private async expectOk(response: Dispatcher.ResponseData, what: string): Promise<void> {
    if (response.statusCode === 200) return;
    const text = await readLimited(response.body, 2048).catch(() => '');
    if (response.statusCode === 403) throw ImportFailure.sourceUnauthorized(this.host, this.credentials !== undefined, `403 for ${what}: ${text.trim()}`);
    throw ImportFailure.invalidSource(`the source registry ${this.host} answered ${response.statusCode} for ${what}${text ? `: ${text.trim().slice(0, 300)}` : ''}`);
  }
}

function basicHeader(credentials: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

function header(response: Dispatcher.ResponseData, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readLimited(body: Readable, limit: number): Promise<string> {
  let text = '';
  for await (const chunk of body) {
    text += (chunk as Buffer).toString('utf8');
    if (text.length > limit) {
      body.destroy();
      break;
    }
  }
  return text;
}

/**
 * A minimal OCI Distribution client for importing from a registry reached by URI: manifest
 * GET and blob GET with the token flow registries use (a 401 challenge names Basic or Bearer;
 * Bearer sends the caller's credentials, if any, to the realm for a pull-scoped token). Blob
 * bodies are returned as streams so they can flow straight into the blob store. Redirects
 * (blob storage, data endpoints) are followed; credentials are only sent to the registry's
 * own origin and the token realm. Every connection (origin, redirect, realm) goes through the
 * SourceAddressPolicy, checked on the resolved address; only the origin's own error bodies are
 * quoted in errors, never those of another host.
 */
import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
import { Agent, request, type Dispatcher } from 'undici';
import { parseChallenge, type Challenge } from '../kernel/challenge-parser.js';
import { ImportFailure, importReason, type ImportSubject, plainHttpAnswerCode } from './import-errors.js';
import { ALLOWED_RANGES_SETTING, refusalIn, type SourceAddressPolicy } from './source-address-policy.js';

interface RegistryCredentials {
  username: string;
  password: string;
}

const MAX_REDIRECTS = 5;
const HEADERS_TIMEOUT_MS = 30_000;
/** Idle time between body chunks before a blob download is abandoned. */
const BODY_TIMEOUT_MS = 60_000;
const MAX_TOKEN_BYTES = 64 * 1024;
/** A blob download must finish within 60 s plus one second per MiB, however steadily it trickles. */
const BLOB_DEADLINE_BASE_MS = 60_000;
const BLOB_DEADLINE_BYTES_PER_MS = (1024 * 1024) / 1000;

const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** A response and the URL that gave it (after redirects). */
interface Hop {
  response: Dispatcher.ResponseData;
  url: URL;
}

/** `host[:port]`, `https://host[:port]` or `http://host[:port]` → the registry's origin. */
export function registryOrigin(registryUri: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(registryUri) ? registryUri : `https://${registryUri}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw ImportFailure.invalidSource(importReason('notRegistryAddress', { uri: registryUri }));
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw ImportFailure.invalidSource(importReason('wrongProtocol', { uri: registryUri, protocol: url.protocol }));
  }
  // User info is refused outright (and not echoed: it may hold a password); credentials go in source.credentials.
  if (url.username || url.password || /@/.test(withScheme.slice(withScheme.indexOf('//') + 2).split('/')[0] ?? '')) {
    throw ImportFailure.invalidSource(importReason('credentialsInAddress'));
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw ImportFailure.invalidSource(importReason('addressHasPath', { uri: registryUri }));
  }
  return new URL(url.origin);
}

/** Why a download's deadline cut it off: the source sent headers, then too little too slowly. */
export class DeadlineExceeded extends Error {
  constructor(
    readonly what: ImportSubject,
    readonly seconds: number,
  ) {
    super(`${what.kind === 'manifest' ? `the manifest ${what.image}` : `blob ${what.digest} (${what.size} bytes)`} did not arrive within ${seconds} s`);
  }
}

/** An AbortSignal that fires with DeadlineExceeded after `ms`; clear() stops its timer. */
function deadline(ms: number, what: ImportSubject): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DeadlineExceeded(what, Math.ceil(ms / 1000))), ms);
  timer.unref();
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

interface RemoteRegistryOptions {
  /** The whole manifest GET (token request and redirects included) must finish within this. */
  manifestDeadlineMs: number;
}

interface FetchedManifest {
  content: Buffer;
  mediaType: string | undefined;
  /** What the registry says the digest is (Docker-Content-Digest), if it says. */
  declaredDigest: string | undefined;
}

export class RemoteRegistry {
  private readonly agent: Agent;
  private token: string | undefined;
  /** The scheme the registry challenged with; Basic is then sent up front. */
  private basic = false;

  constructor(
    readonly origin: URL,
    private readonly credentials: RegistryCredentials | undefined,
    private readonly policy: SourceAddressPolicy,
    private readonly options: RemoteRegistryOptions = { manifestDeadlineMs: 60_000 },
  ) {
    // The policy's lookup checks every resolved address before the socket connects.
    this.agent = new Agent({ keepAliveTimeout: 4000, connections: 8, connect: { lookup: policy.lookup } });
  }

  get host(): string {
    return this.origin.host;
  }

  async close(): Promise<void> {
    await this.agent.close().catch(() => undefined);
  }

  /**
   * The manifest's bytes, at most `maxBytes`. The whole fetch has a deadline: a source that
   * sends headers and then trickles the body forever would otherwise hold the import (and its
   * operation) for as long as it likes, since the idle timeout only sees the gaps.
   */
  async manifest(repository: string, reference: string, maxBytes: number): Promise<FetchedManifest> {
    const limit = deadline(this.options.manifestDeadlineMs, { kind: 'manifest', image: `${repository}${reference.includes(':') ? '@' : ':'}${reference}` });
    try {
      return await this.fetchManifest(repository, reference, maxBytes, limit.signal);
    } catch (error) {
      // Whatever broke once the deadline fired (a body read, a token request) broke because of it.
      const reason: unknown = limit.signal.reason;
      if (limit.signal.aborted && reason instanceof DeadlineExceeded) throw ImportFailure.sourceTooSlow(this.host, reason.what, reason.seconds);
      throw error;
    } finally {
      limit.clear();
    }
  }

  private async fetchManifest(repository: string, reference: string, maxBytes: number, signal: AbortSignal): Promise<FetchedManifest> {
    const hop = await this.get(`/v2/${repository}/manifests/${reference}`, repository, { accept: MANIFEST_ACCEPT }, signal);
    const { response } = hop;
    if (response.statusCode === 404) {
      await response.body.dump();
      throw ImportFailure.sourceImageNotFound({ image: `${repository}${reference.includes(':') ? '@' : ':'}${reference}` }, this.host);
    }
    await this.expectOk(hop, { kind: 'manifest', image: `${repository}:${reference}` });
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      await response.body.dump();
      throw ImportFailure.invalidSource(importReason('manifestOverDeclared', { image: `${repository}:${reference}`, size: declared, max: maxBytes }));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body) {
        size += (chunk as Buffer).length;
        if (size > maxBytes) {
          response.body.destroy();
          throw ImportFailure.invalidSource(importReason('manifestOverLimit', { image: `${repository}:${reference}`, max: maxBytes }));
        }
        chunks.push(chunk as Buffer);
      }
    } catch (error) {
      if (error instanceof ImportFailure) throw error;
      throw ImportFailure.sourceUnreachable(hop.url.host, error);
    }
    return {
      content: Buffer.concat(chunks),
      mediaType: header(response, 'content-type')?.split(';')[0]?.trim(),
      declaredDigest: header(response, 'docker-content-digest'),
    };
  }

  /**
   * The blob's bytes as a stream; the caller verifies size and digest while storing them.
   * The whole download (redirects included) has a deadline scaled to `size`.
   */
  async blob(repository: string, digest: string, size: number): Promise<Readable> {
    const deadlineMs = Math.ceil(BLOB_DEADLINE_BASE_MS + size / BLOB_DEADLINE_BYTES_PER_MS);
    const limit = deadline(deadlineMs, { kind: 'blob', digest, size });
    try {
      const hop = await this.get(`/v2/${repository}/blobs/${digest}`, repository, {}, limit.signal);
      const { response } = hop;
      if (response.statusCode === 404) {
        await response.body.dump();
        throw ImportFailure.sourceImageNotFound({ digest, repository }, this.host);
      }
      await this.expectOk(hop, { kind: 'blob', digest });
      const declared = header(response, 'content-length');
      if (declared !== undefined && Number(declared) !== size) {
        response.body.destroy();
        throw ImportFailure.manifestInvalid(importReason('blobSizeDeclared', { digest, size, declared }));
      }
      response.body.once('close', () => limit.clear());
      return response.body;
    } catch (error) {
      limit.clear();
      throw error;
    }
  }

  /** GET with the registry's auth flow and redirects. */
  private async get(path: string, repository: string, headers: Record<string, string>, signal?: AbortSignal): Promise<Hop> {
    let hop = await this.send(new URL(path, this.origin), headers, true, signal);
    if (hop.response.statusCode === 401) {
      const challenge = parseChallenge(header(hop.response, 'www-authenticate'));
      await hop.response.body.dump();
      await this.authenticate(challenge, repository, signal);
      hop = await this.send(new URL(path, this.origin), headers, true, signal);
      if (hop.response.statusCode === 401) {
        await hop.response.body.dump();
        throw ImportFailure.sourceUnauthorized(this.host, this.credentials !== undefined, importReason('causeCredentialsRefused'));
      }
    }
    return hop;
  }

  private async send(url: URL, headers: Record<string, string>, withAuth: boolean, signal?: AbortSignal): Promise<Hop> {
    let target = url;
    for (let hop = 0; ; hop++) {
      const sameOrigin = target.origin === this.origin.origin;
      const authorization = withAuth && sameOrigin ? this.authorization() : undefined;
      const response = await this.open(
        target,
        { 'user-agent': 'wharf-import', ...headers, ...(authorization ? { authorization } : {}) },
        BODY_TIMEOUT_MS,
        signal,
      );
      const location = header(response, 'location');
      if (![301, 302, 303, 307, 308].includes(response.statusCode) || !location) return { response, url: target };
      await response.body.dump().catch(() => undefined);
      if (hop >= MAX_REDIRECTS) throw ImportFailure.invalidSource(importReason('tooManyRedirects', { max: MAX_REDIRECTS, url: url.href }));
      try {
        target = new URL(location, target);
      } catch {
        throw ImportFailure.invalidSource(importReason('redirectNotUrl', { host: target.host, location: location.slice(0, 200) }));
      }
      if (target.protocol !== 'https:' && target.protocol !== 'http:') {
        throw ImportFailure.invalidSource(importReason('redirectProtocol', { host: url.host, protocol: target.protocol }));
      }
    }
  }

  /**
   * One GET through the address policy: an IP literal is checked here (Node does no lookup for
   * it), a name by the agent's lookup once resolved.
   */
  private async open(target: URL, headers: Record<string, string>, bodyTimeout: number, signal?: AbortSignal): Promise<Dispatcher.ResponseData> {
    const literal = target.hostname.replace(/^\[(.*)\]$/, '$1');
    const refused = isIP(literal) !== 0 ? this.policy.refusal(literal) : undefined;
    if (refused) throw ImportFailure.addressNotAllowed(target.host, refused.address, refused.kind, ALLOWED_RANGES_SETTING);
    try {
      return await request(target, {
        method: 'GET',
        headers,
        dispatcher: this.agent,
        headersTimeout: HEADERS_TIMEOUT_MS,
        bodyTimeout,
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      const refusal = refusalIn(error);
      if (refusal) throw ImportFailure.addressNotAllowed(target.host, refusal.address, refusal.kind, ALLOWED_RANGES_SETTING);
      const reason: unknown = signal?.reason;
      if (signal?.aborted && reason instanceof DeadlineExceeded) throw ImportFailure.sourceTooSlow(this.host, reason.what, reason.seconds);
      if (signal?.aborted) throw ImportFailure.sourceUnreachable(target.host, reason);
      const plainHttp = target.protocol === 'https:' ? plainHttpAnswerCode(error) : undefined;
      if (plainHttp) throw ImportFailure.sourceSpeaksPlainHttp(target.host, plainHttp);
      throw ImportFailure.sourceUnreachable(target.host, error);
    }
  }

  private authorization(): string | undefined {
    if (this.token) return `Bearer ${this.token}`;
    if (this.basic && this.credentials) return basicHeader(this.credentials);
    return undefined;
  }

  private async authenticate(challenge: Challenge | undefined, repository: string, signal?: AbortSignal): Promise<void> {
    if (challenge?.scheme === 'basic') {
      if (!this.credentials) throw ImportFailure.sourceUnauthorized(this.host, false, importReason('causeAsksPassword'));
      this.basic = true;
      return;
    }
    if (challenge?.scheme !== 'bearer' || !challenge.params.realm) {
      throw ImportFailure.sourceUnauthorized(this.host, this.credentials !== undefined, importReason('causeNoChallenge'));
    }
    let realm: URL;
    try {
      realm = new URL(challenge.params.realm);
    } catch {
      throw ImportFailure.invalidSource(importReason('realmNotUrl', { realm: challenge.params.realm ?? '' }));
    }
    if (challenge.params.service) realm.searchParams.set('service', challenge.params.service);
    realm.searchParams.set('scope', challenge.params.scope ?? `repository:${repository}:pull`);
    if (realm.protocol !== 'https:' && realm.protocol !== 'http:') {
      throw ImportFailure.invalidSource(importReason('realmProtocol', { protocol: realm.protocol }));
    }
    const response = await this.open(
      realm,
      { 'user-agent': 'wharf-import', ...(this.credentials ? { authorization: basicHeader(this.credentials) } : {}) },
      HEADERS_TIMEOUT_MS,
      signal,
    );
    let text: string;
    try {
      text = await readLimited(response.body, MAX_TOKEN_BYTES);
    } catch (error) {
      throw ImportFailure.sourceUnreachable(realm.host, error);
    }
    if (response.statusCode === 401 || response.statusCode === 403) {
      throw ImportFailure.sourceUnauthorized(
        this.host,
        this.credentials !== undefined,
        importReason('causeTokenStatus', { origin: realm.origin, status: response.statusCode }),
      );
    }
    if (response.statusCode !== 200) {
      throw ImportFailure.invalidSource(importReason('causeTokenStatus', { origin: realm.origin, status: response.statusCode }));
    }
    let body: { token?: unknown; access_token?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw ImportFailure.invalidSource(importReason('tokenNotJson', { origin: realm.origin }));
    }
    const token = typeof body.token === 'string' ? body.token : typeof body.access_token === 'string' ? body.access_token : undefined;
    if (!token) throw ImportFailure.invalidSource(importReason('tokenMissing', { origin: realm.origin }));
    this.token = token;
  }

  private async expectOk(hop: Hop, subject: ImportSubject): Promise<void> {
    const { response } = hop;
    if (response.statusCode === 200) return;
    // Quote only what the source registry itself said: another host (a redirect's target) could
    // be anything, and its answer must not come back to the caller.
    const fromOrigin = hop.url.origin === this.origin.origin;
    const text = fromOrigin ? await readLimited(response.body, 2048).catch(() => '') : '';
    if (!fromOrigin) await response.body.dump().catch(() => undefined);
    const what = subject.kind === 'manifest' ? importReason('whatManifest', { image: subject.image }) : importReason('whatBlob', { digest: subject.digest });
    // The source's own words are quoted as they came.
    const reply = text.trim() ? `: ${text.trim().slice(0, 300)}` : '';
    if (response.statusCode === 403)
      throw ImportFailure.sourceUnauthorized(this.host, this.credentials !== undefined, importReason('cause403', { what, reply }));
    const answered = fromOrigin
      ? importReason('answeredSource', { host: this.host })
      : importReason('answeredRedirect', { host: hop.url.host, source: this.host });
    throw ImportFailure.invalidSource(importReason('answeredStatus', { answered, status: response.statusCode, what, reply }));
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

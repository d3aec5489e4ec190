/**
 * The few OCI Distribution API calls the benchmark needs, on one keep-alive
 * undici agent. Every URL is checked to be 127.0.0.1 before it is used, since
 * Location headers come from the server. Calls take an optional `auth`: the
 * whole Authorization header value (e.g. "Bearer <token>") for registries with
 * access control.
 */
import { createReadStream } from 'node:fs';
import { Agent, request, type Dispatcher } from 'undici';
import type { BlobFile } from './blobs.js';

// Generous timeouts: a 512 MiB PUT can take a while before the server answers.
const agent = new Agent({ headersTimeout: 600_000, bodyTimeout: 600_000, keepAliveTimeout: 30_000 });

export async function closeClient(): Promise<void> {
  await agent.close();
}

export function assertLoopback(url: URL): URL {
  if (url.hostname !== '127.0.0.1') throw new Error(`refusing non-loopback URL ${url.href}`);
  return url;
}

function authHeader(auth: string | undefined): Record<string, string> {
  return auth === undefined ? {} : { authorization: auth };
}

async function fail(what: string, res: Dispatcher.ResponseData): Promise<never> {
  const body = await res.body.text().catch(() => '');
  throw new Error(`${what}: HTTP ${res.statusCode} ${body.slice(0, 300)}`);
}

/** POST /v2/<repo>/blobs/uploads/ → the absolute session URL (Wharf's Location is relative, Distribution's absolute). */
async function startUpload(base: string, repo: string, auth: string | undefined): Promise<URL> {
  const res = await request(`${base}/v2/${repo}/blobs/uploads/`, { method: 'POST', dispatcher: agent, headers: authHeader(auth) });
  if (res.statusCode !== 202) return fail(`POST uploads ${repo}`, res);
  await res.body.dump();
  const location = res.headers.location;
  if (typeof location !== 'string') throw new Error(`POST uploads ${repo}: no Location`);
  return assertLoopback(new URL(location, base));
}

async function finishUpload(session: URL, digest: string, size: number, body: Buffer | NodeJS.ReadableStream, auth: string | undefined): Promise<void> {
  const url = new URL(session);
  url.searchParams.set('digest', digest);
  const res = await request(url, {
    method: 'PUT',
    dispatcher: agent,
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(size), ...authHeader(auth) },
    body: body as Buffer,
  });
  if (res.statusCode !== 201) return fail(`PUT ${digest}`, res);
  await res.body.dump();
}

/** Monolithic upload (POST, then one PUT ?digest= with the whole body) streamed from disk. */
export async function uploadFile(base: string, repo: string, blob: BlobFile, auth?: string): Promise<void> {
  const session = await startUpload(base, repo, auth);
  // 1 MiB reads: large enough that the client is not the bottleneck.
  const stream = createReadStream(blob.path, { highWaterMark: 1024 * 1024 });
  try {
    await finishUpload(session, blob.digest, blob.size, stream, auth);
  } finally {
    stream.destroy();
  }
}

/** Same, for small in-memory blobs (image config, tiny layer, warm-up). */
export async function uploadBytes(base: string, repo: string, bytes: Buffer, digest: string, auth?: string): Promise<void> {
  const session = await startUpload(base, repo, auth);
  await finishUpload(session, digest, bytes.length, bytes, auth);
}

/** GET a blob, discarding the body; returns the bytes received. Follows one redirect if it stays on loopback. */
export async function downloadBlob(base: string, repo: string, digest: string): Promise<number> {
  let url = new URL(`${base}/v2/${repo}/blobs/${digest}`);
  for (let hop = 0; ; hop++) {
    const res = await request(url, { dispatcher: agent });
    if (res.statusCode >= 300 && res.statusCode < 400 && hop === 0 && typeof res.headers.location === 'string') {
      await res.body.dump();
      url = assertLoopback(new URL(res.headers.location, url));
      continue;
    }
    if (res.statusCode !== 200) return fail(`GET blob ${digest}`, res);
    let bytes = 0;
    for await (const chunk of res.body) bytes += (chunk as Buffer).length;
    return bytes;
  }
}

export async function putManifest(base: string, repo: string, reference: string, manifest: Buffer, mediaType: string, auth?: string): Promise<void> {
  const res = await request(`${base}/v2/${repo}/manifests/${reference}`, {
    method: 'PUT',
    dispatcher: agent,
    headers: { 'content-type': mediaType, 'content-length': String(manifest.length), ...authHeader(auth) },
    body: manifest,
  });
  if (res.statusCode !== 201) return fail(`PUT manifest ${repo}:${reference}`, res);
  await res.body.dump();
}

export async function getJson(url: string, accept = 'application/json', auth?: string): Promise<unknown> {
  assertLoopback(new URL(url));
  const res = await request(url, { dispatcher: agent, headers: { accept, ...authHeader(auth) } });
  if (res.statusCode !== 200) return fail(`GET ${url}`, res);
  return res.body.json();
}

/** POST an application/x-www-form-urlencoded body; the answer must be 200 JSON. */
export async function postForm(url: string, form: Record<string, string>, auth?: string): Promise<Record<string, unknown>> {
  assertLoopback(new URL(url));
  const body = new URLSearchParams(form).toString();
  const res = await request(url, {
    method: 'POST',
    dispatcher: agent,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)), ...authHeader(auth) },
    body,
  });
  if (res.statusCode !== 200) return fail(`POST ${url}`, res);
  const json = (await res.body.json()) as unknown;
  if (json === null || typeof json !== 'object') throw new Error(`POST ${url}: the answer is not a JSON object`);
  return json as Record<string, unknown>;
}

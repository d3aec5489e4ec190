/**
 * The few OCI Distribution API calls the benchmark needs, on one keep-alive
 * undici agent. Every URL is checked to be 127.0.0.1 before it is used, since
 * Location headers come from the server.
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

async function fail(what: string, res: Dispatcher.ResponseData): Promise<never> {
  const body = await res.body.text().catch(() => '');
  throw new Error(`${what}: HTTP ${res.statusCode} ${body.slice(0, 300)}`);
}

/** POST /v2/<repo>/blobs/uploads/ → the absolute session URL (Wharf's Location is relative, Distribution's absolute). */
async function startUpload(base: string, repo: string): Promise<URL> {
  const res = await request(`${base}/v2/${repo}/blobs/uploads/`, { method: 'POST', dispatcher: agent });
  if (res.statusCode !== 202) return fail(`POST uploads ${repo}`, res);
  await res.body.dump();
  const location = res.headers.location;
  if (typeof location !== 'string') throw new Error(`POST uploads ${repo}: no Location`);
  return assertLoopback(new URL(location, base));
}

async function finishUpload(session: URL, digest: string, size: number, body: Buffer | NodeJS.ReadableStream): Promise<void> {
  const url = new URL(session);
  url.searchParams.set('digest', digest);
  const res = await request(url, {
    method: 'PUT',
    dispatcher: agent,
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
    body: body as Buffer,
  });
  if (res.statusCode !== 201) return fail(`PUT ${digest}`, res);
  await res.body.dump();
}

/** Monolithic upload (POST, then one PUT ?digest= with the whole body) streamed from disk. */
export async function uploadFile(base: string, repo: string, blob: BlobFile): Promise<void> {
  const session = await startUpload(base, repo);
  // 1 MiB reads: large enough that the client is not the bottleneck.
  const stream = createReadStream(blob.path, { highWaterMark: 1024 * 1024 });
  try {
    await finishUpload(session, blob.digest, blob.size, stream);
  } finally {
    stream.destroy();
  }
}

/** Same, for small in-memory blobs (image config, tiny layer, warm-up). */
export async function uploadBytes(base: string, repo: string, bytes: Buffer, digest: string): Promise<void> {
  const session = await startUpload(base, repo);
  await finishUpload(session, digest, bytes.length, bytes);
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

export async function putManifest(base: string, repo: string, reference: string, manifest: Buffer, mediaType: string): Promise<void> {
  const res = await request(`${base}/v2/${repo}/manifests/${reference}`, {
    method: 'PUT',
    dispatcher: agent,
    headers: { 'content-type': mediaType, 'content-length': String(manifest.length) },
    body: manifest,
  });
  if (res.statusCode !== 201) return fail(`PUT manifest ${repo}:${reference}`, res);
  await res.body.dump();
}

export async function getJson(url: string, accept = 'application/json'): Promise<unknown> {
  assertLoopback(new URL(url));
  const res = await request(url, { dispatcher: agent, headers: { accept } });
  if (res.statusCode !== 200) return fail(`GET ${url}`, res);
  return res.body.json();
}

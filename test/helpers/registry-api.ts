/**
 * Thin OCI Distribution calls over request(), for tests that check the wire directly or need
 * to set up state without a client. They return the raw response; callers assert on it, so a
 * failing status shows up in the test that cares, with the whole response.
 */
import { randomBytes } from 'node:crypto';
import { MEDIA } from './contract.js';
import { sha256, type HttpResponse } from './http.js';
import type { WharfServer } from './wharf-server.js';

/** Encodes a repository name for a path: slashes stay, as clients send them. */
export function v2(repo: string, rest: string): string {
  return `/v2/${repo}/${rest}`;
}

/** Resolves a Location header (relative or absolute) to a path + query on the same server. */
export function locationPath(w: WharfServer, location: string | undefined): string {
  if (!location) throw new Error('no Location header');
  if (location.startsWith('/')) return location;
  const url = new URL(location);
  if (url.host !== w.host) throw new Error(`Location points at another host: ${location}`);
  return url.pathname + url.search;
}

/** Appends a query parameter to a Location path that may already carry a query. */
export function withQuery(path: string, key: string, value: string): string {
  return `${path}${path.includes('?') ? '&' : '?'}${key}=${encodeURIComponent(value)}`;
}

export async function startUpload(w: WharfServer, repo: string): Promise<HttpResponse> {
  return w.request(v2(repo, 'blobs/uploads/'), { method: 'POST', headers: { 'content-length': '0' } });
}

/** POST then PUT ?digest= with the whole body: the two-step monolithic upload. */
export async function pushBlob(w: WharfServer, repo: string, data: Buffer, digest = sha256(data)): Promise<HttpResponse> {
  const post = await startUpload(w, repo);
  if (post.status !== 202) return post;
  return w.request(withQuery(locationPath(w, post.headers.location), 'digest', digest), {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(data.length) },
    body: data,
  });
}

export async function putManifest(
  w: WharfServer,
  repo: string,
  ref: string,
  body: Buffer | string,
  mediaType: string = MEDIA.ociManifest,
): Promise<HttpResponse> {
  return w.request(v2(repo, `manifests/${ref}`), { method: 'PUT', headers: { 'content-type': mediaType }, body });
}

export async function getManifest(w: WharfServer, repo: string, ref: string, accept?: string): Promise<HttpResponse> {
  return w.request(v2(repo, `manifests/${ref}`), {
    headers: { accept: accept ?? [MEDIA.ociManifest, MEDIA.ociIndex, MEDIA.dockerManifest, MEDIA.dockerList].join(', ') },
  });
}

export async function getBlob(w: WharfServer, repo: string, digest: string, headers: Record<string, string> = {}): Promise<HttpResponse> {
  return w.request(v2(repo, `blobs/${digest}`), { headers });
}

/** A minimal image (random config + random layers, uploaded) and its manifest bytes, not yet pushed. */
export async function uploadImage(
  w: WharfServer,
  repo: string,
  opts: { layers?: number; layerSize?: number } = {},
): Promise<{ manifest: Buffer; digest: string; blobs: { digest: string; data: Buffer }[] }> {
  const blobs: { digest: string; data: Buffer }[] = [];
  for (let i = 0; i < (opts.layers ?? 1); i++) {
    const data = randomBytes(opts.layerSize ?? 512);
    blobs.push({ digest: sha256(data), data });
  }
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      nonce: randomBytes(8).toString('hex'),
      rootfs: { type: 'layers', diff_ids: blobs.map((b) => b.digest) },
    }),
  );
  blobs.push({ digest: sha256(config), data: config });
  for (const b of blobs) {
    const res = await pushBlob(w, repo, b.data, b.digest);
    if (res.status !== 201) throw new Error(`blob upload failed: ${res.status} ${res.text()}`);
  }
  const manifest = imageManifest(
    { digest: sha256(config), size: config.length },
    blobs.slice(0, -1).map((b) => ({ digest: b.digest, size: b.data.length })),
  );
  return { manifest, digest: sha256(manifest), blobs };
}

export function imageManifest(
  config: { digest: string; size: number; mediaType?: string },
  layers: { digest: string; size: number }[],
  extra: Record<string, unknown> = {},
): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA.ociManifest,
      config: { mediaType: config.mediaType ?? MEDIA.ociConfig, digest: config.digest, size: config.size },
      layers: layers.map((l) => ({ mediaType: MEDIA.ociLayerGzip, digest: l.digest, size: l.size })),
      ...extra,
    }),
  );
}

let seq = 0;
/** A repository name unique within this process, so tests never see each other's data. */
export function uniqueRepo(prefix: string): string {
  return `${prefix}/r${process.pid}-${++seq}-${randomBytes(3).toString('hex')}`;
}

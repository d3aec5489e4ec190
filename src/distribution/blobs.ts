/**
 * Blob endpoints: GET/HEAD (with Range) and DELETE of `/v2/<name>/blobs/<digest>`. A
 * repository whose readEnabled is false serves no blobs; deleting needs its deleteEnabled and
 * writeEnabled (distribution/changeable-attributes.ts). A registry with dedicated data endpoints answers
 * GET with a redirect to a signed URL there (network/data-endpoint-redirects.ts); a blob store
 * that signs URLs of its own (Azure Blob Storage with `downloadRedirectMinutes`) with one to it.
 */
import { ALL_ENABLED, repositoryAttributes, repositoryLevel, requireEnabled } from './changeable-attributes.js';
import { errors } from '../kernel/errors.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import type { ByteRange } from '../storage/blob/blob-store.js';
import type { DistributionServices, Handler } from './context.js';
import { requireDigest } from './digest.js';
import { parseByteRange } from './http-helpers.js';

export const headOrGetBlob: Handler = async ({ services, registry, repo, params, request, reply }) => {
  const digest = requireDigest(params.digest!).value;
  const stat = await services.store.blobs.stat(repo, digest);
  if (!stat) throw errors.blobUnknown(digest);
  const readEnabled = stat.readEnabled ?? (await repositoryAttributes(services.store, repo)).readEnabled;
  if (!readEnabled) requireEnabled(request, 'read', [repositoryLevel(repo, { ...ALL_ENABLED, readEnabled })]);
  if (request.method === 'GET') {
    // Dedicated data endpoints: the login server authorizes, the data endpoint serves the bytes.
    const location = await services.blobRedirects?.locationFor(registry, digest, request.socket.localPort ?? 0);
    if (location !== undefined) return reply.code(307).header('Location', location).send();
    // A blob store that signs URLs serves the bytes itself, as ACR's storage does, if it has them.
    const direct = await services.blobStore.downloadLocation?.(digest);
    if (direct !== undefined && (await services.blobStore.stat(digest)) === stat.size) return reply.code(307).header('Location', direct).send();
  }
  return sendBlob(services, digest, stat.size, request, reply);
};

/**
 * Answers a blob HEAD or GET (with Range: 206, or 416) for content known to exist with `size`
 * bytes; shared by the login server and the data endpoints (network/data-endpoint-routes.ts).
 */
/** What serving a blob's bytes uses. */
export type BlobServing = Pick<DistributionServices, 'blobStore' | 'metrics'>;

export async function sendBlob(services: BlobServing, digest: string, size: number, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  // HEAD must agree with GET: content the metadata knows but the blob store lacks (deleted,
  // quarantined by a scrub, cut short) is unknown, not 200.
  if ((await services.blobStore.stat(digest)) !== size) {
    request.log.error({ digest }, 'blob is in the metadata store but its content is missing or of another size');
    throw errors.blobUnknown(digest);
  }
  const range = parseByteRange(request.headers.range, size);
  const length = range ? range.end - range.start + 1 : size;
  // Open before any header is set, so a failure still gets a clean error response.
  // The size is known here, so the store need not look it up again.
  const stream = request.method === 'HEAD' ? null : await openBlob(services, digest, range ?? { start: 0, end: size - 1 }, request);
  reply.header('Docker-Content-Digest', digest);
  reply.header('Accept-Ranges', 'bytes');
  reply.header('Content-Type', 'application/octet-stream');
  reply.header('ETag', `"${digest}"`);
  reply.header('Cache-Control', 'max-age=31536000');
  reply.header('Content-Length', String(length));
  if (range) {
    reply.code(206);
    reply.header('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
  }
  if (!stream) return reply.send();
  services.metrics.blobBytesServed.inc(length);
  return reply.send(stream);
}

async function openBlob(services: BlobServing, digest: string, range: ByteRange, request: FastifyRequest): Promise<Readable> {
  try {
    return await services.blobStore.open(digest, range);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      request.log.error({ digest }, 'blob is in the metadata store but missing from the blob store');
      throw errors.blobUnknown(digest);
    }
    throw error;
  }
}

export const deleteBlob: Handler = async ({ services, registry, repo, params, request, reply }) => {
  if (!registry.deletesEnabled) throw errors.deletesDisabled(registry.name);
  const digest = requireDigest(params.digest!).value;
  requireEnabled(request, 'delete', [repositoryLevel(repo, await repositoryAttributes(services.store, repo))]);
  if (!(await services.store.blobs.unlink(repo, digest))) throw errors.blobUnknown(digest);
  reply.header('Docker-Content-Digest', digest);
  return reply.code(202).send();
};

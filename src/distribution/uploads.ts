/**
 * Blob upload endpoints: `POST /v2/<name>/blobs/uploads/` (session, monolithic with `digest`,
 * cross-repository mount), and GET/PATCH/PUT/DELETE of `/v2/<name>/blobs/uploads/<uuid>`.
 * Locations are relative, as ACR's are (the Azure SDK appends them to its endpoint).
 */
import { errors } from '../kernel/errors.js';
import type { RepositoryRef, UploadRecord } from '../storage/metadata/store.js';
import type { Handler, HandlerContext } from './context.js';
import { requireDigest } from './digest.js';
import { contentLengthOf, hasBody, parseChunkRange, uploadRange } from './http-helpers.js';
import { checkRepositoryName, isValidRepositoryName } from './names.js';
import type { AccessEntry } from '../access/scopes.js';
import { localize } from '../i18n/localized.js';
import { distributionMessages } from './distribution-messages.js';

function uploadLocation(repo: RepositoryRef, id: string): string {
  return `/v2/${repo.repository}/blobs/uploads/${id}`;
}

function blobLocation(repo: RepositoryRef, digest: string): string {
  return `/v2/${repo.repository}/blobs/${digest}`;
}

function sessionHeaders(ctx: HandlerContext, upload: UploadRecord, size: number): void {
  ctx.reply.header('Location', uploadLocation(ctx.repo, upload.id));
  ctx.reply.header('Docker-Upload-UUID', upload.id);
  ctx.reply.header('Range', uploadRange(size));
  ctx.reply.header('OCI-Chunk-Min-Length', '0');
}

function created(ctx: HandlerContext, digest: string) {
  ctx.reply.header('Location', blobLocation(ctx.repo, digest));
  ctx.reply.header('Docker-Content-Digest', digest);
  return ctx.reply.code(201).send();
}

/** Tries a cross-repository mount; false means "fall back to a normal upload". */
async function tryMount(ctx: HandlerContext, digest: string, from: string | null): Promise<boolean> {
  const { store } = ctx.services;
  const source = from !== null ? checkRepositoryName(from) : await store.blobs.findRepository(ctx.registry.name, digest);
  if (source === undefined) return false;
  // Under the digest's lock, so garbage collection cannot delete the file between the look and the link.
  return ctx.services.blobStore.withDigestLock(digest, async () => {
    const stat = await store.blobs.stat({ registry: ctx.registry.name, repository: source }, digest);
    if (!stat) return false;
    // Without its content (deleted, quarantined), the blob is not there to mount: the client
    // uploads it instead, which also heals it.
    if ((await ctx.services.blobStore.stat(digest)) !== stat.size) return false;
    return store.blobs.link(ctx.repo, digest);
  });
}

/** A mount's source repository, when the query names a valid one. */
function mountSource(query: URLSearchParams): AccessEntry | null {
  const from = query.has('mount') ? query.get('from') : null;
  return from && isValidRepositoryName(from) ? { type: 'repository', name: from, actions: ['pull'] } : null;
}

/**
 * A mount reads the blob from another repository: a refusal's challenge asks for pull there
 * too, as Distribution's does, so a token client gets one token that can mount (the route
 * table declares it for POST …/blobs/uploads/).
 */
export function mountChallenge(query: URLSearchParams): AccessEntry[] {
  const source = mountSource(query);
  return source ? [source] : [];
}

/** A mount only where the client may pull from its source; otherwise the upload goes on without it. */
async function keepMountIfAllowed(ctx: HandlerContext): Promise<void> {
  const { query, services } = ctx;
  const from = query.get('from');
  if (from) checkRepositoryName(from);
  const source = mountSource(query);
  const mayRead = source ? await services.mounts.mayMountFrom(ctx.request, ctx.request.registryTarget!, ctx.required!, source) : services.mounts.openAccess;
  if (!mayRead) {
    query.delete('mount');
    query.delete('from');
  }
}

export const startUpload: Handler = async (ctx) => {
  const { query, services, request, reply } = ctx;
  if (query.has('mount')) await keepMountIfAllowed(ctx);
  const mount = query.get('mount');
  if (mount !== null) {
    const digest = requireDigest(mount).value;
    if (await tryMount(ctx, digest, query.get('from'))) return created(ctx, digest);
  }
  const digestParam = query.get('digest');
  // Validate before a session exists, so a refused request leaves nothing behind.
  const digest = digestParam !== null ? requireDigest(digestParam) : null;
  if (digest === null && hasBody(request.raw)) {
    throw errors.uploadInvalid(localize(distributionMessages, 'postBodyNeedsDigest'));
  }
  const upload = await services.uploads.start(ctx.repo);
  if (digest !== null) {
    // Monolithic upload: the whole blob is this request's body.
    const size = await services.uploads.finish(upload, digest, request.raw);
    services.metrics.blobBytesReceived.inc(size);
    return created(ctx, digest.value);
  }
  sessionHeaders(ctx, upload, 0);
  return reply.code(202).send();
};

export const uploadStatus: Handler = async (ctx) => {
  const upload = await ctx.services.uploads.get(ctx.repo, ctx.params.uuid!);
  sessionHeaders(ctx, upload, upload.size);
  return ctx.reply.code(204).send();
};

export const patchUpload: Handler = async (ctx) => {
  const { services, request } = ctx;
  const upload = await services.uploads.get(ctx.repo, ctx.params.uuid!);
  const range = parseChunkRange(request.headers['content-range'], upload.size);
  const before = upload.size;
  const size = await services.uploads.append(upload, request.raw, range, contentLengthOf(request.raw));
  services.metrics.blobBytesReceived.inc(size - before);
  sessionHeaders(ctx, upload, size);
  return ctx.reply.code(202).send();
};

export const finishUpload: Handler = async (ctx) => {
  const { services, request, query } = ctx;
  const upload = await services.uploads.get(ctx.repo, ctx.params.uuid!);
  const digestParam = query.get('digest');
  if (digestParam === null) throw errors.digestInvalid(localize(distributionMessages, 'digestRequired'));
  const digest = requireDigest(digestParam);
  const before = upload.size;
  const size = await services.uploads.finish(upload, digest, hasBody(request.raw) ? request.raw : null);
  services.metrics.blobBytesReceived.inc(size - before);
  return created(ctx, digest.value);
};

export const cancelUpload: Handler = async (ctx) => {
  const upload = await ctx.services.uploads.get(ctx.repo, ctx.params.uuid!);
  await ctx.services.uploads.cancel(upload);
  return ctx.reply.code(204).send();
};

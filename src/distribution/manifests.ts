/** Manifest endpoints: GET/HEAD/PUT/DELETE of `/v2/<name>/manifests/<reference>`. */
import { errors } from '../server/errors.js';
import type { Handler } from './context.js';
import { digestOf, isDigestReference, requireDigest } from './digest.js';
import { readBody } from './http-helpers.js';
import { accepts, parseManifest } from './manifest-validation.js';
import { checkTag } from './names.js';

/** A reference is a digest (validated) or a tag (validated). */
function checkReference(reference: string): string {
  return isDigestReference(reference) ? requireDigest(reference).value : checkTag(reference);
}

export const headOrGetManifest: Handler = async ({ services, repo, params, request, reply }) => {
  const reference = checkReference(params.reference!);
  const manifest = await services.store.manifests.get(repo, reference);
  if (!manifest) throw errors.manifestUnknown(repo.repository, reference);
  if (!accepts(request.headers.accept, manifest.mediaType)) {
    throw errors.manifestNotAcceptable(repo.repository, reference, manifest.mediaType);
  }
  reply.header('Content-Type', manifest.mediaType);
  reply.header('Docker-Content-Digest', manifest.digest);
  reply.header('ETag', `"${manifest.digest}"`);
  reply.header('Content-Length', String(manifest.size));
  if (request.method === 'HEAD') return reply.send();
  return reply.send(manifest.content);
};

export const putManifest: Handler = async ({ services, repo, params, request, reply }) => {
  const reference = checkReference(params.reference!);
  const content = await readBody(request.raw, services.manifestMaxBytes);
  const parsed = parseManifest(content, request.headers['content-type']);
  const byDigest = isDigestReference(reference);
  const algorithm = byDigest ? requireDigest(reference).algorithm : 'sha256';
  const digest = digestOf(algorithm, content);
  if (byDigest && digest !== reference) {
    throw errors.digestInvalid(`the manifest's ${algorithm} is ${digest}, not ${reference}`, { expected: reference, actual: digest });
  }
  const result = await services.store.manifests.put(
    repo,
    { digest, size: content.length, content, ...parsed },
    byDigest ? null : reference,
  );
  if (!result.ok) {
    if ('missing' in result) throw errors.manifestBlobUnknown(result.missing.digest, repo.repository);
    throw errors.manifestInvalid(
      `descriptor of ${result.sizeMismatch.digest} says ${result.sizeMismatch.size} bytes but the stored content has ${result.actual}`,
      { digest: result.sizeMismatch.digest },
    );
  }
  reply.header('Location', `/v2/${repo.repository}/manifests/${digest}`);
  reply.header('Docker-Content-Digest', digest);
  if (parsed.subject) reply.header('OCI-Subject', parsed.subject);
  return reply.code(201).send();
};

export const deleteManifest: Handler = async ({ services, registry, repo, params, reply }) => {
  if (!registry.deletesEnabled) throw errors.deletesDisabled(registry.name);
  const reference = checkReference(params.reference!);
  const deleted = isDigestReference(reference)
    ? await services.store.manifests.delete(repo, reference)
    : await services.store.manifests.untag(repo, reference);
  if (!deleted) throw errors.manifestUnknown(repo.repository, reference);
  return reply.code(202).send();
};

/**
 * Manifest endpoints: GET/HEAD/PUT/DELETE of `/v2/<name>/manifests/<reference>`, with ACR's
 * changeable attributes as gates (distribution/changeable-attributes.ts). Each GET, PUT and DELETE is
 * a repository event of the audit trail, described before anything can fail so refusals are
 * recorded too.
 */
import {
  loadGates,
  manifestLevel,
  repositoryAttributes,
  repositoryLevel,
  requireEnabled,
  requireManifestReadable,
  tagLevel,
  type GateLevel,
} from './changeable-attributes.js';
import { auditOf, type RepositoryOperation, type RequestAudit } from '../audit/request-audit.js';
import { errors } from '../kernel/errors.js';
import type { Handler } from './context.js';
import { digestOf, isDigestReference, parseDigest, requireDigest } from './digest.js';
import { readBody } from './http-helpers.js';
import { accepts, parseManifest } from './manifest-validation.js';
import { checkTag, isValidTag } from './names.js';
import { localize } from '../i18n/localized.js';
import { distributionMessages } from './distribution-messages.js';

type RepositoryEvent = NonNullable<RequestAudit['repository']>;

/** Describes the request as a repository event of the audit trail, from the raw reference. */
function recordEvent(
  request: Parameters<typeof auditOf>[0],
  operationName: RepositoryOperation,
  repository: string,
  reference: string,
  byDigest: boolean,
): RepositoryEvent {
  const event: RepositoryEvent = { operationName, repository, tag: byDigest ? null : reference, digest: byDigest ? reference : null };
  auditOf(request).repository = event;
  return event;
}

/** A reference is a digest (validated) or a tag (validated). */
function checkReference(reference: string): string {
  return isDigestReference(reference) ? requireDigest(reference).value : checkTag(reference);
}

/**
 * A reference to read: a valid digest or tag, else null. Nothing can be stored under any other
 * reference, so reading one is "not found" (the OCI conformance suite reads
 * `.INVALID_MANIFEST_NAME`; Distribution 2.8 answers 404 for it too).
 */
function readableReference(reference: string): string | null {
  if (isDigestReference(reference)) return parseDigest(reference)?.value ?? null;
  return isValidTag(reference) ? reference : null;
}

export const headOrGetManifest: Handler = async ({ services, repo, params, request, reply }) => {
  const raw = params.reference!;
  const byDigest = isDigestReference(raw);
  // HEAD is how clients check for existence; ACR logs pulls of content only.
  const event = request.method === 'GET' ? recordEvent(request, 'Pull', repo.repository, raw, byDigest) : undefined;
  const reference = readableReference(raw);
  const manifest = reference === null ? undefined : await services.store.manifests.get(repo, reference);
  if (!manifest || reference === null) throw errors.manifestUnknown(repo.repository, raw);
  if (event) {
    event.digest = manifest.digest;
    event.mediaType = manifest.mediaType;
    event.artifactType = manifest.artifactType;
    event.size = manifest.size;
  }
  const tag = byDigest ? undefined : reference;
  const gates = manifest.attributes ?? (await loadGates(services.store, repo, manifest, tag));
  requireManifestReadable(request, repo, manifest.digest, gates, tag);
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
  const raw = params.reference!;
  const byDigest = isDigestReference(raw);
  const event = recordEvent(request, 'Push', repo.repository, raw, byDigest);
  const reference = checkReference(raw);
  const content = await readBody(request.raw, services.manifestMaxBytes);
  const parsed = parseManifest(content, request.headers['content-type']);
  const algorithm = byDigest ? requireDigest(reference).algorithm : 'sha256';
  const digest = digestOf(algorithm, content);
  Object.assign(event, { digest, mediaType: parsed.mediaType, artifactType: parsed.artifactType, size: content.length });
  if (byDigest && digest !== reference) {
    throw errors.digestInvalid(localize(distributionMessages, 'manifestDigestMismatch', { algorithm, digest, reference }), {
      expected: reference,
      actual: digest,
    });
  }
  // A locked repository takes no pushes; a locked tag does not move.
  const levels: GateLevel[] = [repositoryLevel(repo, await repositoryAttributes(services.store, repo))];
  const existingTag = byDigest ? undefined : await services.store.properties.tag(repo, reference);
  if (existingTag) levels.push(tagLevel(repo, reference, existingTag.changeableAttributes));
  requireEnabled(request, 'write', levels);
  const result = await services.store.manifests.put(repo, { digest, size: content.length, content, ...parsed }, byDigest ? null : reference);
  if (!result.ok) {
    if ('missing' in result) throw errors.manifestBlobUnknown(result.missing.digest, repo.repository);
    throw errors.manifestInvalid(
      localize(distributionMessages, 'descriptorSizeMismatch', { digest: result.sizeMismatch.digest, size: result.sizeMismatch.size, actual: result.actual }),
      { digest: result.sizeMismatch.digest },
    );
  }
  reply.header('Location', `/v2/${repo.repository}/manifests/${digest}`);
  reply.header('Docker-Content-Digest', digest);
  if (parsed.subject) reply.header('OCI-Subject', parsed.subject);
  return reply.code(201).send();
};

/** DELETE by digest deletes the manifest and its tags; DELETE by tag removes only the tag. */
export const deleteManifest: Handler = async ({ services, registry, repo, params, request, reply }) => {
  const raw = params.reference!;
  const byDigest = isDigestReference(raw);
  const event = recordEvent(request, byDigest ? 'Delete' : 'Untag', repo.repository, raw, byDigest);
  if (!registry.deletesEnabled) throw errors.deletesDisabled(registry.name);
  // As Distribution 2.8: a malformed digest is DIGEST_INVALID, a reference that is no tag is not found.
  if (!byDigest && !isValidTag(raw)) throw errors.manifestUnknown(repo.repository, raw);
  const reference = checkReference(raw);
  const levels: GateLevel[] = [repositoryLevel(repo, await repositoryAttributes(services.store, repo))];
  if (byDigest) {
    const manifest = await services.store.properties.manifest(repo, reference);
    if (!manifest) throw errors.manifestUnknown(repo.repository, reference);
    Object.assign(event, { mediaType: manifest.mediaType, size: manifest.size });
    levels.push(manifestLevel(repo, reference, manifest.changeableAttributes));
    // Its tags go with it, so a locked tag protects the manifest too.
    for (const name of manifest.tags) {
      const tag = await services.store.properties.tag(repo, name);
      if (tag) levels.push(tagLevel(repo, name, tag.changeableAttributes));
    }
  } else {
    const tag = await services.store.properties.tag(repo, reference);
    if (!tag) throw errors.manifestUnknown(repo.repository, reference);
    event.digest = tag.digest;
    levels.push(tagLevel(repo, reference, tag.changeableAttributes));
  }
  requireEnabled(request, 'delete', levels);
  const deleted = byDigest ? await services.store.manifests.delete(repo, reference) : await services.store.manifests.untag(repo, reference);
  if (!deleted) throw errors.manifestUnknown(repo.repository, reference);
  return reply.code(202).send();
};

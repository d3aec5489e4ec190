/**
 * Copies an image (one manifest, or an index with its child manifests) from a source into
 * repositories of a target registry, as ACR's importImage does. Three steps:
 *  1. plan: fetch every manifest (an index's children too), validate each with the registry's
 *     own manifest validation and list the blobs they need;
 *  2. blobs: bring each missing blob into the first target repository — linked when this
 *     Wharf already stores it for the source or the target registry, else streamed from the
 *     source through an upload session (hashed while written, committed only if the digest
 *     matches: nothing half-written is ever visible); other target repositories link it;
 *  3. manifests: store children before their index, then move the tags.
 * NoForce refuses before anything is copied when a target tag points at another manifest.
 */
import { Readable } from 'node:stream';
import { parseDigest } from '../distribution/digest.js';
import { MediaTypes, parseManifest, type ParsedManifest } from '../distribution/manifest-validation.js';
import type { UploadSessions } from '../distribution/upload-sessions.js';
import { RegistryError } from '../kernel/errors.js';
import type { BlobStore } from '../storage/blob/blob-store.js';
import type { MetadataStore, RepositoryRef } from '../storage/metadata/store.js';
import { operationStep, type ProgressReporter } from '../domain/operation-tracker.js';
import { ImportFailure, importReason } from './import-errors.js';
import type { ImageSource } from './image-sources.js';
import { DeadlineExceeded } from './remote-registry.js';

export type ImportMode = 'NoForce' | 'Force';

export interface ImportTarget {
  repository: string;
  /** null: the image lands untagged (untaggedTargetRepositories). */
  tag: string | null;
}

interface ImportRequest {
  registry: string;
  source: ImageSource;
  sourceRepository: string;
  /** Tag or digest in the source repository. */
  reference: string;
  targets: ImportTarget[];
  mode: ImportMode;
}

export interface ImportResult {
  digest: string;
  mediaType: string;
  /** Manifests stored (the image, or an index and its children). */
  manifests: number;
  blobs: number;
  /** Blobs whose bytes were copied, and how many bytes that was. */
  blobsCopied: number;
  bytesCopied: number;
  /** Blobs made visible by reference (already stored in this Wharf). */
  blobsLinked: number;
  targets: string[];
}

interface ImportDependencies {
  store: MetadataStore;
  blobStore: BlobStore;
  uploads: UploadSessions;
}

/** An index may list many platforms, but not without bound. */
const MAX_MANIFESTS = 1000;
/** Every manifest is held in memory until the blobs are in: their total is bounded too. */
const MAX_MANIFEST_BYTES_TOTAL = 64 * 1024 * 1024;

interface PlannedManifest {
  digest: string;
  content: Buffer;
  parsed: ParsedManifest;
}

interface PlannedBlob {
  digest: string;
  size: number;
}

const INDEXES = new Set<string>([MediaTypes.ociIndex, MediaTypes.dockerManifestList]);

export async function importImage(deps: ImportDependencies, request: ImportRequest, progress: ProgressReporter): Promise<ImportResult> {
  const separator = request.reference.includes(':') ? '@' : ':';
  progress.update({
    step: operationStep('readingSource', { image: `${request.sourceRepository}${separator}${request.reference}`, source: request.source.name }),
  });
  const manifests = await plan(request.source, request.reference);
  const root = manifests[manifests.length - 1]!;
  await checkTargets(deps.store, request, root.digest);

  const blobs = uniqueBlobs(manifests);
  progress.update({
    bytesTotal: blobs.reduce((sum, b) => sum + b.size, 0),
    itemsTotal: blobs.length + manifests.length,
    itemsDone: 0,
  });
  const repositories = [...new Set(request.targets.map((t) => t.repository))];
  const [first, ...others] = repositories.map((repository): RepositoryRef => ({ registry: request.registry, repository }));
  let copied = 0;
  let bytesCopied = 0;
  let linked = 0;
  for (const blob of blobs) {
    progress.update({ step: operationStep('copyingBlob', { digest: blob.digest }) });
    const how = await bringBlob(deps, request.source, first!, blob, progress);
    if (how === 'copied') {
      copied++;
      bytesCopied += blob.size;
    } else {
      linked++;
      progress.addBytes(blob.size);
    }
    for (const other of others) await linkStored(deps, other, blob.digest);
    progress.update({ itemsDone: copied + linked });
  }

  progress.update({ step: operationStep('storingManifests') });
  for (const ref of [first!, ...others]) {
    for (const manifest of manifests) {
      const tags = manifest === root ? request.targets.filter((t) => t.repository === ref.repository && t.tag !== null) : [];
      // The manifest once, then each tag (put moves a tag in the same transaction).
      await putManifest(deps.store, ref, manifest, null);
      for (const target of tags) await putManifest(deps.store, ref, manifest, target.tag);
    }
  }
  progress.update({ itemsDone: blobs.length + manifests.length });
  return {
    digest: root.digest,
    mediaType: root.parsed.mediaType,
    manifests: manifests.length,
    blobs: blobs.length,
    blobsCopied: copied,
    bytesCopied,
    blobsLinked: linked,
    targets: request.targets.map((t) => (t.tag === null ? `${t.repository}@${root.digest}` : `${t.repository}:${t.tag}`)),
  };
}

/** Every manifest of the image, children before the index that lists them. */
async function plan(source: ImageSource, reference: string): Promise<PlannedManifest[]> {
  const ordered: PlannedManifest[] = [];
  const seen = new Set<string>();
  let totalBytes = 0;
  const visit = async (ref: string, expected: { size: number } | undefined, depth: number): Promise<void> => {
    if (ordered.length >= MAX_MANIFESTS) throw ImportFailure.invalidSource(importReason('tooManyManifests', { max: MAX_MANIFESTS }));
    const fetched = await source.manifest(ref);
    totalBytes += fetched.content.length;
    if (totalBytes > MAX_MANIFEST_BYTES_TOTAL) {
      throw ImportFailure.invalidSource(importReason('manifestsTooBig', { mib: MAX_MANIFEST_BYTES_TOTAL / (1024 * 1024) }));
    }
    if (expected && fetched.content.length !== expected.size) {
      throw ImportFailure.manifestInvalid(importReason('indexSizeMismatch', { ref, expected: expected.size, actual: fetched.content.length }));
    }
    let parsed: ParsedManifest;
    try {
      parsed = parseManifest(fetched.content, fetched.mediaType);
    } catch (error) {
      if (error instanceof RegistryError) throw ImportFailure.manifestInvalid(error.text);
      throw error;
    }
    if (INDEXES.has(parsed.mediaType)) {
      // Docker and OCI indexes hold image manifests; deeper nesting is allowed but bounded.
      if (depth > 3) throw ImportFailure.manifestInvalid(importReason('nestedTooDeep'));
      for (const child of parsed.children) {
        if (!seen.has(child.digest)) {
          seen.add(child.digest);
          await visit(child.digest, { size: child.size }, depth + 1);
        }
      }
    }
    ordered.push({ digest: fetched.digest, content: fetched.content, parsed });
  };
  await visit(reference, undefined, 0);
  return ordered;
}

function uniqueBlobs(manifests: PlannedManifest[]): PlannedBlob[] {
  const blobs = new Map<string, PlannedBlob>();
  for (const manifest of manifests) {
    for (const child of manifest.parsed.children) {
      if (child.kind === 'blob' && !blobs.has(child.digest)) blobs.set(child.digest, { digest: child.digest, size: child.size });
    }
  }
  return [...blobs.values()];
}

/**
 * A locked repository takes no import; NoForce: a target tag that exists must already point at
 * this manifest; a locked tag never moves.
 */
async function checkTargets(store: MetadataStore, request: ImportRequest, digest: string): Promise<void> {
  for (const repository of new Set(request.targets.map((t) => t.repository))) {
    const properties = await store.properties.repository({ registry: request.registry, repository });
    if (properties && !properties.changeableAttributes.writeEnabled) throw ImportFailure.repositoryLocked(repository);
  }
  for (const target of request.targets) {
    if (target.tag === null) continue;
    const existing = await store.properties.tag({ registry: request.registry, repository: target.repository }, target.tag);
    if (!existing || existing.digest === digest) continue;
    if (request.mode === 'NoForce') throw ImportFailure.tagExists(target.repository, target.tag);
    if (!existing.changeableAttributes.writeEnabled) throw ImportFailure.tagLocked(target.repository, target.tag);
  }
}

async function bringBlob(
  deps: ImportDependencies,
  source: ImageSource,
  target: RepositoryRef,
  blob: PlannedBlob,
  progress: ProgressReporter,
): Promise<'copied' | 'linked'> {
  if (await deps.store.blobs.stat(target, blob.digest)) return 'linked';
  // Already stored for the target registry: make it visible here too, as a mount would.
  const holder = await deps.store.blobs.findRepository(target.registry, blob.digest);
  if (holder !== undefined && (await linkStored(deps, target, blob.digest))) return 'linked';
  const data = await source.blob(blob.digest, blob.size, target);
  if (data === 'linked') return 'linked';
  const digest = parseDigest(blob.digest)!;
  const counted = Readable.from(
    (async function* () {
      let received = 0;
      for await (const chunk of data) {
        received += (chunk as Buffer).length;
        // Stop at the first byte past the size the manifest gives: a source cannot fill the disk.
        if (received > blob.size) {
          throw ImportFailure.manifestInvalid(importReason('blobLonger', { size: blob.size, digest: blob.digest }));
        }
        progress.addBytes((chunk as Buffer).length);
        yield chunk as Buffer;
      }
    })(),
  );
  const upload = await deps.uploads.start(target);
  try {
    await deps.uploads.finish(upload, digest, counted);
  } catch (error) {
    data.destroy();
    // A wrong digest has already cancelled the session; anything else leaves it to cancel here.
    await deps.uploads.cancel(upload).catch(() => undefined);
    if (error instanceof RegistryError && error.code === 'DIGEST_INVALID') {
      const actual = (error.detail as { actual?: string } | null)?.actual ?? importReason('anotherDigest');
      throw ImportFailure.digestMismatch({ kind: 'blob', digest: blob.digest }, blob.digest, actual);
    }
    if (error instanceof ImportFailure) throw error;
    if (error instanceof DeadlineExceeded) throw ImportFailure.sourceTooSlow(source.name, error.what, error.seconds);
    throw ImportFailure.invalid(
      'SourceRegistryUnreachable',
      importReason('copyFailed', { digest: blob.digest, source: source.name, detail: (error as Error).message }),
    );
  }
  return 'copied';
}

/**
 * Links a blob this Wharf stores into `target`, under the digest's lock and only if its file is
 * still there (the collector deletes files under the same lock), as a cross-repository mount does.
 */
async function linkStored(deps: ImportDependencies, target: RepositoryRef, digest: string): Promise<boolean> {
  return deps.blobStore.withDigestLock(digest, async () => {
    if ((await deps.blobStore.stat(digest)) === undefined) return false;
    return deps.store.blobs.link(target, digest);
  });
}

async function putManifest(store: MetadataStore, ref: RepositoryRef, manifest: PlannedManifest, tag: string | null): Promise<void> {
  const result = await store.manifests.put(ref, { digest: manifest.digest, size: manifest.content.length, content: manifest.content, ...manifest.parsed }, tag);
  if (result.ok) return;
  if ('missing' in result) throw ImportFailure.manifestInvalid(importReason('refersMissing', { digest: manifest.digest, missing: result.missing.digest }));
  throw ImportFailure.manifestInvalid(
    importReason('childSizeMismatch', { digest: manifest.digest, child: result.sizeMismatch.digest, size: result.sizeMismatch.size, actual: result.actual }),
  );
}

/**
 * Garbage collection of one registry, online. What it deletes:
 *  - with `deleteUntagged`: manifests that have no tag, that no index of their repository
 *    lists and that are not referrers of a manifest that still exists (repeated until none
 *    is left, so an index's children follow it);
 *  - the registry's blob links that no manifest of their repository lists (layers of
 *    deleted manifests, blobs uploaded but never used);
 *  - blobs that, after that, no repository of any registry links: their file, then their
 *    row (the blob store is shared by all registries, one copy per digest).
 * Last, it reconciles the blob store with the metadata (storage-reconciler.ts: files a crash
 * left without a row, sessions without a file), when the caller provides that step.
 * It never touches live upload sessions (the upload purger ends idle ones) and nothing recorded
 * less than `graceMinutes` ago, so a push in progress (blobs uploaded, manifest not yet
 * pushed) keeps its blobs. Every removal re-checks its condition in the same statement, so a
 * manifest pushed meanwhile keeps what it references. Files go before their rows: if the
 * process dies mid-sweep the rows are still there and a re-run finishes the job; a reader
 * never finds a linked blob without its file.
 */
import type { Logger } from 'pino';
import type { BlobStore } from '../storage/blob/blob-store.js';
import type { MetadataStore } from '../storage/metadata/store.js';
import { operationStep, type ProgressReporter } from '../domain/operation-tracker.js';
import type { ReconcileResult } from './storage-reconciler.js';

interface GcOptions {
  registry: string;
  /** Report what would be deleted, delete nothing. */
  dryRun: boolean;
  deleteUntagged: boolean;
  /** Only what is older than this is a candidate. */
  graceMinutes: number;
}

export interface GcResult extends Record<string, unknown> {
  registry: string;
  dryRun: boolean;
  graceMinutes: number;
  manifestsDeleted: number;
  blobLinksRemoved: number;
  blobsDeleted: number;
  bytesFreed: number;
  /** Up to 100 of the deleted (or, dry run, deletable) blob digests. */
  blobDigests: string[];
  manifestDigests: string[];
  /** What the storage reconciliation removed (or, dry run, would remove); null when not run. */
  reconciled: ReconcileResult | null;
  /**
   * Unreferenced blobs spared because they are younger than the grace period (a delete just
   * made leaves its blobs here), and when the youngest of them becomes collectable.
   */
  keptByGrace: { blobs: number; until: string | null };
}

interface GcDependencies {
  store: MetadataStore;
  blobStore: BlobStore;
  logger: Pick<Logger, 'error' | 'info'>;
  /** The storage reconciliation, run as the last step. */
  reconcile?: (dryRun: boolean) => Promise<ReconcileResult>;
}

const BATCH = 500;
const LISTED = 100;
/** Untagged deletion repeats while a round frees more (an index, then its children). */
const MAX_UNTAGGED_ROUNDS = 10;

export async function collectGarbage(deps: GcDependencies, options: GcOptions, progress: ProgressReporter): Promise<GcResult> {
  const { store } = deps;
  const cutoff = new Date(Date.now() - options.graceMinutes * 60_000).toISOString();
  const result: GcResult = {
    registry: options.registry,
    dryRun: options.dryRun,
    graceMinutes: options.graceMinutes,
    manifestsDeleted: 0,
    blobLinksRemoved: 0,
    blobsDeleted: 0,
    bytesFreed: 0,
    blobDigests: [],
    manifestDigests: [],
    reconciled: null,
    keptByGrace: { blobs: 0, until: null },
  };
  progress.update({ itemsTotal: deps.reconcile ? 4 : 3, itemsDone: 0, step: operationStep('marking') });

  if (options.deleteUntagged) {
    progress.update({ step: operationStep('untaggedManifests') });
    for (let round = 0; round < (options.dryRun ? 1 : MAX_UNTAGGED_ROUNDS); round++) {
      const candidates = await store.gc.untaggedManifests(options.registry, cutoff, BATCH);
      let deleted = 0;
      for (const candidate of candidates) {
        const ref = { registry: options.registry, repository: candidate.repository };
        if (!options.dryRun) {
          if (!(await store.gc.deleteIfUntagged(ref, candidate.digest))) continue;
          // Through the manifest index too, so a cache in front of it forgets the manifest.
          await store.manifests.delete(ref, candidate.digest);
        }
        deleted++;
        result.manifestsDeleted++;
        if (result.manifestDigests.length < LISTED) result.manifestDigests.push(`${candidate.repository}@${candidate.digest}`);
        progress.update({ step: operationStep('untaggedManifestsDeleted', { count: result.manifestsDeleted }) });
      }
      if (deleted === 0 || options.dryRun) break;
    }
  }
  progress.update({ itemsDone: 1, step: operationStep('blobLinks') });

  // Links no manifest of their repository lists. In a dry run, remember which blobs would
  // lose every link, to report them as the sweep would.
  const wouldUnlink = new Map<string, { count: number; size: number }>();
  let after: { repository: string; digest: string } | undefined;
  for (;;) {
    const links = await store.gc.unreferencedLinks(options.registry, cutoff, BATCH, after);
    if (links.length === 0) break;
    for (const link of links) {
      if (options.dryRun) {
        const seen = wouldUnlink.get(link.digest) ?? { count: 0, size: link.size };
        seen.count++;
        wouldUnlink.set(link.digest, seen);
        result.blobLinksRemoved++;
      } else if (await store.gc.unlinkIfUnreferenced({ registry: options.registry, repository: link.repository }, link.digest)) {
        result.blobLinksRemoved++;
      }
    }
    after = links[links.length - 1];
    progress.update({ step: operationStep('blobLinksRemoved', { count: result.blobLinksRemoved }) });
  }
  progress.update({ itemsDone: 2, step: operationStep('sweepingBlobs') });

  if (options.dryRun) {
    for (const [digest, seen] of wouldUnlink) {
      if ((await store.gc.linkCount(digest)) > seen.count) continue;
      countBlob(result, digest, seen.size, progress);
    }
    // Every orphan, page by page, as the real sweep reads them.
    let afterOrphan: string | undefined;
    for (;;) {
      const orphans = await store.gc.orphanBlobs(cutoff, BATCH, afterOrphan);
      if (orphans.length === 0) break;
      for (const orphan of orphans) countBlob(result, orphan.digest, orphan.size, progress);
      afterOrphan = orphans[orphans.length - 1]!.digest;
    }
    await graceStep(deps, result, cutoff);
    await reconcileStep(deps, result, progress);
    return result;
  }

  let afterDigest: string | undefined;
  for (;;) {
    const orphans = await store.gc.orphanBlobs(cutoff, BATCH, afterDigest);
    if (orphans.length === 0) break;
    for (const orphan of orphans) {
      // Under the digest's lock, which uploads and mounts also take before relying on the file.
      const forgotten = await deps.blobStore.withDigestLock(orphan.digest, async () => {
        if ((await store.gc.linkCount(orphan.digest)) > 0) return false;
        await deps.blobStore.delete(orphan.digest);
        return store.gc.forgetIfOrphan(orphan.digest);
      });
      if (forgotten) countBlob(result, orphan.digest, orphan.size, progress);
    }
    afterDigest = orphans[orphans.length - 1]!.digest;
  }
  await graceStep(deps, result, cutoff);
  await reconcileStep(deps, result, progress);
  deps.logger.info({ ...result, blobDigests: undefined, manifestDigests: undefined }, 'garbage collection finished');
  return result;
}

/** What the cutoff spared, counted after the sweep so a real run reports what is left. */
async function graceStep(deps: GcDependencies, result: GcResult, cutoff: string): Promise<void> {
  const kept = await deps.store.gc.keptByGrace(result.registry, cutoff);
  const until = kept.newestIso === null ? null : new Date(Date.parse(kept.newestIso) + result.graceMinutes * 60_000).toISOString();
  result.keptByGrace = { blobs: kept.blobs, until };
}

async function reconcileStep(deps: GcDependencies, result: GcResult, progress: ProgressReporter): Promise<void> {
  if (!deps.reconcile) return;
  progress.update({ itemsDone: 3, step: operationStep('reconcilingStorage') });
  result.reconciled = await deps.reconcile(result.dryRun);
}

function countBlob(result: GcResult, digest: string, size: number, progress: ProgressReporter): void {
  result.blobsDeleted++;
  result.bytesFreed += size;
  if (result.blobDigests.length < LISTED) result.blobDigests.push(digest);
  progress.update({ step: operationStep('blobsDeleted', { count: result.blobsDeleted }) });
  progress.addBytes(size);
}

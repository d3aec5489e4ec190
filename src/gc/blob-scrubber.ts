/**
 * Scrub: reads back every blob a registry links and checks its bytes against its digest
 * (streaming, one blob at a time). A blob whose file is missing, of another size than
 * recorded, or hashing to another digest is reported; a file with wrong bytes is moved to
 * quarantine (unless a dry run), so the blob answers 404 instead of being served with a digest
 * it does not have, and the next push of the right bytes stores it afresh. The metadata stays:
 * manifests that list the blob become whole again with that push.
 */
import type { Logger } from 'pino';
import type { BlobStore } from '../storage/blob/blob-store.js';
import type { MetadataStore } from '../storage/metadata/store.js';
import { operationStep, type ProgressReporter } from '../domain/operation-tracker.js';

export type BlobProblem = 'missing' | 'size mismatch' | 'digest mismatch';

interface ScrubOptions {
  registry: string;
  /** Report, quarantine nothing. */
  dryRun: boolean;
  /** Ends the scrub early (server shutdown); what was checked is reported. */
  signal?: AbortSignal;
}

export interface ScrubResult extends Record<string, unknown> {
  registry: string;
  dryRun: boolean;
  blobsChecked: number;
  bytesChecked: number;
  corruptCount: number;
  /** Up to 100 of the blobs found missing or corrupt. */
  corrupt: { digest: string; problem: BlobProblem }[];
  /** Files moved aside (never in a dry run). */
  quarantined: number;
}

interface ScrubDependencies {
  store: MetadataStore;
  blobStore: BlobStore;
  logger: Pick<Logger, 'error' | 'info'>;
}

const BATCH = 500;
const LISTED = 100;

/** What is wrong with the stored content of a blob of `size` bytes, or null. */
async function checkBlob(blobStore: BlobStore, digest: string, size: number): Promise<BlobProblem | null> {
  const file = await blobStore.inspect(digest);
  if (!file) return 'missing';
  if (file.size !== size) return 'size mismatch';
  const actual = await blobStore.digestOf(digest);
  if (actual === undefined) return 'missing';
  return actual === digest ? null : 'digest mismatch';
}

export async function scrubBlobs(deps: ScrubDependencies, options: ScrubOptions, progress: ProgressReporter): Promise<ScrubResult> {
  const { store, blobStore, logger } = deps;
  const result: ScrubResult = {
    registry: options.registry,
    dryRun: options.dryRun,
    blobsChecked: 0,
    bytesChecked: 0,
    corruptCount: 0,
    corrupt: [],
    quarantined: 0,
  };
  progress.update({ step: operationStep('checkingBlobs') });
  let after: string | undefined;
  for (;;) {
    const blobs = await store.gc.registryBlobs(options.registry, BATCH, after);
    if (blobs.length === 0) break;
    for (const blob of blobs) {
      if (options.signal?.aborted) return result;
      // Hashing happens outside the lock (a big blob takes a while); a finding is confirmed
      // under it, since a push may have healed the file meanwhile.
      let problem = await checkBlob(blobStore, blob.digest, blob.size);
      if (problem !== null && problem !== 'missing' && !options.dryRun) {
        problem = await blobStore.withDigestLock(blob.digest, async () => {
          const confirmed = await checkBlob(blobStore, blob.digest, blob.size);
          if (confirmed !== null && confirmed !== 'missing' && (await blobStore.quarantine(blob.digest))) result.quarantined++;
          return confirmed;
        });
      }
      result.blobsChecked++;
      result.bytesChecked += blob.size;
      progress.addBytes(blob.size);
      if (problem !== null) {
        result.corruptCount++;
        if (result.corrupt.length < LISTED) result.corrupt.push({ digest: blob.digest, problem });
        logger.error({ digest: blob.digest, problem, registry: options.registry }, 'scrub found a damaged blob');
      }
      progress.update({ step: operationStep('checkedBlobs', { count: result.blobsChecked }) });
    }
    after = blobs[blobs.length - 1]!.digest;
  }
  logger.info({ ...result, corrupt: undefined }, 'scrub finished');
  return result;
}

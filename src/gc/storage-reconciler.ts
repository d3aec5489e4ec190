/**
 * Reconciles the blob store with the metadata store after a crash or a full disk, which can
 * leave behind:
 *  - blob files with no blob row (killed between the commit's rename and its transaction);
 *  - upload scratch files with no session row (killed between file and row, or a row deleted
 *    before its file);
 *  - session rows whose scratch file is gone (such a session can never complete).
 * Blob rows without a file are the scrub's to report (blob-scrubber.ts).
 *
 * Several nodes may share the storage, and this process's locks do not cover the others, so
 * everything is age-based and re-checked before it goes: a blob file only once it is older
 * than the grace period (a commit stamps the file's time when it renames it) and, under the
 * digest's lock, still has no row; an upload file only once older than the upload expiry (a
 * live session would have been purged by then) and, under the session's lock, still without
 * a row; a session row only when idle for the grace period and its file still missing.
 */
import type { Logger } from 'pino';
import type { UploadSessions } from '../distribution/upload-sessions.js';
import type { BlobStore } from '../storage/blob/blob-store.js';
import type { MetadataStore } from '../storage/metadata/store.js';

interface ReconcileOptions {
  /** Blob files without a row, and session rows without a file, must be at least this old. */
  orphanGraceMinutes: number;
  /** Upload files without a session row must be at least this old (the upload expiry). */
  uploadExpiryHours: number;
  /** Count what would be removed, remove nothing. */
  dryRun?: boolean;
  /** Ends the run early (server shutdown). */
  signal?: AbortSignal;
}

export interface ReconcileResult {
  strayBlobFiles: number;
  strayBlobBytes: number;
  strayUploadFiles: number;
  uploadSessionsExpired: number;
}

interface ReconcileDependencies {
  store: MetadataStore;
  blobStore: BlobStore;
  uploads: UploadSessions;
  logger: Pick<Logger, 'info' | 'warn'>;
}

const BATCH = 500;

export async function reconcileStorage(deps: ReconcileDependencies, options: ReconcileOptions): Promise<ReconcileResult> {
  const result: ReconcileResult = { strayBlobFiles: 0, strayBlobBytes: 0, strayUploadFiles: 0, uploadSessionsExpired: 0 };
  const now = Date.now();
  const orphanCutoffMs = now - options.orphanGraceMinutes * 60_000;
  const uploadCutoffMs = now - options.uploadExpiryHours * 3_600_000;
  const dryRun = options.dryRun ?? false;
  const stopped = () => options.signal?.aborted ?? false;
  await removeStrayBlobFiles(deps, orphanCutoffMs, dryRun, result, stopped);
  if (!stopped()) await removeStrayUploadFiles(deps, uploadCutoffMs, dryRun, result, stopped);
  if (!stopped()) await expireSessionsWithoutFile(deps, new Date(orphanCutoffMs).toISOString(), dryRun, result, stopped);
  if (!options.dryRun && result.strayBlobFiles + result.strayUploadFiles + result.uploadSessionsExpired > 0) {
    deps.logger.info({ ...result }, 'storage reconciled: removed what a crash or a full disk left behind');
  }
  return result;
}

/** Yields the items of an async iterable in arrays of up to `size`. */
async function* batches<T>(items: AsyncIterable<T>, size: number): AsyncIterable<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

async function removeStrayBlobFiles(
  deps: ReconcileDependencies,
  cutoffMs: number,
  dryRun: boolean,
  result: ReconcileResult,
  stopped: () => boolean,
): Promise<void> {
  const { store, blobStore, logger } = deps;
  for await (const files of batches(blobStore.listBlobs(), BATCH)) {
    if (stopped()) return;
    const old = files.filter((file) => file.modifiedMs < cutoffMs);
    if (old.length === 0) continue;
    const recorded = await store.gc.recordedBlobs(old.map((file) => file.digest));
    for (const file of old) {
      if (recorded.has(file.digest)) continue;
      if (dryRun) {
        result.strayBlobFiles++;
        result.strayBlobBytes += file.size;
        continue;
      }
      // Under the digest's lock, which a commit holds from its rename to its row.
      const removed = await blobStore.withDigestLock(file.digest, async () => {
        if ((await store.gc.recordedBlobs([file.digest])).size > 0) return false;
        const now = await blobStore.inspect(file.digest);
        if (!now || now.modifiedMs >= cutoffMs) return false;
        await blobStore.delete(file.digest);
        return true;
      });
      if (removed) {
        logger.warn({ digest: file.digest, size: file.size }, 'removed a blob file that no metadata row records');
        result.strayBlobFiles++;
        result.strayBlobBytes += file.size;
      }
    }
  }
}

async function removeStrayUploadFiles(
  deps: ReconcileDependencies,
  cutoffMs: number,
  dryRun: boolean,
  result: ReconcileResult,
  stopped: () => boolean,
): Promise<void> {
  const { store, blobStore, uploads, logger } = deps;
  for await (const files of batches(blobStore.listUploads(), BATCH)) {
    if (stopped()) return;
    const old = files.filter((file) => file.modifiedMs < cutoffMs);
    if (old.length === 0) continue;
    const live = await store.uploads.existing(old.map((file) => file.id));
    for (const file of old) {
      if (live.has(file.id)) continue;
      if (dryRun || (await uploads.removeStrayFile(file.id, cutoffMs))) {
        if (!dryRun) logger.warn({ upload: file.id, size: file.size }, 'removed an upload file that no session row records');
        result.strayUploadFiles++;
      }
    }
  }
}

async function expireSessionsWithoutFile(
  deps: ReconcileDependencies,
  cutoffIso: string,
  dryRun: boolean,
  result: ReconcileResult,
  stopped: () => boolean,
): Promise<void> {
  const { store, blobStore, uploads, logger } = deps;
  let after: string | undefined;
  for (;;) {
    if (stopped()) return;
    const idle = await store.uploads.idleSince(cutoffIso, BATCH, after);
    if (idle.length === 0) return;
    for (const upload of idle) {
      if (await blobStore.inspectUpload(upload.id)) continue;
      if (dryRun || (await uploads.expireWithoutFile(upload.id, cutoffIso))) {
        if (!dryRun) logger.warn({ upload: upload.id, repository: upload.repository }, 'ended an upload session whose file is gone');
        result.uploadSessionsExpired++;
      }
    }
    after = idle[idle.length - 1]!.id;
  }
}

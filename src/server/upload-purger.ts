/** Purges upload sessions left idle (abandoned pushes), so their scratch files do not pile up. */
import type { Logger } from 'pino';
import type { BlobStore } from '../storage/blob/blob-store.js';
import type { MetadataStore } from '../storage/metadata/store.js';

/** Look every 15 minutes, or more often when sessions expire sooner. */
const MAX_INTERVAL_MS = 15 * 60 * 1000;
const MIN_INTERVAL_MS = 1000;
const BATCH = 500;

export function startUploadPurger(store: MetadataStore, blobs: BlobStore, afterHours: number, logger: Logger): { stop(): void } {
  const purge = async () => {
    const cutoff = new Date(Date.now() - afterHours * 3600 * 1000).toISOString();
    for (const upload of await store.uploads.idleSince(cutoff, BATCH)) {
      await store.uploads.delete(upload.id);
      await blobs.deleteUpload(upload.id);
      logger.info({ upload: upload.id, repository: upload.repository }, 'purged idle upload session');
    }
  };
  const interval = Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, (afterHours * 3600 * 1000) / 4));
  const timer = setInterval(() => {
    purge().catch((error: unknown) => logger.error({ err: error }, 'upload purge failed'));
  }, interval);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

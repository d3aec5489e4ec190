/** Purges upload sessions left idle (abandoned pushes), so their scratch files do not pile up. */
import type { Logger } from 'pino';
import type { BlobStore } from '../storage/blob/blob-store.js';
import type { MetadataStore } from '../storage/metadata/store.js';

const INTERVAL_MS = 15 * 60 * 1000;
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
  const timer = setInterval(() => {
    purge().catch((error: unknown) => logger.error({ err: error }, 'upload purge failed'));
  }, INTERVAL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

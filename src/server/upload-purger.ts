/**
 * Storage upkeep on timers: purging upload sessions left idle (abandoned pushes), so their
 * scratch files and hash states do not pile up; reconciling storage with the metadata at start
 * and then periodically (gc/storage-reconciler.ts); and, when configured, scrubbing
 * every registry's blobs (gc/blob-scrubber.ts). One run of each at a time; stop()
 * waits for a run in progress, so the stores are not closed under it.
 */
import type { Logger } from 'pino';
import type { UploadSessions } from '../distribution/upload-sessions.js';
import { scrubBlobs } from '../gc/blob-scrubber.js';
import { reconcileStorage } from '../gc/storage-reconciler.js';
import type { BlobStore } from '../storage/blob/blob-store.js';
import type { MetadataStore } from '../storage/metadata/store.js';
import type { WharfConfig } from '../kernel/config.js';

/** Look every 15 minutes, or more often when sessions expire sooner. */
const MAX_INTERVAL_MS = 15 * 60 * 1000;
const MIN_INTERVAL_MS = 1000;

interface StorageUpkeepDependencies {
  store: MetadataStore;
  blobStore: BlobStore;
  uploads: UploadSessions;
  config: Pick<WharfConfig, 'uploads' | 'storage'>;
  logger: Logger;
}

/**
 * A task on a timer that never overlaps itself; stop() tells the run in progress to end (its
 * signal) and waits for it.
 */
function every(intervalMs: number, name: string, logger: Logger, task: (signal: AbortSignal) => Promise<void>, runNow = false) {
  const stopping = new AbortController();
  let running: Promise<void> | null = null;
  const run = () => {
    if (running || stopping.signal.aborted) return;
    running = task(stopping.signal)
      .catch((error: unknown) => logger.error({ err: error }, `${name} failed`))
      .finally(() => (running = null));
  };
  const timer = setInterval(run, intervalMs);
  timer.unref();
  if (runNow) run();
  return async () => {
    clearInterval(timer);
    stopping.abort();
    await running;
  };
}

export function startStorageUpkeep(deps: StorageUpkeepDependencies): { stop(): Promise<void> } {
  const { store, blobStore, uploads, config, logger } = deps;
  const afterHours = config.uploads.purgeAfterHours;
  const stops = [
    every(Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, (afterHours * 3600 * 1000) / 4)), 'upload purge', logger, async () => {
      const cutoff = new Date(Date.now() - afterHours * 3600 * 1000).toISOString();
      for (const upload of await uploads.purgeIdle(cutoff)) {
        logger.info({ upload: upload.id, repository: upload.repository }, 'purged idle upload session');
      }
    }),
    every(
      config.storage.reconcileIntervalMinutes * 60_000,
      'storage reconciliation',
      logger,
      async (signal) => {
        await reconcileStorage(
          { store, blobStore, uploads, logger },
          { orphanGraceMinutes: config.storage.orphanGraceMinutes, uploadExpiryHours: afterHours, signal },
        );
      },
      true,
    ),
  ];
  if (config.storage.scrubIntervalHours > 0) {
    const quiet = { update: () => undefined, addBytes: () => undefined };
    stops.push(
      every(config.storage.scrubIntervalHours * 3_600_000, 'scrub', logger, async (signal) => {
        for (const registry of await store.registries.list()) {
          if (signal.aborted) return;
          await scrubBlobs({ store, blobStore, logger }, { registry: registry.name, dryRun: false, signal }, quiet);
        }
      }),
    );
  }
  return {
    stop: async () => {
      await Promise.all(stops.map((stop) => stop()));
    },
  };
}

/**
 * Upload sessions: resumable blob uploads. Bytes go to the blob store's scratch space while
 * being hashed; the acknowledged size lives in the metadata store, so a session survives a
 * restart (its hash state is rebuilt from the bytes on disk) and bytes of an append that was
 * never acknowledged are dropped.
 */
import { KeyedLock } from '../storage/keyed-lock.js';
import { randomUUID, type Hash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { errors } from '../kernel/errors.js';
import type { BlobStore } from '../storage/blob/blob-store.js';
import type { MetadataStore, RepositoryRef, UploadRecord } from '../storage/metadata/store.js';
import { newHash, type Digest } from './digest.js';
import { localize } from '../i18n/localized.js';
import { distributionMessages } from './distribution-messages.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/**
 * Hash states kept in memory at most (about 0.5 KiB each). A state evicted, or lost with a
 * restart, is rebuilt from the acknowledged bytes on disk, so the bound costs a re-read only.
 */
const MAX_HASH_STATES = 4096;
const PURGE_BATCH = 500;

interface HashState {
  hash: Hash;
  size: number;
}

export interface ChunkRange {
  start: number;
  end: number;
}

export class UploadSessions {
  /** In least-recently-used order (a Map iterates in insertion order; a use re-inserts). */
  private readonly hashes = new Map<string, HashState>();
  /** One operation at a time per session, so concurrent PATCHes cannot interleave bytes. */
  private readonly sessionLocks = new KeyedLock();

  constructor(
    private readonly store: MetadataStore,
    private readonly blobs: BlobStore,
    private readonly maxHashStates = MAX_HASH_STATES,
  ) {}

  async start(ref: RepositoryRef): Promise<UploadRecord> {
    const id = randomUUID();
    // Under the session's lock: between the file and its row, the reconciler must not take
    // the file for a stray one. The hash state comes with the first write.
    await this.sessionLocks.run(id, async () => {
      await this.blobs.createUpload(id);
      await this.store.uploads.create({ id, ...ref });
    });
    const at = new Date().toISOString();
    return { id, ...ref, size: 0, createdAt: at, updatedAt: at };
  }

  /** How many hash states are held in memory (bounded by maxHashStates). */
  get hashStatesHeld(): number {
    return this.hashes.size;
  }

  /**
   * Ends sessions idle since before the cutoff (abandoned pushes): row, scratch file and hash
   * state. Returns the sessions ended.
   */
  async purgeIdle(cutoffIso: string): Promise<UploadRecord[]> {
    const purged: UploadRecord[] = [];
    for (;;) {
      const idle = await this.store.uploads.idleSince(cutoffIso, PURGE_BATCH);
      if (idle.length === 0) return purged;
      for (const upload of idle) {
        await this.sessionLocks.run(upload.id, () => this.cancelUnlocked(upload.id));
        purged.push(upload);
      }
      if (idle.length < PURGE_BATCH) return purged;
    }
  }

  /**
   * Deletes an upload scratch file that has no session row and was not written since before
   * `cutoffMs` (a crash between file and row, or a row deleted before its file). Re-checked
   * under the session's lock. True when the file went.
   */
  removeStrayFile(id: string, cutoffMs: number): Promise<boolean> {
    return this.sessionLocks.run(id, async () => {
      if (await this.store.uploads.get(id)) return false;
      const file = await this.blobs.inspectUpload(id);
      if (!file || file.modifiedMs >= cutoffMs) return false;
      await this.blobs.deleteUpload(id);
      this.hashes.delete(id);
      return true;
    });
  }

  /**
   * Ends a session whose scratch file is gone (it can never complete), if it is still so
   * under the session's lock and idle since before the cutoff. True when it was ended.
   */
  expireWithoutFile(id: string, cutoffIso: string): Promise<boolean> {
    return this.sessionLocks.run(id, async () => {
      if (await this.blobs.inspectUpload(id)) return false;
      const row = await this.store.uploads.get(id);
      if (!row || row.updatedAt >= cutoffIso) return false;
      await this.store.uploads.delete(id);
      this.hashes.delete(id);
      return true;
    });
  }

  /** The session, if it exists and belongs to this repository. */
  async get(ref: RepositoryRef, id: string): Promise<UploadRecord> {
    if (!UUID_RE.test(id)) throw errors.uploadUnknown(id);
    const upload = await this.store.uploads.get(id);
    if (!upload || upload.registry !== ref.registry || upload.repository !== ref.repository) {
      throw errors.uploadUnknown(id);
    }
    return upload;
  }

  /** Appends a chunk; with a Content-Range it must start where the session ends. */
  append(upload: UploadRecord, data: Readable, range: ChunkRange | null, contentLength: number | null): Promise<number> {
    return this.sessionLocks.run(upload.id, async () => {
      const current = (await this.store.uploads.get(upload.id))?.size;
      if (current === undefined) throw errors.uploadUnknown(upload.id);
      if (range) {
        if (range.start !== current) {
          throw errors.rangeInvalid(localize(distributionMessages, 'chunkOffset', { start: range.start, current }), current);
        }
        if (contentLength !== null && contentLength !== range.end - range.start + 1) {
          throw errors.rangeInvalid(
            localize(distributionMessages, 'rangeLengthMismatch', { covered: range.end - range.start + 1, length: contentLength }),
            current,
          );
        }
      }
      const size = await this.write(upload.id, current, data);
      if (range && size - current !== range.end - range.start + 1) {
        this.hashes.delete(upload.id);
        throw errors.rangeInvalid(
          localize(distributionMessages, 'rangeArrivedMismatch', { covered: range.end - range.start + 1, arrived: size - current }),
          current,
        );
      }
      if (contentLength !== null && size - current !== contentLength) {
        this.hashes.delete(upload.id);
        throw errors.uploadInvalid(localize(distributionMessages, 'lengthArrivedMismatch', { length: contentLength, arrived: size - current }));
      }
      await this.store.uploads.setSize(upload.id, size);
      return size;
    });
  }

  /**
   * Completes the upload: appends the final chunk (if any), checks the digest, commits the
   * content and links it into the repository. A wrong digest cancels the session.
   */
  finish(upload: UploadRecord, digest: Digest, finalChunk: Readable | null): Promise<number> {
    return this.sessionLocks.run(upload.id, async () => {
      let size = (await this.store.uploads.get(upload.id))?.size;
      if (size === undefined) throw errors.uploadUnknown(upload.id);
      if (finalChunk) size = await this.write(upload.id, size, finalChunk);
      const actual = await this.digestOf(upload.id, size, digest);
      if (actual !== digest.value) {
        await this.cancelUnlocked(upload.id);
        throw errors.digestInvalid(localize(distributionMessages, 'uploadDigestMismatch', { algorithm: digest.algorithm, actual, expected: digest.value }), {
          expected: digest.value,
          actual,
        });
      }
      // Under the digest's lock: garbage collection must not delete a file this commit found present and relied on.
      await this.blobs.withDigestLock(digest.value, async () => {
        await this.blobs.commitUpload(upload.id, size!, digest.value);
        await this.store.blobs.commit({ registry: upload.registry, repository: upload.repository }, digest.value, size!, upload.id);
      });
      this.hashes.delete(upload.id);
      return size;
    });
  }

  cancel(upload: UploadRecord): Promise<void> {
    return this.sessionLocks.run(upload.id, () => this.cancelUnlocked(upload.id));
  }

  private async cancelUnlocked(id: string): Promise<void> {
    await this.store.uploads.delete(id);
    await this.blobs.deleteUpload(id);
    this.hashes.delete(id);
  }

  /** Writes at `offset`, keeping the sha256 state in step; a failed write forgets the state. */
  private async write(id: string, offset: number, data: Readable): Promise<number> {
    const state = await this.hashState(id, offset);
    try {
      const size = await this.blobs.appendUpload(id, offset, data, (chunk) => state.hash.update(chunk));
      state.size = size;
      return size;
    } catch (error) {
      this.hashes.delete(id);
      throw error;
    }
  }

  private async hashState(id: string, size: number): Promise<HashState> {
    const known = this.hashes.get(id);
    if (known && known.size === size) {
      this.hashes.delete(id);
      this.hashes.set(id, known);
      return known;
    }
    // After a restart, an eviction, or when another node appended: rebuild from the acknowledged bytes.
    const state = { hash: newHash('sha256'), size };
    for await (const chunk of this.blobs.readUpload(id, size)) state.hash.update(chunk as Buffer);
    this.hashes.delete(id);
    while (this.hashes.size >= this.maxHashStates) this.hashes.delete(this.hashes.keys().next().value!);
    this.hashes.set(id, state);
    return state;
  }

  private async digestOf(id: string, size: number, digest: Digest): Promise<string> {
    if (digest.algorithm === 'sha256') {
      const state = await this.hashState(id, size);
      return `sha256:${state.hash.copy().digest('hex')}`;
    }
    const hash = newHash(digest.algorithm);
    for await (const chunk of this.blobs.readUpload(id, size)) hash.update(chunk as Buffer);
    return `${digest.algorithm}:${hash.digest('hex')}`;
  }
}

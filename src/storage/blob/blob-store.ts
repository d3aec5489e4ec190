/**
 * The blob store: content-addressed bytes, one copy per digest, plus the scratch space of
 * upload sessions. It knows nothing of repositories; the metadata store links blobs to them.
 * Content only becomes visible by an atomic commit of a fully written, synced upload.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

export interface ByteRange {
  start: number;
  /** inclusive */
  end: number;
}

export interface BlobStore {
  /** Prepares the scratch space of a new upload session. */
  createUpload(id: string): Promise<void>;
  /**
   * Appends a stream to the upload at `offset`, dropping anything past the offset first
   * (bytes of an append that was never acknowledged). `onChunk` sees every byte written,
   * so the caller can hash while the data streams. Returns the new size.
   */
  appendUpload(id: string, offset: number, data: Readable, onChunk: (chunk: Buffer) => void): Promise<number>;
  /** Reads back the first `size` bytes of an upload (to rebuild hash state after a restart). */
  readUpload(id: string, size: number): Readable;
  /** Makes the upload's first `size` bytes the content of `digest`; the upload is gone afterwards. */
  commitUpload(id: string, size: number, digest: string): Promise<void>;
  deleteUpload(id: string): Promise<void>;
  /** Size of stored content, or undefined. */
  stat(digest: string): Promise<number | undefined>;
  open(digest: string, range?: ByteRange): Promise<Readable>;
  delete(digest: string): Promise<void>;
  /** Size and last modification of stored content, or undefined. */
  inspect(digest: string): Promise<StoredFile | undefined>;
  /**
   * Recomputes the digest of the stored content with the digest's own algorithm, streaming;
   * undefined when there is no content.
   */
  digestOf(digest: string): Promise<string | undefined>;
  /**
   * Moves the content of `digest` out of the way (it is no longer served; a new commit stores
   * the digest afresh) and keeps it for inspection. False when there was nothing to move.
   */
  quarantine(digest: string): Promise<boolean>;
  /** Every stored content file, in no particular order (names that are not digests are skipped). */
  listBlobs(): AsyncIterable<StoredBlobFile>;
  /** Every upload scratch file (names that are not upload ids are skipped). */
  listUploads(): AsyncIterable<StoredUploadFile>;
  /** Size and last modification of an upload's scratch file, or undefined. */
  inspectUpload(id: string): Promise<StoredFile | undefined>;
  /** Checks the store is usable (readiness). */
  check(): Promise<void>;
  /**
   * A short-lived URL from which the client may fetch the content itself, or undefined to serve
   * the bytes through Wharf. Only stores that can sign such URLs have it, and only when set to.
   */
  downloadLocation?(digest: string): Promise<string | undefined>;
  /**
   * Runs `work` holding the digest's lock, one per digest for this store: garbage collection
   * deletes a blob's file only while holding it, and everything that makes a blob referenced
   * again (an upload's commit, a cross-repository mount, an import's link) holds it too.
   * Without it, a push that found the file present and kept no copy of its own could link the
   * blob just as the collector deleted the file. Held in this process only: several nodes
   * sharing storage are not covered.
   */
  withDigestLock<T>(digest: string, work: () => Promise<T>): Promise<T>;
}

export interface StoredFile {
  size: number;
  modifiedMs: number;
}

export interface StoredBlobFile extends StoredFile {
  digest: string;
}

export interface StoredUploadFile extends StoredFile {
  id: string;
}

/**
 * The digest of `content` computed with `digest`'s own algorithm, streaming (every driver's
 * `digestOf`); undefined when `isMissing` says reading failed because there is no content.
 */
export async function digestOfContent(
  digest: string,
  content: () => Promise<AsyncIterable<unknown>> | AsyncIterable<unknown>,
  isMissing: (error: unknown) => boolean,
): Promise<string | undefined> {
  const algorithm = digest.slice(0, digest.indexOf(':'));
  const hash = createHash(algorithm);
  try {
    for await (const chunk of await content()) hash.update(chunk as Buffer);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  return `${algorithm}:${hash.digest('hex')}`;
}

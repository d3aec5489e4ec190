/**
 * The blob store: content-addressed bytes, one copy per digest, plus the scratch space of
 * upload sessions. It knows nothing of repositories; the metadata store links blobs to them.
 * Content only becomes visible by an atomic commit of a fully written, synced upload.
 */
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
  /** Checks the store is usable (readiness). */
  check(): Promise<void>;
}

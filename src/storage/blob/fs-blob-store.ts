/**
 * Filesystem blob store. Uploads are files under `uploads/`; a commit fsyncs the upload,
 * renames it to `blobs/<algorithm>/<xx>/<hex>` (atomic on one filesystem) and fsyncs the
 * directory, so after a crash a blob path either holds the whole content or does not exist.
 */
import { randomUUID } from 'node:crypto';
import { close as closeFd, createReadStream, fstat as fstatCallback, open as openCallback } from 'node:fs';
import { promisify } from 'node:util';
import { mkdir, open, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { once } from 'node:events';
import type { BlobStore, ByteRange } from './blob-store.js';

const openFd = promisify(openCallback);
const fstat = promisify(fstatCallback);
const READ_CHUNK = 1024 * 1024;
/** Larger reads for downloads: fewer, bigger socket writes (measured: ~2x the MB/s of 64 KiB). */
const SERVE_CHUNK = 4 * 1024 * 1024;
const WRITE_BUFFER = 8 * 1024 * 1024;
const FLUSH_EVERY = 32 * 1024 * 1024;

export class FsBlobStore implements BlobStore {
  private readonly blobsDir: string;
  private readonly uploadsDir: string;

  constructor(root: string) {
    this.blobsDir = join(root, 'blobs');
    this.uploadsDir = join(root, 'uploads');
  }

  async init(): Promise<this> {
    await mkdir(this.blobsDir, { recursive: true });
    await mkdir(this.uploadsDir, { recursive: true });
    return this;
  }

  private blobPath(digest: string): string {
    const [algorithm, hex] = digest.split(':') as [string, string];
    return join(this.blobsDir, algorithm, hex.slice(0, 2), hex);
  }

  private uploadPath(id: string): string {
    return join(this.uploadsDir, id);
  }

  async createUpload(id: string): Promise<void> {
    await writeFile(this.uploadPath(id), new Uint8Array(0), { flag: 'wx' });
  }

  async appendUpload(id: string, offset: number, data: Readable, onChunk: (chunk: Buffer) => void): Promise<number> {
    const handle = await open(this.uploadPath(id), 'r+');
    try {
      await handle.truncate(offset);
    } catch (error) {
      await handle.close();
      throw error;
    }
    let written = 0;
    const sink = handle.createWriteStream({ start: offset, highWaterMark: WRITE_BUFFER, autoClose: true });
    const sinkFailed = once(sink, 'error').then(([error]) => Promise.reject(error as Error));
    sinkFailed.catch(() => undefined);
    // Flushing to disk while the upload streams overlaps the device's work with the network's,
    // so the fsync at commit has little left to do.
    let flushing: Promise<void> | null = null;
    let unflushed = 0;
    try {
      for await (const chunk of data) {
        const buffer = chunk as Buffer;
        onChunk(buffer);
        written += buffer.length;
        unflushed += buffer.length;
        // Hashing goes on while the previous chunks are written by the thread pool.
        if (!sink.write(buffer)) await Promise.race([once(sink, 'drain'), sinkFailed]);
        if (unflushed >= FLUSH_EVERY && flushing === null) {
          unflushed = 0;
          flushing = handle.datasync().finally(() => (flushing = null));
        }
      }
      await flushing;
      await Promise.race([new Promise<void>((resolve) => sink.end(resolve)), sinkFailed]);
    } catch (error) {
      await flushing?.catch(() => undefined);
      sink.destroy();
      throw error;
    }
    return offset + written;
  }

  readUpload(id: string, size: number): Readable {
    if (size === 0) return Readable.from([]);
    return createReadStream(this.uploadPath(id), { start: 0, end: size - 1, highWaterMark: READ_CHUNK });
  }

  async commitUpload(id: string, size: number, digest: string): Promise<void> {
    const source = this.uploadPath(id);
    const target = this.blobPath(digest);
    const handle = await open(source, 'r+');
    try {
      await handle.truncate(size);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if ((await this.stat(digest)) === size) {
      // One copy per digest: the content is already stored.
      await unlink(source);
      return;
    }
    await mkdir(dirname(target), { recursive: true });
    await rename(source, target);
    await syncDirectory(dirname(target));
  }

  async deleteUpload(id: string): Promise<void> {
    await rm(this.uploadPath(id), { force: true });
  }

  async stat(digest: string): Promise<number | undefined> {
    try {
      return (await stat(this.blobPath(digest))).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async open(digest: string, range?: ByteRange): Promise<Readable> {
    // Open first so a missing file is reported here, not as a stream error mid-response.
    const path = this.blobPath(digest);
    const fd = await openFd(path, 'r');
    const start = range?.start ?? 0;
    let end = range?.end;
    if (end === undefined) {
      try {
        end = (await fstat(fd)).size - 1;
      } catch (error) {
        closeFd(fd, () => undefined);
        throw error;
      }
    }
    if (end < start) {
      closeFd(fd, () => undefined);
      return Readable.from([]);
    }
    // A bounded read buffer: never larger than what is left to send (small blobs stay small).
    // A numeric fd reads through callbacks, cheaper per chunk than a FileHandle's promises.
    const highWaterMark = Math.min(SERVE_CHUNK, end - start + 1);
    return createReadStream(path, { fd, start, end, highWaterMark, autoClose: true });
  }

  async delete(digest: string): Promise<void> {
    await rm(this.blobPath(digest), { force: true });
  }

  async check(): Promise<void> {
    // A name of its own per probe: concurrent readiness checks must not unlink each other's file.
    const probe = join(this.uploadsDir, `.probe-${process.pid}-${randomUUID()}`);
    await writeFile(probe, 'ok');
    await unlink(probe);
  }
}

async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

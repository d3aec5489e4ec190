/**
 * Filesystem blob store. Uploads are files under `uploads/`; a commit fsyncs the upload,
 * renames it to `blobs/<algorithm>/<xx>/<hex>` (atomic on one filesystem) and fsyncs the
 * directory, so after a crash a blob path either holds the whole content or does not exist.
 * Content found corrupt is moved to `quarantine/`, out of what is served.
 */
import { randomUUID } from 'node:crypto';
import { close as closeFd, createReadStream, fstat as fstatCallback, open as openCallback } from 'node:fs';
import { promisify } from 'node:util';
import { mkdir, open, opendir, readdir, rename, rm, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { once } from 'node:events';
import { digestOfContent, type BlobStore, type ByteRange, type StoredBlobFile, type StoredFile, type StoredUploadFile } from './blob-store.js';
import { KeyedLock } from '../keyed-lock.js';

const openFd = promisify(openCallback);
const fstat = promisify(fstatCallback);
const READ_CHUNK = 1024 * 1024;
/** Larger reads for downloads: fewer, bigger socket writes (measured: ~2x the MB/s of 64 KiB). */
const SERVE_CHUNK = 4 * 1024 * 1024;
const WRITE_BUFFER = 8 * 1024 * 1024;
const FLUSH_EVERY = 32 * 1024 * 1024;
const HEX_LENGTH: Record<string, number> = { sha256: 64, sha512: 128 };
const HEX_RE = /^[a-f0-9]+$/;
const UPLOAD_ID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

export class FsBlobStore implements BlobStore {
  private readonly blobsDir: string;
  private readonly uploadsDir: string;
  private readonly quarantineDir: string;
  /** One instance serves a data directory in a process (start.ts), so its locks guard all its files. */
  private readonly digestLocks = new KeyedLock();

  constructor(root: string) {
    this.blobsDir = join(root, 'blobs');
    this.uploadsDir = join(root, 'uploads');
    this.quarantineDir = join(root, 'quarantine');
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
      // end()'s callback gets the error of a failed last write (ENOSPC): it must not pass as success.
      await Promise.race([new Promise<void>((resolve, reject) => sink.end((error?: Error | null) => (error ? reject(error) : resolve()))), sinkFailed]);
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
      // Truncating never extends: a short file (a write lost to a full disk) would become zeros.
      const stored = (await handle.stat()).size;
      if (stored < size) throw Object.assign(new Error(`upload ${id} has ${stored} bytes on disk, fewer than the ${size} received`), { code: 'EUPLOADSHORT' });
      await handle.truncate(size);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // One copy per digest, but only if the copy there is right: bytes damaged on disk are
    // replaced by the freshly uploaded ones (already checked against the digest), so a re-push
    // heals them. Reading the copy back costs one pass over it, only when the digest is pushed again.
    if ((await this.stat(digest)) === size && (await this.digestOf(digest)) === digest) {
      await unlink(source);
      return;
    }
    // The file's time says when it became content, not when its upload was last written: the
    // reconciler's grace period for files without a metadata row counts from here.
    const moment = new Date();
    await utimes(source, moment, moment);
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

  async inspect(digest: string): Promise<StoredFile | undefined> {
    return inspectFile(this.blobPath(digest));
  }

  async inspectUpload(id: string): Promise<StoredFile | undefined> {
    return inspectFile(this.uploadPath(id));
  }

  async digestOf(digest: string): Promise<string | undefined> {
    return digestOfContent(digest, () => createReadStream(this.blobPath(digest), { highWaterMark: READ_CHUNK }), isMissing);
  }

  async quarantine(digest: string): Promise<boolean> {
    await mkdir(this.quarantineDir, { recursive: true });
    // Several quarantined copies of one digest may pile up over time; each keeps its moment.
    const name = `${digest.replace(':', '-')}.${new Date().toISOString().replace(/[:.]/g, '')}`;
    try {
      await rename(this.blobPath(digest), join(this.quarantineDir, name));
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
    await syncDirectory(dirname(this.blobPath(digest)));
    return true;
  }

  async *listBlobs(): AsyncIterable<StoredBlobFile> {
    for (const algorithm of await listNames(this.blobsDir)) {
      const hexLength = HEX_LENGTH[algorithm];
      if (hexLength === undefined) continue;
      for (const prefix of await listNames(join(this.blobsDir, algorithm))) {
        // A directory is read as it is listed, so millions of files need no array of names.
        let dir;
        try {
          dir = await opendir(join(this.blobsDir, algorithm, prefix));
        } catch (error) {
          if (isMissing(error) || (error as NodeJS.ErrnoException).code === 'ENOTDIR') continue;
          throw error;
        }
        for await (const entry of dir) {
          const hex = entry.name;
          if (!entry.isFile() || hex.length !== hexLength || !HEX_RE.test(hex) || !hex.startsWith(prefix)) continue;
          const digest = `${algorithm}:${hex}`;
          const found = await this.inspect(digest);
          if (found) yield { digest, ...found };
        }
      }
    }
  }

  async *listUploads(): AsyncIterable<StoredUploadFile> {
    for await (const entry of await opendir(this.uploadsDir)) {
      if (!entry.isFile() || !UPLOAD_ID_RE.test(entry.name)) continue;
      const found = await this.inspectUpload(entry.name);
      if (found) yield { id: entry.name, ...found };
    }
  }

  async check(): Promise<void> {
    // A name of its own per probe: concurrent readiness checks must not unlink each other's file.
    const probe = join(this.uploadsDir, `.probe-${process.pid}-${randomUUID()}`);
    await writeFile(probe, 'ok');
    await unlink(probe);
  }

  withDigestLock<T>(digest: string, work: () => Promise<T>): Promise<T> {
    return this.digestLocks.run(digest, work);
  }
}

async function inspectFile(path: string): Promise<StoredFile | undefined> {
  try {
    const found = await stat(path);
    return { size: found.size, modifiedMs: found.mtimeMs };
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

async function listNames(path: string): Promise<string[]> {
  try {
    return await readdir(path);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
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

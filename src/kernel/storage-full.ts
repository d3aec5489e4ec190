/**
 * A full disk. Every write then fails (SQLite answers SQLITE_FULL, files ENOSPC), deletes too:
 * SQLite needs room in its write-ahead log to record a delete. So the data directory holds a
 * reserve file; the first write that fails for lack of space releases it and puts the server in
 * the "full" state, in which writes that add data (pushes, resource creation, imports) are
 * refused up front with 507 while deletes and garbage collection run on the released space.
 * Once the filesystem has room for the reserve twice over, the reserve is written again and
 * pushes are accepted.
 */
import { closeSync, openSync, statSync, statfsSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { errors } from './errors.js';

/** The reserve is 1% of the filesystem, within these bounds: room for a few WAL checkpoints of deletes. */
const MIN_RESERVE_BYTES = 1024 * 1024;
const MAX_RESERVE_BYTES = 8 * 1024 * 1024;
const RESERVE_SHARE = 0.01;
/** How often, at most, the full state looks at the free space again. */
const RECHECK_MS = 1000;
const CHUNK = Buffer.alloc(1024 * 1024);

/** The file that keeps room for deletes, in the data directory. */
const RESERVE_FILE = 'reserved-space';

/** An error caused by a full disk or database, however deep in its causes. */
export function isStorageFull(error: unknown): boolean {
  let current = error;
  for (let depth = 0; current !== null && typeof current === 'object' && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** The part of a pino logger the guard uses. */
interface StorageLogger {
  error(object: Record<string, unknown>, message: string): void;
  warn(object: Record<string, unknown>, message: string): void;
}

export class StorageGuard {
  private readonly reservePath: string;
  private reserveBytes = MIN_RESERVE_BYTES;
  private fullSince: number | null = null;
  private checkedAt = 0;

  constructor(
    private readonly dataDir: string,
    private readonly logger: StorageLogger,
  ) {
    this.reservePath = join(dataDir, RESERVE_FILE);
  }

  /** Sizes and writes the reserve; a disk already too full for it starts in the full state. */
  init(): this {
    const space = this.space();
    if (space) this.reserveBytes = Math.min(MAX_RESERVE_BYTES, Math.max(MIN_RESERVE_BYTES, Math.floor(space.total * RESERVE_SHARE)));
    if (!this.writeReserve()) {
      this.fullSince = Date.now();
      this.checkedAt = this.fullSince;
      this.logger.error(
        { dataDir: this.dataDir, freeBytes: space?.free, reserveBytes: this.reserveBytes },
        'storage full at start: no room for the reserve; pushes are refused (507) until space is freed',
      );
    }
    return this;
  }

  /** In the full state (looked at again at most once a second): writes that add data are refused. */
  get full(): boolean {
    if (this.fullSince !== null) this.recheck();
    return this.fullSince !== null;
  }

  /** A write failed for lack of space: log its real cause once, release the reserve, refuse pushes. */
  reportFull(error: unknown, during: string): void {
    if (this.fullSince !== null) return;
    this.fullSince = Date.now();
    this.checkedAt = this.fullSince;
    const released = this.releaseReserve();
    const { code, message } = error as { code?: string; message?: string };
    this.logger.error(
      { err: { code, message }, during, dataDir: this.dataDir, releasedBytes: released, freeBytes: this.space()?.free },
      `storage full (${code ?? 'no space'}): released the reserve so that deletes and garbage collection can run; pushes are refused (507) until ${2 * this.reserveBytes} bytes are free`,
    );
  }

  private recheck(): void {
    const now = Date.now();
    if (now - this.checkedAt < RECHECK_MS) return;
    this.checkedAt = now;
    const space = this.space();
    if (!space || space.free < 2 * this.reserveBytes) return;
    if (!this.writeReserve()) return;
    this.logger.warn(
      { dataDir: this.dataDir, freeBytes: space.free, fullForMs: now - this.fullSince! },
      'storage: space is available again; the reserve is back and pushes are accepted',
    );
    this.fullSince = null;
  }

  private space(): { free: number; total: number } | undefined {
    try {
      const stats = statfsSync(this.dataDir);
      return { free: stats.bavail * stats.bsize, total: stats.blocks * stats.bsize };
    } catch {
      return undefined;
    }
  }

  /** Real bytes, not a sparse file: the space must be taken now to be given back later. */
  private writeReserve(): boolean {
    let fd: number | undefined;
    try {
      fd = openSync(this.reservePath, 'w', 0o600);
      for (let written = 0; written < this.reserveBytes; written += CHUNK.length) {
        writeSync(fd, CHUNK, 0, Math.min(CHUNK.length, this.reserveBytes - written));
      }
      return true;
    } catch (error) {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
      this.releaseReserve();
      if (!isStorageFull(error)) throw error;
      return false;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  private releaseReserve(): number {
    try {
      const size = statSync(this.reservePath).size;
      unlinkSync(this.reservePath);
      return size;
    } catch {
      return 0;
    }
  }
}

/** Data-plane writes that add data: starting, continuing or finishing an upload, putting a manifest. */
function addsRegistryData(method: string, url: string): boolean {
  return url.startsWith('/v2/') && (method === 'POST' || method === 'PUT' || method === 'PATCH');
}

/**
 * Management writes refused while full: creating or changing resources and importing images.
 * Deletes, garbage collection and the read-like POST actions (listCredentials, diagnose…) pass.
 */
export function addsManagementData(method: string, path: string): boolean {
  return method === 'PUT' || method === 'PATCH' || (method === 'POST' && /\/importImage$/i.test(path));
}

/** Refuses data-plane pushes up front while the storage is full (the management plane checks in its dispatcher). */
export function registerStorageGuard(app: FastifyInstance, guard: StorageGuard | undefined): void {
  if (!guard) return;
  // Callback-style: every request passes here, and an async hook would cost each one a promise.
  app.addHook('onRequest', (request, _reply, done) => {
    if (addsRegistryData(request.method, request.url) && guard.full) return done(errors.storageFull());
    done();
  });
}

/**
 * Machine limits for uploads: a registry must hash every byte (sha256) and
 * write it durably, so min(sha256, fsync'd write) is the ceiling an upload
 * figure is compared with.
 */
import { createHash, randomFillSync } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { MiB } from './config.js';

export interface MachineLimits {
  /** MiB/s of node's sha256 over in-memory data. */
  readonly sha256: number;
  /** MiB/s of writing 512 MiB in 1 MiB chunks then fsync. */
  readonly diskWrite: number;
  /** The upload ceiling: min of the two. */
  readonly uploadLimit: number;
}

function mibPerSec(bytes: number, ms: number): number {
  return bytes / MiB / (ms / 1000);
}

function measureSha256(totalBytes = 256 * MiB): number {
  const data = Buffer.allocUnsafe(totalBytes);
  randomFillSync(data); // random so nothing is special-cased; filled before timing starts
  const hash = createHash('sha256');
  const start = performance.now();
  for (let offset = 0; offset < totalBytes; offset += MiB) hash.update(data.subarray(offset, offset + MiB));
  hash.digest();
  return mibPerSec(totalBytes, performance.now() - start);
}

async function measureDiskWrite(dir: string, totalBytes = 512 * MiB): Promise<number> {
  const chunk = randomFillSync(Buffer.allocUnsafe(MiB));
  const file = join(dir, 'disk-write-test.bin');
  const fh = await open(file, 'w');
  try {
    const start = performance.now();
    for (let written = 0; written < totalBytes; written += MiB) await fh.write(chunk, 0, MiB);
    await fh.sync(); // the time until data is on disk, not just in page cache
    return mibPerSec(totalBytes, performance.now() - start);
  } finally {
    await fh.close();
    await rm(file, { force: true });
  }
}

export async function measureMachine(dir: string): Promise<MachineLimits> {
  const sha256 = measureSha256();
  const diskWrite = await measureDiskWrite(dir);
  return { sha256, diskWrite, uploadLimit: Math.min(sha256, diskWrite) };
}

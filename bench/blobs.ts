/**
 * Random blob files on disk, generated once per run and shared by both servers,
 * so both get byte-identical workloads. Random content means no server can win
 * by compressing; the digest is computed while writing so files are read only
 * by the upload itself.
 */
import { createHash, randomFill } from 'node:crypto';
import { open } from 'node:fs/promises';
import { join } from 'node:path';

function randomFillAsync(buf: Buffer): Promise<void> {
  return new Promise((resolve, reject) => randomFill(buf, (error) => (error ? reject(error) : resolve())));
}
const CHUNK = 1024 * 1024;

export interface BlobFile {
  readonly path: string;
  readonly size: number;
  /** sha256:<hex> */
  readonly digest: string;
}

async function writeRandomFile(path: string, size: number): Promise<BlobFile> {
  const hash = createHash('sha256');
  const chunk = Buffer.allocUnsafe(Math.min(CHUNK, size));
  const fh = await open(path, 'w');
  try {
    for (let written = 0; written < size;) {
      const n = Math.min(chunk.length, size - written);
      const part = chunk.subarray(0, n);
      await randomFillAsync(part);
      hash.update(part);
      await fh.write(part, 0, n);
      written += n;
    }
  } finally {
    await fh.close();
  }
  return { path, size, digest: `sha256:${hash.digest('hex')}` };
}

/** `count` distinct random files of `size` bytes named <prefix>-<i>.bin in `dir`. */
async function writeRandomFiles(dir: string, prefix: string, size: number, count: number): Promise<BlobFile[]> {
  const files: BlobFile[] = [];
  for (let i = 0; i < count; i++) files.push(await writeRandomFile(join(dir, `${prefix}-${i}.bin`), size));
  return files;
}

/** The blobs of one measurement round (see ROUNDS in config.ts). */
export interface RoundBlobs {
  readonly small: BlobFile[];
  readonly medium: BlobFile[];
  /** Absent in BENCH_QUICK mode. */
  readonly large: BlobFile | undefined;
  readonly parallel: BlobFile[];
}

interface BlobSizes {
  readonly small: number;
  readonly smallCount: number;
  readonly medium: number;
  readonly mediumCount: number;
  readonly large: number;
  readonly parallel: number;
  readonly parallelCount: number;
}

export async function makeRoundBlobs(dir: string, round: number, s: BlobSizes, withLarge: boolean): Promise<RoundBlobs> {
  return {
    small: await writeRandomFiles(dir, `r${round}-small`, s.small, s.smallCount),
    medium: await writeRandomFiles(dir, `r${round}-medium`, s.medium, s.mediumCount),
    large: withLarge ? await writeRandomFile(join(dir, `r${round}-large.bin`), s.large) : undefined,
    parallel: await writeRandomFiles(dir, `r${round}-parallel`, s.parallel, s.parallelCount),
  };
}

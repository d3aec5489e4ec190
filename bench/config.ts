/**
 * Benchmark settings read from the environment, validated once so every other
 * module can trust them.
 */

const MiB = 1024 * 1024;

export interface BenchConfig {
  /** wrk duration per measured run (BENCH_SECONDS, default 10; 5 with BENCH_QUICK). */
  readonly seconds: number;
  /** BENCH_QUICK=1 skips the 512 MiB figures and shortens wrk runs: a smoke run of a few minutes. */
  readonly quick: boolean;
  /**
   * How to start the server in the "wharf" column (WHARF_CMD):
   * - unset: the built Wharf (dist/src/cli/main.js);
   * - "distribution": a second docker-registry, to test the side-by-side logic
   *   before Wharf exists;
   * - anything else: a shell command with {port} and {data} placeholders.
   */
  readonly wharfCmd: string | undefined;
  /** Readiness path for a custom WHARF_CMD (WHARF_READY_PATH, default /readyz). */
  readonly wharfReadyPath: string;
}

/**
 * Every figure is measured in two rounds in ABBA order (wharf, distribution,
 * then distribution, wharf) and summed, so drift on a shared machine (page
 * cache, writeback, noisy neighbours) does not favour whichever server goes
 * first. Uploads need blobs the server has never seen, so each round has its
 * own set; the counts below are per round.
 */
export const ROUNDS = 2;

export const sizes = {
  small: 1 * MiB,
  /** 2 × 25 = 50 distinct 1 MiB blobs: enough requests that per-request noise averages out. */
  smallCount: 25,
  /** Downloads of 1 MiB blobs per round, cycling over that round's blobs. */
  smallDownloads: 100,
  medium: 64 * MiB,
  mediumCount: 3,
  large: 512 * MiB,
  /** 16 parallel uploads of 16 MiB, distinct blobs. */
  parallel: 16 * MiB,
  parallelCount: 16,
  /** Downloads of each 64 MiB blob per round: a 64 MiB GET takes ~0.1 s, too short alone. */
  mediumDownloadRepeats: 3,
  /** Downloads of the 512 MiB blob per round. */
  largeDownloadRepeats: 1,
} as const;

export { MiB };

function positiveNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return value;
}

export function readConfig(): BenchConfig {
  const quickRaw = process.env.BENCH_QUICK ?? '';
  const quick = quickRaw !== '' && quickRaw !== '0' && quickRaw.toLowerCase() !== 'false';
  return {
    seconds: Math.max(1, Math.round(positiveNumber('BENCH_SECONDS', quick ? 5 : 10))),
    quick,
    wharfCmd: process.env.WHARF_CMD?.trim() || undefined,
    wharfReadyPath: process.env.WHARF_READY_PATH?.trim() || '/readyz',
  };
}

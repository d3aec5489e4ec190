/**
 * `npm run bench`: Wharf vs Debian's docker-registry (Distribution 2.8.2) on the
 * same random blobs, on loopback, printed as one table. Progress goes to
 * stderr so stdout is just the report. Exit 0 when the run completed; missed
 * targets are reported, not failures.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROUNDS, readConfig, sizes } from './config.js';
import { cleanupNow, installSignalHandlers, removeDir, trackDir } from './cleanup.js';
import { makeRoundBlobs, type RoundBlobs } from './blobs.js';
import { measureMachine } from './machine.js';
import { closeClient } from './oci-client.js';
import { buildRows, formatTable } from './report.js';
import { startDistribution, startWharf, type RunningRegistry } from './servers.js';
import { measureAll } from './workloads.js';

const log = (message: string): void => {
  process.stderr.write(`bench: ${message}\n`);
};

async function main(): Promise<void> {
  const config = readConfig();
  installSignalHandlers();
  const root = mkdtempSync(join(tmpdir(), 'wharf-bench-'));
  trackDir(root);
  const registries: RunningRegistry[] = [];
  try {
    log(`temp dir ${root}${config.quick ? ' (BENCH_QUICK: 512 MiB figures skipped)' : ''}`);
    log('measuring machine limits (sha256, write+fsync)');
    const machineDir = join(root, 'machine');
    mkdirSync(machineDir);
    const machine = await measureMachine(machineDir);

    log('generating random blobs');
    const blobDir = join(root, 'blobs');
    mkdirSync(blobDir);
    const rounds: RoundBlobs[] = [];
    for (let i = 0; i < ROUNDS; i++) rounds.push(await makeRoundBlobs(blobDir, i, sizes, !config.quick));

    log('starting servers');
    const wharf = await startWharf(join(root, 'wharf'), config.wharfCmd, config.wharfReadyPath);
    registries.push(wharf);
    const distribution = await startDistribution(join(root, 'distribution'));
    registries.push(distribution);
    log(`${wharf.label} on ${wharf.baseUrl} (pid ${wharf.pid}); ${distribution.label} on ${distribution.baseUrl} (pid ${distribution.pid})`);

    const results = await measureAll([wharf, distribution], rounds, config, log);

    const rows = buildRows(results.figures.get(wharf)!, results.figures.get(distribution)!, machine);
    const out: string[] = [
      '',
      `Wharf vs Distribution 2.8.2 — wharf column: ${wharf.label}; ${ROUNDS} rounds ABBA, wrk ${config.seconds}s per round; MiB = 2^20 bytes`,
      '',
      formatTable(rows),
      '',
      ...results.warnings,
    ];
    const missed = rows.filter((r) => r.status === 'MISS').length;
    out.push(`${rows.filter((r) => r.status === 'PASS').length} PASS, ${missed} MISS`);
    process.stdout.write(out.join('\n') + '\n');
  } finally {
    // Reverse order; each stop is awaited so data dirs are no longer in use when removed.
    for (const r of registries.reverse()) {
      await r.stop().catch((error: unknown) => log(`stopping ${r.label}: ${(error as Error).message}`));
    }
    await closeClient().catch(() => undefined);
    removeDir(root);
    cleanupNow();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench: failed: ${(error as Error).stack ?? String(error)}\n`);
    cleanupNow();
    process.exit(1);
  },
);

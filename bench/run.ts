/**
 * `npm run bench`: Wharf vs Debian's docker-registry (Distribution 2.8.2) on the
 * same random blobs, on loopback, printed as one table. Three phases: without
 * access control on either side (workloads.ts), then Wharf secure vs
 * Distribution in token mode (token-mode.ts), then, on those same servers,
 * Wharf's manifest GETs without and with a large network rule set
 * (network-rules.ts). Progress goes to stderr so stdout is just the report.
 * Exit 0 when the run completed; missed targets are reported, not failures. A
 * token-mode or network-rules phase that fails still prints the table (its rows
 * say ERROR) and exits 1.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROUNDS, readConfig, sizes } from './config.js';
import { cleanupNow, installSignalHandlers, removeDir, trackDir } from './cleanup.js';
import { makeRoundBlobs, type RoundBlobs } from './blobs.js';
import { measureMachine } from './machine.js';
import { measureNetworkRules, type NetworkRulesResults } from './network-rules.js';
import { closeClient } from './oci-client.js';
import { buildRows, formatTable, TOKEN_NOTES } from './report.js';
import { startDistribution, startWharf, type RunningRegistry } from './servers.js';
import { measureTokenMode, type TokenModeResults } from './token-mode.js';
import { measureAll } from './workloads.js';

const log = (message: string): void => {
  process.stderr.write(`bench: ${message}\n`);
};

async function main(): Promise<number> {
  const config = readConfig();
  installSignalHandlers();
  const root = mkdtempSync(join(tmpdir(), 'wharf-bench-'));
  trackDir(root);
  const registries: RunningRegistry[] = [];
  try {
    log(`temp dir ${root}${config.quick ? ' (BENCH_QUICK: 512 MiB figures skipped, wrk ${config.seconds}s)' : ''}`);
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
    const wharf = await startWharf(join(root, 'wharf'), config.wharfCmd, config.wharfReadyPath, 'open');
    registries.push(wharf);
    const distribution = await startDistribution(join(root, 'distribution'));
    registries.push(distribution);
    log(`${wharf.label} on ${wharf.baseUrl} (pid ${wharf.pid}); ${distribution.label} on ${distribution.baseUrl} (pid ${distribution.pid})`);

    const results = await measureAll([wharf, distribution], rounds, config, log);
    // The no-auth servers are done: stop them so they hold no memory or page cache during the token phase.
    for (const r of [wharf, distribution]) await r.stop();

    let tokens: TokenModeResults | undefined;
    let tokenFailure: string | undefined;
    try {
      tokens = await measureTokenMode(root, config, log, registries);
    } catch (error) {
      tokenFailure = (error as Error).message;
      log(`token mode failed: ${(error as Error).stack ?? tokenFailure}`);
    }

    // Same servers as token mode, still running: they are stopped in `finally`.
    let network: NetworkRulesResults | undefined;
    let networkFailure: string | undefined;
    if (tokens === undefined) {
      networkFailure = 'not measured: token mode failed';
    } else if (tokens.session.wharf.owner === undefined) {
      networkFailure = 'skipped: the WHARF_CMD=distribution stand-in has no ARM API to configure network rules';
    } else {
      try {
        network = await measureNetworkRules(tokens.session, config, log);
      } catch (error) {
        networkFailure = (error as Error).message;
        log(`network rules failed: ${(error as Error).stack ?? networkFailure}`);
      }
    }
    const networkError = networkFailure !== undefined && !networkFailure.startsWith('skipped:');

    const rows = buildRows(
      { ...results.figures.get(wharf)!, ...tokens?.wharf, ...network?.wharf },
      { ...results.figures.get(distribution)!, ...tokens?.distribution, ...network?.distribution },
      machine,
      tokenFailure,
      networkFailure,
    );
    const out: string[] = [
      '',
      `Wharf vs Distribution 2.8.2 — ${ROUNDS} rounds ABBA, wrk ${config.seconds}s per round; MiB = 2^20 bytes`,
      `  rows without "Bearer"/"token": no access control on either side — wharf column: ${wharf.label} ` +
        "(Wharf's explicit insecure dev mode: every request allowed), Distribution without auth",
      `  "Bearer" and "token" rows: wharf column: ${tokens?.wharfLabel ?? 'wharf, secure'} (default: access control on; token from its ` +
        'identity plane → /oauth2/exchange → /oauth2/token); Distribution in token mode, tokens signed by the bench token server ' +
        '(node:http + jose, RS256, x5c chaining to a throwaway CA; no database, no audit)',
      '  "network rules" rows: the same two servers; Wharf Premium, without vs with 200 IP + 100 VNet rules (default Deny), ' +
        'interleaved ABBA with Distribution, median of each',
      '',
      formatTable(rows),
      '',
      ...TOKEN_NOTES,
      '',
      ...results.warnings,
      ...(tokens?.warnings ?? []),
      ...(network?.notes ?? []),
      ...(tokenFailure !== undefined ? [`ERROR token-mode figures not measured: ${tokenFailure}`] : []),
      ...(networkFailure !== undefined ? [`${networkError ? 'ERROR' : 'NOTE'} network-rules figures: ${networkFailure}`] : []),
    ];
    const missed = rows.filter((r) => r.status === 'MISS').length;
    out.push(
      `${rows.filter((r) => r.status === 'PASS').length} PASS, ${missed} MISS` +
        `${tokenFailure !== undefined ? ', token mode ERROR' : ''}${networkError ? ', network rules ERROR' : ''}`,
    );
    process.stdout.write(out.join('\n') + '\n');
    return tokenFailure === undefined && !networkError ? 0 : 1;
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
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: failed: ${(error as Error).stack ?? String(error)}\n`);
    cleanupNow();
    process.exit(1);
  },
);

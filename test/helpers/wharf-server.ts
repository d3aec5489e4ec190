/**
 * Starts a real Wharf server process for end-to-end tests: on a free loopback port, in a
 * temporary data dir, HTTPS with the CA Wharf creates (or plain HTTP), ready once /readyz
 * answers 200. A restart on the same data dir is how crash and restart safety are tested.
 *
 * WHARF_E2E_SERVER=distribution runs Debian's docker-registry in its place (same handle), a
 * development aid for checking the client wrappers when Wharf is not built; tests that check
 * Wharf-only behaviour are expected to fail against it.
 */ import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { READY_PATH, WHARF_CLI, serveArgs } from './contract.js';
import { freePort, launch, type StartOptions, type WharfServer } from './server-process.js';
import { tempDir } from './tmp.js';

export * from './server-process.js';

export async function startWharf(opts: StartOptions = {}): Promise<WharfServer> {
  if (process.env.WHARF_E2E_SERVER === 'distribution') {
    const { startDistribution } = await import('./distribution-peer.js');
    return startDistribution(opts);
  }
  if (!existsSync(WHARF_CLI)) {
    throw new Error(`${WHARF_CLI} does not exist: build first with npx tsc -p tsconfig.json`);
  }
  const dataDir = opts.dataDir ?? tempDir('data');
  mkdirSync(dataDir, { recursive: true });
  const port = opts.port ?? (await freePort());
  const http = opts.http ?? false;
  const extra = [...(opts.domain ? ['--domain', opts.domain] : []), ...configArgs(dataDir, opts.config), ...(opts.args ?? [])];
  return launch({
    command: process.execPath,
    args: serveArgs({ dataDir, port, http, extra }),
    env: { ...(opts.secure ? {} : { WHARF_OPEN_ACCESS: 'true' }), ...(opts.env ?? {}) },
    port,
    dataDir,
    http,
    readyPath: READY_PATH,
    options: { ...opts, dataDir, port, http },
    name: 'wharf',
  });
}

function configArgs(dataDir: string, config: Record<string, unknown> | undefined): string[] {
  if (!config) return [];
  const file = join(dataDir, 'wharf-test-config.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return ['--config', file];
}

/**
 * Starts the server again on the same data dir and port. The old process must already be
 * stopped or killed; this does not stop it, so a test says which (SIGTERM or SIGKILL) it means.
 */
export async function restartWharf(previous: WharfServer, overrides: StartOptions = {}): Promise<WharfServer> {
  return startWharf({ ...previous.options, ...overrides, dataDir: previous.dataDir });
}

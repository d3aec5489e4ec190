/**
 * A throwaway Azurite (Microsoft's Azure Storage emulator, the npm devDependency) for tests: its
 * blob service alone, on a free loopback port, keeping its data in a temporary directory, with
 * its telemetry off (no traffic leaves the machine). Ready once the service answers the SDK.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BlobServiceClient } from '@azure/storage-blob';
import { REPO_ROOT } from './contract.js';
import { freePort } from './server-process.js';
import { tempDir } from './tmp.js';

/** Azurite's one well-known development account (the same in every copy of it: not a secret). */
const ACCOUNT = 'devstoreaccount1';
const ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const READY_TIMEOUT_MS = 30_000;

export interface Azurite {
  connectionString: string;
  /** A client of the emulator's blob service, to look at what a test stored. */
  service: BlobServiceClient;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export async function startAzurite(): Promise<Azurite> {
  const port = await freePort();
  const location = tempDir('azurite');
  const main = join(REPO_ROOT, 'node_modules', 'azurite', 'dist', 'src', 'blob', 'main.js');
  const child = spawn(
    process.execPath,
    [main, '--blobHost', '127.0.0.1', '--blobPort', String(port), '--location', location, '--silent', '--skipApiVersionCheck', '--disableTelemetry'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  live.add(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => live.delete(child));
  const connectionString = `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${ACCOUNT_KEY};BlobEndpoint=http://127.0.0.1:${port}/${ACCOUNT};`;
  const service = BlobServiceClient.fromConnectionString(connectionString, { retryOptions: { maxTries: 1 } });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    try {
      await service.getProperties();
      break;
    } catch (error) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`Azurite did not start: ${(error as Error).message}\n${output}`);
      }
      await sleep(200);
    }
  }
  return {
    connectionString,
    service,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, sleep(10_000).then(() => child.kill('SIGKILL'))]);
        await exited;
      }
    },
  };
}

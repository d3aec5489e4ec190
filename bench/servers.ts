/**
 * Start and stop the two registries under test: Debian's docker-registry
 * (CNCF Distribution 2.8.2) and Wharf (or a stand-in given by WHARF_CMD).
 * Both listen on 127.0.0.1 only and keep their data in the bench temp dir.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { freePorts } from './ports.js';
import { trackChild } from './cleanup.js';

export interface RunningRegistry {
  /** Column label in the table. */
  readonly label: string;
  /** http://127.0.0.1:<port> — everything the workloads talk to. */
  readonly baseUrl: string;
  readonly port: number;
  /** PID of the server process itself (not a shell), for RSS sampling. */
  readonly pid: number;
  readonly logFile: string;
  stop(): Promise<void>;
}

const DISTRIBUTION_BIN = '/usr/bin/docker-registry';
const READY_TIMEOUT_MS = 30_000;

/** Distribution config: the essentials of the reference registry-start.sh, quieted for benchmarking. */
function distributionConfig(root: string, port: number, debugPort: number): string {
  return `version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  cache:
    blobdescriptor: inmemory
  filesystem:
    rootdirectory: ${root}/data
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:${port}
  secret: ${randomBytes(16).toString('hex')}
  debug:
    addr: 127.0.0.1:${debugPort}
`;
}

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Poll `url` until it answers 200, failing early if the process dies. */
async function waitReady(child: ChildProcess, url: string, logFile: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server exited (${child.exitCode ?? child.signalCode}) before ready; log ${logFile}:\n${tail(logFile)}`);
    }
    try {
      const res = await request(url, { headersTimeout: 2000, bodyTimeout: 2000 });
      await res.body.dump();
      if (res.statusCode === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server not ready at ${url} after ${READY_TIMEOUT_MS} ms; log ${logFile}:\n${tail(logFile)}`);
    await sleep(100);
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  // Both servers shut down gracefully on SIGTERM; do not let a stuck one hang the bench.
  const timedOut = await Promise.race([exited.then(() => false), sleep(5000).then(() => true)]);
  if (timedOut) {
    child.kill('SIGKILL');
    await exited;
  }
}

/** Spawn with stdout/stderr going to a log file: a pipe nobody reads would eventually block the server. */
async function launch(
  label: string,
  command: string,
  args: string[],
  dir: string,
  port: number,
  readyPath: string,
): Promise<RunningRegistry> {
  const logFile = join(dir, 'server.log');
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(command, args, { stdio: ['ignore', fd, fd], cwd: dir });
  } finally {
    closeSync(fd); // the child holds its own copy
  }
  trackChild(child);
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([waitReady(child, baseUrl + readyPath, logFile), spawnError]);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  if (child.pid === undefined) throw new Error(`${label}: no pid`);
  return { label, baseUrl, port, pid: child.pid, logFile, stop: () => stopChild(child) };
}

export async function startDistribution(dir: string, label = 'distribution'): Promise<RunningRegistry> {
  mkdirSync(join(dir, 'data'), { recursive: true });
  const [port, debugPort] = await freePorts(2);
  const configFile = join(dir, 'config.yml');
  writeFileSync(configFile, distributionConfig(dir, port!, debugPort!));
  // /v2/ answers 200 without auth once the HTTP server is up.
  return launch(label, DISTRIBUTION_BIN, ['serve', configFile], dir, port!, '/v2/');
}

/** The Wharf column: the real Wharf unless WHARF_CMD says otherwise (see config.ts). */
export async function startWharf(dir: string, wharfCmd: string | undefined, readyPath: string): Promise<RunningRegistry> {
  if (wharfCmd === 'distribution') return startDistribution(dir, 'wharf (=distribution)');
  const data = join(dir, 'data');
  mkdirSync(data, { recursive: true });
  const [port] = await freePorts(1);
  if (wharfCmd !== undefined) {
    const cmd = wharfCmd.replaceAll('{port}', String(port)).replaceAll('{data}', data);
    // `exec` so the PID we sample for RSS is the server, not the shell.
    return launch(`wharf (${wharfCmd})`, '/bin/sh', ['-c', `exec ${cmd}`], dir, port!, readyPath);
  }
  const main = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
  if (!existsSync(main)) {
    throw new Error(`${main} not found: build Wharf first, or set WHARF_CMD=distribution to benchmark docker-registry against itself`);
  }
  const args = [main, 'serve', '--data', data, '--port', String(port), '--host', '127.0.0.1', '--http', '--log-level', 'warn'];
  return launch('wharf', process.execPath, args, dir, port!, '/readyz');
}

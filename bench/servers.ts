/**
 * Start and stop the two registries under test: Debian's docker-registry
 * (CNCF Distribution 2.8.2, without auth or in token mode) and Wharf (open or
 * secure, or a stand-in given by WHARF_CMD), and the bench token server that
 * signs Distribution's tokens. All listen on 127.0.0.1 only and keep their data
 * in the bench temp dir.
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

/** Distribution's token mode: JWTs with `x5c` chaining to `rootCertBundle`. */
interface DistributionTokenAuth {
  /** Where clients are sent for tokens (the bench token server). */
  readonly realm: string;
  /** Tokens must carry this `aud`. */
  readonly service: string;
  readonly issuer: string;
  readonly rootCertBundle: string;
}

function tokenAuthConfig(auth: DistributionTokenAuth | undefined): string {
  if (!auth) return '';
  return `auth:
  token:
    realm: ${auth.realm}
    service: ${auth.service}
    issuer: ${auth.issuer}
    rootcertbundle: ${auth.rootCertBundle}
`;
}

/** Distribution config: the essentials of the reference registry-start.sh, quieted for benchmarking. */
function distributionConfig(root: string, port: number, debugPort: number, auth: DistributionTokenAuth | undefined): string {
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
${tokenAuthConfig(auth)}`;
}

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Poll `url` until it answers `readyStatus`, failing early if the process dies. */
async function waitReady(child: ChildProcess, url: string, logFile: string, readyStatus: number): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server exited (${child.exitCode ?? child.signalCode}) before ready; log ${logFile}:\n${tail(logFile)}`);
    }
    try {
      const res = await request(url, { headersTimeout: 2000, bodyTimeout: 2000 });
      await res.body.dump();
      if (res.statusCode === readyStatus) return;
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

interface LaunchOptions {
  readonly readyPath: string;
  /** What the ready path answers once the server is up (401 for a registry in token mode). */
  readonly readyStatus?: number;
  readonly env?: NodeJS.ProcessEnv;
}

/** Spawn with stdout/stderr going to a log file: a pipe nobody reads would eventually block the server. */
async function launch(label: string, command: string, args: string[], dir: string, port: number, options: LaunchOptions): Promise<RunningRegistry> {
  const logFile = join(dir, 'server.log');
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(command, args, { stdio: ['ignore', fd, fd], cwd: dir, env: options.env ?? process.env });
  } finally {
    closeSync(fd); // the child holds its own copy
  }
  trackChild(child);
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([waitReady(child, baseUrl + options.readyPath, logFile, options.readyStatus ?? 200), spawnError]);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  if (child.pid === undefined) throw new Error(`${label}: no pid`);
  return { label, baseUrl, port, pid: child.pid, logFile, stop: () => stopChild(child) };
}

/** Debian's docker-registry; with `auth`, in token mode. */
export async function startDistribution(dir: string, label = 'distribution', auth?: DistributionTokenAuth): Promise<RunningRegistry> {
  mkdirSync(join(dir, 'data'), { recursive: true });
  const [port, debugPort] = await freePorts(2);
  const configFile = join(dir, 'config.yml');
  writeFileSync(configFile, distributionConfig(dir, port!, debugPort!, auth));
  // /v2/ answers once the HTTP server is up: 200 without auth, 401 with a Bearer challenge in token mode.
  return launch(label, DISTRIBUTION_BIN, ['serve', configFile], dir, port!, { readyPath: '/v2/', readyStatus: auth ? 401 : 200 });
}

/**
 * How the Wharf column runs: `open` sets WHARF_OPEN_ACCESS=true, Wharf's explicit insecure dev
 * mode where every request is allowed (the counterpart of Distribution without auth); `secure`
 * is Wharf's default, access control on, and removes WHARF_OPEN_ACCESS from the environment.
 */
type WharfAccessMode = 'open' | 'secure';

function wharfEnvironment(mode: WharfAccessMode): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.WHARF_OPEN_ACCESS;
  if (mode === 'open') env.WHARF_OPEN_ACCESS = 'true';
  return env;
}

/** The Wharf column: the real Wharf unless WHARF_CMD says otherwise (see config.ts). */
export async function startWharf(dir: string, wharfCmd: string | undefined, readyPath: string, mode: WharfAccessMode): Promise<RunningRegistry> {
  if (wharfCmd === 'distribution') {
    if (mode === 'secure') throw new Error('WHARF_CMD=distribution: start the stand-in with startDistribution and token auth instead');
    return startDistribution(dir, 'wharf (=distribution)');
  }
  const data = join(dir, 'data');
  mkdirSync(data, { recursive: true });
  const [port] = await freePorts(1);
  const env = wharfEnvironment(mode);
  const suffix = mode === 'open' ? ', WHARF_OPEN_ACCESS=true' : ', secure';
  if (wharfCmd !== undefined) {
    const cmd = wharfCmd.replaceAll('{port}', String(port)).replaceAll('{data}', data);
    // `exec` so the PID we sample for RSS is the server, not the shell.
    return launch(`wharf (${wharfCmd}${suffix})`, '/bin/sh', ['-c', `exec ${cmd}`], dir, port!, { readyPath, env });
  }
  const main = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
  if (!existsSync(main)) {
    throw new Error(`${main} not found: build Wharf first, or set WHARF_CMD=distribution to benchmark docker-registry against itself`);
  }
  const args = [main, 'serve', '--data', data, '--port', String(port), '--host', '127.0.0.1', '--http', '--log-level', 'warn'];
  return launch(`wharf${suffix}`, process.execPath, args, dir, port!, { readyPath: '/readyz', env });
}

/** The bench's token server (token-server.ts) in its own process, signing for `services`. */
export async function startTokenServer(dir: string, signerDir: string, services: string[]): Promise<RunningRegistry> {
  mkdirSync(dir, { recursive: true });
  const [port] = await freePorts(1);
  const script = fileURLToPath(new URL('./token-server.js', import.meta.url));
  return launch('bench token server', process.execPath, [script, signerDir, String(port), ...services], dir, port!, { readyPath: '/healthz' });
}

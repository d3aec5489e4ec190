/**
 * A server process for end-to-end tests: spawn, wait until its ready path answers 200, stop or
 * kill it. Shared by Wharf (wharf-server.ts) and the distribution peer (distribution-peer.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Agent } from 'undici';
import { READY_TIMEOUT_MS, STOP_TIMEOUT_MS, caFileOf } from './contract.js';
import { agentFor, request, type HttpResponse, type RequestOptions } from './http.js';
import { tempDir } from './tmp.js';

export { request } from './http.js';

export interface StartOptions {
  http?: boolean;
  dataDir?: string;
  /** Reuse a port (a restart keeps the address clients and their caches know). */
  port?: number;
  args?: string[];
  env?: Record<string, string>;
  /**
   * Start with access control on, as `wharf serve` does by default. Without it the server runs
   * with `auth.openAccess` (every request allowed), which the protocol-level tests rely on.
   */
  secure?: boolean;
  /** `--domain`: the DNS suffix of login servers and data endpoints (default localhost). */
  domain?: string;
  /** Settings written to a JSON config file in the data dir and passed with `--config`. */
  config?: Record<string, unknown>;
}

export interface WharfServer {
  baseUrl: string;
  /** "127.0.0.1:PORT", what clients put in image references. */
  host: string;
  port: number;
  dataDir: string;
  http: boolean;
  /** PEM file of the CA; undefined over plain HTTP. */
  caFile: string | undefined;
  /** A directory holding only ca.crt, for --cert-dir (containers/image rejects a lone *.key). */
  caDir: string | undefined;
  /** An undici dispatcher trusting the CA. */
  agent: Agent;
  /** request() against this server; `path` starts with '/'. */
  request(path: string, opts?: RequestOptions): Promise<HttpResponse>;
  stop(): Promise<void>;
  kill(): Promise<void>;
  /** Everything the process wrote so far, stdout and stderr interleaved. */
  logs(): string;
  stdout(): string;
  /** The options it was started with, for restart(). */
  readonly options: StartOptions;
}

/** Node kills of still-running servers when the test process exits, whatever happened. */
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

interface LaunchSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
  port: number;
  dataDir: string;
  http: boolean;
  readyPath: string;
  options: StartOptions;
  name: string;
}

const LOG_LIMIT = 2 * 1024 * 1024;

/** Spawns a server and waits until `readyPath` answers 200; shared with the distribution peer. */
export async function launch(spec: LaunchSpec): Promise<WharfServer> {
  const child = spawn(spec.command, spec.args, {
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let all = '';
  let out = '';
  const keep = (s: string, chunk: Buffer) => {
    s += chunk.toString('utf8');
    return s.length > LOG_LIMIT ? s.slice(s.length - LOG_LIMIT) : s;
  };
  child.stdout!.on('data', (c: Buffer) => {
    all = keep(all, c);
    out = keep(out, c);
  });
  child.stderr!.on('data', (c: Buffer) => {
    all = keep(all, c);
  });
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: Error | undefined;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      live.delete(child);
      resolve();
    });
    child.once('error', (err) => {
      spawnError = err;
      live.delete(child);
      resolve();
    });
  });

  const scheme = spec.http ? 'http' : 'https';
  const host = `127.0.0.1:${spec.port}`;
  const baseUrl = `${scheme}://${host}`;
  const caFile = spec.http ? undefined : caFileOf(spec.dataDir);
  let agent: Agent | undefined;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const fail = async (why: string): Promise<never> => {
    child.kill('SIGKILL');
    await exit;
    throw new Error(`${spec.name} did not become ready: ${why}\n--- command: ${spec.command} ${spec.args.join(' ')}\n--- output:\n${all}`);
  };
  let lastError = '';
  for (;;) {
    if (spawnError) await fail(`spawn failed: ${spawnError.message}`);
    if (exited) await fail(`exited with code ${exited.code} signal ${exited.signal}`);
    if (Date.now() > deadline) await fail(`no 200 from ${readyUrl()} within ${READY_TIMEOUT_MS} ms (last: ${lastError})`);
    // Over HTTPS the CA file appears during start-up; only then can we trust the server.
    if (!agent && (spec.http || existsSync(caFile!))) {
      try {
        agent = agentFor(spec.http ? undefined : readFileSync(caFile!, 'utf8'));
      } catch (err) {
        lastError = String(err);
      }
    }
    if (agent) {
      try {
        const res = await request(readyUrl(), { dispatcher: agent, timeoutMs: 2000 });
        if (res.status === 200) break;
        lastError = `status ${res.status}`;
      } catch (err) {
        lastError = (err as Error).message;
        // A CA written before the server cert, or rewritten: read it again next time.
        if (/certificate|self.signed|verify/i.test(lastError)) agent = undefined;
      }
    }
    await sleep(100);
  }
  function readyUrl(): string {
    return `${baseUrl}${spec.readyPath}`;
  }

  let caDir: string | undefined;
  if (caFile) {
    caDir = tempDir('ca');
    copyFileSync(caFile, join(caDir, 'ca.crt'));
  }
  const readyAgent = agent!;

  const waitExit = async (signal: NodeJS.Signals, timeoutMs: number): Promise<boolean> => {
    if (exited || spawnError) return true;
    child.kill(signal);
    const done = await Promise.race([exit.then(() => true), sleep(timeoutMs).then(() => false)]);
    return done;
  };

  return {
    baseUrl,
    host,
    port: spec.port,
    dataDir: spec.dataDir,
    http: spec.http,
    caFile,
    caDir,
    agent: readyAgent,
    options: spec.options,
    request: (path, opts = {}) => request(baseUrl + path, { dispatcher: readyAgent, ...opts }),
    async stop() {
      // Our own pooled keep-alive sockets are not what a shutdown test is about: release them
      // first, so that the time measured is the server's own.
      await Promise.race([readyAgent.close(), sleep(2000)]).catch(() => {});
      const clean = await waitExit('SIGTERM', STOP_TIMEOUT_MS);
      if (!clean) {
        await waitExit('SIGKILL', STOP_TIMEOUT_MS);
        throw new Error(`${spec.name} ignored SIGTERM for ${STOP_TIMEOUT_MS} ms and was killed\n${all}`);
      }
      await readyAgent.destroy().catch(() => {});
    },
    async kill() {
      await waitExit('SIGKILL', STOP_TIMEOUT_MS);
      await readyAgent.destroy().catch(() => {});
    },
    logs: () => all,
    stdout: () => out,
  };
}

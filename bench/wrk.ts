/** Run wrk (/usr/bin/wrk) against a loopback URL and parse its summary. */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { trackChild } from './cleanup.js';
import { assertLoopback } from './oci-client.js';

interface WrkResult {
  readonly requestsPerSec: number;
  readonly requests: number;
  /** "Non-2xx or 3xx responses" — if non-zero the req/s figure counts errors, not work. */
  readonly non2xx: number;
  /** connect/read/write/timeout errors from "Socket errors:". */
  readonly socketErrors: number;
  readonly raw: string;
}

export interface WrkOptions {
  readonly connections: number;
  readonly seconds: number;
  readonly headers?: Record<string, string>;
  /** A Lua script (-s), e.g. from writePostScript. */
  readonly script?: string;
}

function parseWrk(output: string): WrkResult {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(output);
  if (!rps) throw new Error(`wrk output has no Requests/sec:\n${output}`);
  const requests = /(\d+) requests in/.exec(output);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(output);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  return {
    requestsPerSec: Number(rps[1]),
    requests: requests ? Number(requests[1]) : 0,
    non2xx: non2xx ? Number(non2xx[1]) : 0,
    socketErrors: socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
    raw: output,
  };
}

export function runWrk(url: string, options: WrkOptions): Promise<WrkResult> {
  assertLoopback(new URL(url));
  // Two threads: the machine is small and the server needs the other cores.
  const args = ['-t2', `-c${options.connections}`, `-d${options.seconds}s`, '--timeout', '10s'];
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push('-H', `${name}: ${value}`);
  if (options.script !== undefined) args.push('-s', options.script);
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    trackChild(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`wrk exited ${code}:\n${out}`));
      try {
        resolve(parseWrk(out));
      } catch (error) {
        reject(error);
      }
    });
  });
}

/**
 * A wrk Lua script that sends every request as a POST of `body` (a form). The body goes in a
 * Lua long string, which takes its content literally; it must not contain the closing bracket.
 */
export function writePostScript(path: string, body: string, contentType = 'application/x-www-form-urlencoded'): string {
  const close = ']==]';
  if (body.includes(close) || contentType.includes('"')) throw new Error('POST body cannot be quoted for Lua');
  writeFileSync(
    path,
    ['wrk.method = "POST"', `wrk.body = [==[${body}${close}`, `wrk.headers["Content-Type"] = "${contentType}"`, ''].join('\n'),
    { mode: 0o600 }, // it holds a refresh token
  );
  return path;
}

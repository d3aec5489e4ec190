/** Runs the built `wharf` CLI as a user would, with its own WHARF_HOME and none of our settings. */
import { spawn } from 'node:child_process';
import { WHARF_CLI } from './contract.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  input?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Runs `node <cli> …` through this command line, e.g. a private mount namespace. */
  launcher?: string[];
  /** Also keep the test process's proxy variables away from the CLI. */
  withoutProxy?: boolean;
}

export function runWharfCli(home: string, args: string[], options: CliOptions = {}): Promise<CliResult> {
  // Nothing of the test process that the CLI could read: its own profile, no Azure settings.
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.startsWith('WHARF_') || k.startsWith('AZURE_')) continue;
    if (options.withoutProxy && /^(https?|all|no)_proxy$/i.test(k)) continue;
    env[k] = v;
  }
  const [command, ...prefix] = [...(options.launcher ?? []), process.execPath];
  return new Promise((resolve, reject) => {
    const child = spawn(command!, [...prefix, WHARF_CLI, ...args], {
      env: { ...env, WHARF_HOME: home, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

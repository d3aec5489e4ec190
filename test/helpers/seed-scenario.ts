/**
 * The seed scenarios as rows: a broken state set up on a real Wharf, the real client failing
 * with its own text, `wharf check-health` / `check-pull` naming the code and cause, then the fix
 * it printed run exactly as printed (through `sh -c`, placeholders such as `<token>` filled in,
 * nothing else) and the same client succeeding. Clients, the wharf CLI and the fixes all see one
 * private /etc/hosts and a resolver nobody answers (`unshare -m`, as helpers/private-resolver.ts),
 * so a fix that appends to /etc/hosts changes what the next client resolves, and only here.
 * Every row ends up in a table (name, client text, code, cause, fix, whether the fix worked).
 */
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Finding, Report } from '../../src/cli/checks/report.js';
import { run, type ClientResult } from './clients.js';
import { WHARF_CLI } from './contract.js';
import { privateResolver, type PrivateResolver } from './private-resolver.js';

/** A private view of name resolution, with `wharf` (for one WHARF_HOME) and the clients on PATH. */
export interface ScenarioSandbox {
  resolver: PrivateResolver;
  /** Env for clients and fixes: PATH with the wrappers and the `wharf` shim first. */
  env: Record<string, string>;
}

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** `hosts` as /etc/hosts for skopeo, docker, podman; `wharf` runs the built CLI as the user of `home`. */
export function scenarioSandbox(hosts: string, home: string): ScenarioSandbox {
  const resolver = privateResolver(hosts, ['skopeo', 'docker', 'podman']);
  const shim = join(resolver.dir, 'wharf');
  writeFileSync(shim, `#!/bin/sh\nWHARF_HOME=${quote(home)} exec ${quote(process.execPath)} ${quote(WHARF_CLI)} "$@"\n`);
  chmodSync(shim, 0o755);
  return { resolver, env: resolver.env() };
}

/** The private hosts and resolv.conf mounted for `command` (what the wrappers do for one binary). */
function inNamespace(sandbox: ScenarioSandbox, command: string): string[] {
  const resolvConf = join(sandbox.resolver.dir, 'resolv.conf');
  return [
    '-m',
    'sh',
    '-c',
    'mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/resolv.conf && exec sh -c "$3"',
    'sh',
    sandbox.resolver.hostsFile,
    resolvConf,
    command,
  ];
}

/** A shell command line as a user types it, in the sandbox's view of names. */
export function runShell(sandbox: ScenarioSandbox, command: string, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<ClientResult> {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.startsWith('WHARF_') || k.startsWith('AZURE_') || /^(https?|all|no)_proxy$/i.test(k)) continue;
    base[k] = v;
  }
  return run(
    'unshare',
    inNamespace(sandbox, command),
    { ...base, ...env, PATH: `${sandbox.resolver.dir}${delimiter}${env.PATH ?? process.env.PATH ?? ''}` },
    { timeoutMs },
  );
}

export interface CheckRun {
  code: number | null;
  report: Report;
  stderr: string;
}

/** `wharf <args> -o json` in the sandbox; the Report it printed. */
export async function runCheck(sandbox: ScenarioSandbox, args: string[]): Promise<CheckRun> {
  const r = await runShell(sandbox, ['wharf', ...args, '--output', 'json'].map(quote).join(' '));
  try {
    return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
  } catch {
    return assert.fail(`wharf ${args.join(' ')} printed no report (exit ${r.code})\n--- stdout:\n${r.stdout}\n--- stderr:\n${r.stderr}`);
  }
}

/** Fills the `<placeholder>`s a fix asks the user for; any other text stays as printed. */
export function fillPlaceholders(command: string, values: Record<string, string>): string {
  return command.replace(/<([a-z][a-z -]*)>/gi, (whole, name: string) => values[name] ?? whole);
}

export interface ScenarioRow {
  name: string;
  /** The client's own words (first line that says what failed). */
  clientText: string;
  code: string;
  cause: string;
  fix: string;
  /** The commands run, as printed (placeholders filled). */
  ran: string[];
  fixWorked: 'yes' | 'no' | 'no command';
}

/** The table the closing note needs, as Markdown. */
export function markdownTable(rows: ScenarioRow[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').trim();
  const lines = ['| # | scenario | client text | code | cause | fix (as printed) | fix worked |', '|---|---|---|---|---|---|---|'];
  rows.forEach((r, i) =>
    lines.push(`| ${i + 1} | ${cell(r.name)} | ${cell(r.clientText)} | ${cell(r.code)} | ${cell(r.cause)} | ${cell(r.fix)} | ${r.fixWorked} |`),
  );
  return lines.join('\n');
}

/** Writes the rows (JSON and Markdown) under the OS temp dir; returns the Markdown file's path. */
export function writeTable(rows: ScenarioRow[], name = 'wharf-seed-scenarios'): string {
  const markdown = join(tmpdir(), `${name}.md`);
  writeFileSync(join(tmpdir(), `${name}.json`), JSON.stringify(rows, null, 2));
  writeFileSync(markdown, markdownTable(rows) + '\n');
  return markdown;
}

/** What says why a client failed, by priority: the protocol's refusal first, then network errors, then any error line. */
const TELLING = [/unauthori|denied|forbidden|\b40[13]\b|not allowed|AADSTS|authorization/i, /lookup|deadline|timeout|refused|\bEOF\b/i, /error|fail/i];

/**
 * The line of a client's output that says what failed, without the logger's prefix
 * (`time=… level=fatal msg="…"`).
 */
export function clientLine(result: ClientResult | { message: string }): string {
  const text = 'message' in result ? result.message : `${result.stderr}\n${result.stdout}`;
  const lines = text
    .split(/\r?\n/)
    .map((l) =>
      l
        .trim()
        .replace(/^time="[^"]*" level=\w+ msg="(.*)"$/, '$1')
        .replace(/\\"/g, '"'),
    )
    .filter(Boolean)
    .reverse();
  const line = TELLING.map((pattern) => lines.find((l) => pattern.test(l))).find(Boolean) ?? lines[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 297)}…` : line;
}

/** The one error finding of a report with `code`, else a failure showing every finding. */
export function findingWith(report: Report, code: string): Finding {
  const found = report.findings.find((f) => f.level === 'error' && f.code === code);
  if (!found) assert.fail(`no ${code} in\n${JSON.stringify(report.findings, null, 2)}`);
  return found;
}

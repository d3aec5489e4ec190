/**
 * The findings of one check-health or check-pull run as they are made, with az's rule for
 * errors: the first one ends the run unless --ignore-errors (then every error is kept and the
 * checks that do not depend on the failed one go on).
 */
import type { Finding } from './report.js';

/** Thrown to end a run at its first error; the findings so far are the report. */
export class StopRun extends Error {
  constructor() {
    super('stopped at the first error');
  }
}

/** A check that cannot go on (its input failed) but does not end the whole run. */
export class SkipRest extends Error {}

interface ErrorFinding {
  check: string;
  code: string;
  message: string;
  cause: string;
  fix: string;
  /** The fix's commands, each as the fix quotes it (report.ts). */
  commands?: string[];
  details?: Record<string, unknown>;
}

/** The finding with only the commands its fix really quotes: a command shown is a command printed. */
function quoted(finding: ErrorFinding): ErrorFinding {
  if (!finding.commands) return finding;
  const commands = finding.commands.filter((c) => finding.fix.includes(c));
  const { commands: _dropped, ...rest } = finding;
  return commands.length > 0 ? { ...rest, commands } : rest;
}

export class FindingLog {
  readonly findings: Finding[] = [];

  constructor(private readonly ignoreErrors: boolean) {}

  ok(check: string, message: string, details?: Record<string, unknown>): void {
    this.findings.push({ check, level: 'ok', message, ...(details ? { details } : {}) });
  }

  info(check: string, message: string, details?: Record<string, unknown>): void {
    this.findings.push({ check, level: 'info', message, ...(details ? { details } : {}) });
  }

  warning(finding: ErrorFinding): void {
    this.findings.push({ level: 'warning', ...quoted(finding) });
  }

  /**
   * Records the error and returns what the caller throws: StopRun unless errors are ignored,
   * else SkipRest (only the checks that depend on this one stop). `throw log.fail({...})`.
   */
  fail(finding: ErrorFinding): StopRun | SkipRest {
    this.findings.push({ level: 'error', ...quoted(finding) });
    return this.ignoreErrors ? new SkipRest(finding.code) : new StopRun();
  }

  get failed(): boolean {
    return this.findings.some((f) => f.level === 'error');
  }
}

/** Runs a group of checks; a SkipRest ends only that group. StopRun goes through. */
export async function group(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (error instanceof SkipRest) return;
    throw error;
  }
}

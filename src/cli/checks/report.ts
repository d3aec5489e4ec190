/**
 * What check-health, check-pull and diagnose find, and how it is printed. A check yields
 * Findings: a pass ("DNS lookup to x at IP y : OK", as az prints), a warning, or an error with a
 * code (ACR's where ACR has one, Wharf's own otherwise), its cause and the command that fixes
 * it. Messages arrive already translated; this module only lays them out, as text like az's
 * or as JSON (`--output json`) with the same fields.
 */
export type FindingLevel = 'ok' | 'info' | 'warning' | 'error';

export interface Finding {
  /** Which check produced it, e.g. `dns`, `challenge`, `token-exchange`. */
  check: string;
  level: FindingLevel;
  /** ACR's error code (CONNECTIVITY_DNS_ERROR…) or Wharf's own; absent on passes. */
  code?: string;
  /** One line: what was checked and what happened. */
  message: string;
  /** Why it happened, in the user's language. */
  cause?: string;
  /** What to run or change to fix it, in the user's language; commands are quoted literally. */
  fix?: string;
  /**
   * The commands of the fix, each exactly as `fix` quotes it, in the order to run them; `<…>`
   * marks what the user fills in (an address, a password). Absent when the fix is no command.
   */
  commands?: string[];
  /** Extra facts (addresses, statuses, certificate issuer…) for --output json. */
  details?: Record<string, unknown>;
}

export interface Report {
  /** What was run: `check-health`, `check-pull`, `diagnose`. */
  command: string;
  language: string;
  findings: Finding[];
  /** True when no finding is an error. */
  ok: boolean;
}

export function reportOf(command: string, language: string, findings: Finding[]): Report {
  return { command, language, findings, ok: findings.every((f) => f.level !== 'error') };
}

/** Labels of the text layout, translated by the caller, each with its language's separator (`Cause:`, `Cause :`). */
export interface ReportLabels {
  ok: string;
  errorOccurred: string;
  warning: string;
  cause: string;
  fix: string;
}

/**
 * A text of several lines (a server's multi-line error) as lines, in order, continuation lines
 * indented under the first; a bare carriage return would move the terminal's cursor back over
 * what was printed.
 */
function block(first: string, text: string, indent: string): string[] {
  const [head = '', ...rest] = text.split(/\r\n|\r|\n/);
  return [`${first}${head}`, ...rest.filter((l) => l.trim() !== '').map((l) => `${indent}${l.trim()}`)];
}

/** One finding in az's layout: `<message> : OK` for a pass, `An error occurred: CODE` + message + cause + fix for an error. */
export function renderFinding(finding: Finding, labels: ReportLabels): string[] {
  if (finding.level === 'ok') return block('', `${finding.message} : ${labels.ok}`, '  ');
  if (finding.level === 'info') return block('', finding.message, '  ');
  const lines = [`${finding.level === 'error' ? labels.errorOccurred : labels.warning} ${finding.code ?? ''}`.trimEnd()];
  lines.push(...block('', finding.message, '  '));
  if (finding.cause) lines.push(...block(`  ${labels.cause} `, finding.cause, '    '));
  if (finding.fix) lines.push(...block(`  ${labels.fix} `, finding.fix, '    '));
  return lines;
}

export function renderReportText(report: Report, labels: ReportLabels): string {
  return report.findings.flatMap((finding) => renderFinding(finding, labels)).join('\n') + '\n';
}

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

/** Labels of the text layout, translated by the caller. */
export interface ReportLabels {
  ok: string;
  errorOccurred: string;
  warning: string;
  cause: string;
  fix: string;
}

/** az's layout: `<message> : OK` for passes, `An error occurred: CODE` + message + cause + fix for errors. */
export function renderReportText(report: Report, labels: ReportLabels): string {
  const lines: string[] = [];
  for (const finding of report.findings) {
    if (finding.level === 'ok') lines.push(`${finding.message} : ${labels.ok}`);
    else if (finding.level === 'info') lines.push(finding.message);
    else {
      lines.push(finding.level === 'error' ? `${labels.errorOccurred}: ${finding.code ?? ''}`.trimEnd() : `${labels.warning}: ${finding.code ?? ''}`.trimEnd());
      lines.push(finding.message);
      if (finding.cause) lines.push(`  ${labels.cause}: ${finding.cause}`);
      if (finding.fix) lines.push(`  ${labels.fix}: ${finding.fix}`);
    }
  }
  return lines.join('\n') + '\n';
}

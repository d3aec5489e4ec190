/**
 * How check-health and check-pull print their Report: JSON (-o json) as is, else az's text
 * layout (report.ts) followed, for each error, by the page of Wharf's docs on its code, and a
 * closing line pointing to the troubleshooting guide, as az points to aka.ms/acr/health-check.
 */
import type { Language } from '../i18n/index.js';
import type { OutputFormat } from '../cli/output.js';
import { healthTranslator } from './messages/health-messages.js';
import { renderReportText, type Report } from './report.js';

export function timeoutOf(flag: string | undefined): number {
  const seconds = Number(flag ?? '5');
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) throw new Error(`--timeout takes seconds between 0 and 600, not '${flag}'`);
  return Math.round(seconds * 1000);
}

/** docs/<lang>/health-errors.md#<code>, where the docs explain each code. */
export function docsOf(language: Language, code: string): string {
  return `docs/${language}/health-errors.md#${code.toLowerCase()}`;
}

export function printHealthReport(report: Report, output: OutputFormat | undefined, language: Language, guide: string): void {
  const t = healthTranslator(language);
  for (const finding of report.findings) {
    if (finding.code && (finding.level === 'error' || finding.level === 'warning')) finding.details = { ...finding.details, docs: docsOf(language, finding.code) };
  }
  if (output === 'json') {
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    return;
  }
  const text = renderReportText(report, { ok: t('labelOk'), errorOccurred: t('labelErrorOccurred'), warning: t('labelWarning'), cause: t('labelCause'), fix: t('labelFix') });
  const lines = text.trimEnd().split('\n');
  const out: string[] = [];
  // After each error or warning block (its fix line, else its cause, else its message), its docs page.
  let index = 0;
  for (const finding of report.findings) {
    const size = finding.level === 'ok' || finding.level === 'info' ? 1 : 2 + (finding.cause ? 1 : 0) + (finding.fix ? 1 : 0);
    out.push(...lines.slice(index, index + size));
    index += size;
    if (finding.code && finding.level !== 'ok' && finding.level !== 'info') out.push(`  ${t('seeDocs', { doc: docsOf(language, finding.code) })}`);
  }
  out.push(...lines.slice(index));
  out.push('', t('finalLine', { guide: `docs/${language}/${guide}`, other: `docs/${language}/${guide === 'troubleshoot-network.md' ? 'troubleshoot-login.md' : 'troubleshoot-network.md'}` }));
  process.stdout.write(out.join('\n') + '\n');
}

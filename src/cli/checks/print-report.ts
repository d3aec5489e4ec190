/**
 * How check-health and check-pull print their Report: JSON (-o json) as is, else az's text
 * layout (report.ts) followed, for each error, by the page of Wharf's docs on its code, and a
 * closing line pointing to the troubleshooting guide, as az points to aka.ms/acr/health-check.
 */
import type { Language } from '../../i18n/index.js';
import type { OutputFormat } from '../output.js';
import { healthTranslator } from './messages/health-messages.js';
import { renderFinding, type Report } from './report.js';
import { cliError } from '../cli-error.js';

export function timeoutOf(flag: string | undefined): number {
  const seconds = Number(flag ?? '5');
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) throw cliError('timeoutValue', { value: flag ?? '' });
  return Math.round(seconds * 1000);
}

/** docs/<lang>/health-errors.md#<code>, where the docs explain each code. */
function docsOf(language: Language, code: string): string {
  return `docs/${language}/health-errors.md#${code.toLowerCase()}`;
}

export function printHealthReport(report: Report, output: OutputFormat | undefined, language: Language, guide: string): void {
  const t = healthTranslator(language);
  for (const finding of report.findings) {
    if (finding.code && (finding.level === 'error' || finding.level === 'warning'))
      finding.details = { ...finding.details, docs: docsOf(language, finding.code) };
  }
  if (output === 'json') {
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    return;
  }
  const labels = { ok: t('labelOk'), errorOccurred: t('labelErrorOccurred'), warning: t('labelWarning'), cause: t('labelCause'), fix: t('labelFix') };
  const out: string[] = [];
  // After each error or warning block, its docs page.
  for (const finding of report.findings) {
    out.push(...renderFinding(finding, labels));
    if (finding.code && finding.level !== 'ok' && finding.level !== 'info') out.push(`  ${t('seeDocs', { doc: docsOf(language, finding.code) })}`);
  }
  out.push(
    '',
    t('finalLine', {
      guide: `docs/${language}/${guide}`,
      other: `docs/${language}/${guide === 'troubleshoot-network.md' ? 'troubleshoot-login.md' : 'troubleshoot-network.md'}`,
    }),
  );
  process.stdout.write(out.join('\n') + '\n');
}

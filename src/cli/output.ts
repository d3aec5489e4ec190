/**
 * How commands print results: `--output json` prints the API's JSON as it came; `--output table`
 * prints chosen columns, one row per item (lists) or one row per field (objects); `--output tsv`
 * prints the same cells tab-separated without headers, for scripts (as az's tsv). Lists default
 * to a table and objects to JSON, as `az` does for the commands people read most.
 */
import type { Language } from '../i18n/index.js';
import { outputTranslator, type OutputWord } from './output-messages.js';

export type OutputFormat = 'json' | 'table' | 'tsv';

export const OUTPUT_FORMATS: OutputFormat[] = ['json', 'table', 'tsv'];

export interface Column<T> {
  /** The header's message: a table for people shows it in the reader's language. */
  header: OutputWord;
  value: (item: T) => unknown;
}

/** How a command prints: the format asked for and the reader's language (a CommandContext is one). */
export interface OutputView {
  output: OutputFormat | undefined;
  language: Language;
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function renderTable<T>(items: T[], columns: Column<T>[], language: Language): string {
  const rows = items.map((item) => columns.map((c) => cell(c.value(item))));
  const t = outputTranslator(language);
  const headers = columns.map((c) => t(c.header));
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

function write(text: string): void {
  process.stdout.write(text);
}

export function printJson(value: unknown): void {
  write(JSON.stringify(value, null, 2) + '\n');
}

/** Tab-separated cells, one line per item, no header; tabs and newlines inside cells become spaces. */
export function renderTsv<T>(items: T[], columns: Column<T>[]): string {
  return items.map((item) => columns.map((c) => cell(c.value(item)).replace(/[\t\r\n]+/g, ' ')).join('\t') + '\n').join('');
}

export function printList<T>(items: T[], columns: Column<T>[], view: OutputView): void {
  if (view.output === 'json') printJson(items);
  else if (view.output === 'tsv') write(renderTsv(items, columns));
  else write(items.length === 0 ? '' : renderTable(items, columns, view.language));
}

/** An object: JSON by default; as a table, its top-level fields (or the given columns). */
export function printObject<T extends object>(item: T, view: OutputView, columns?: Column<T>[]): void {
  const format = view.output;
  if (format !== 'table' && format !== 'tsv') return printJson(item);
  if (columns) return write(format === 'tsv' ? renderTsv([item], columns) : renderTable([item], columns, view.language));
  const fields = Object.entries(item).filter(([, v]) => v === null || typeof v !== 'object');
  const properties = (item as { properties?: unknown }).properties;
  if (properties && typeof properties === 'object') {
    fields.push(...Object.entries(properties).filter(([, v]) => v === null || typeof v !== 'object'));
  }
  const fieldColumns: Column<[string, unknown]>[] = [
    { header: 'field', value: ([k]) => k },
    { header: 'value', value: ([, v]) => v },
  ];
  write(format === 'tsv' ? renderTsv(fields, fieldColumns.slice(1)) : renderTable(fields, fieldColumns, view.language));
}

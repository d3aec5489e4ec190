/**
 * How commands print results: `--output json` prints the API's JSON as it came; `--output table`
 * prints chosen columns, one row per item (lists) or one row per field (objects); `--output tsv`
 * prints the same cells tab-separated without headers, for scripts (as az's tsv). Lists default
 * to a table and objects to JSON, as `az` does for the commands people read most.
 */
export type OutputFormat = 'json' | 'table' | 'tsv';

export const OUTPUT_FORMATS: OutputFormat[] = ['json', 'table', 'tsv'];

export interface Column<T> {
  header: string;
  value: (item: T) => unknown;
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function renderTable<T>(items: T[], columns: Column<T>[]): string {
  const rows = items.map((item) => columns.map((c) => cell(c.value(item))));
  const headers = columns.map((c) => c.header);
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

export function printList<T>(items: T[], columns: Column<T>[], format: OutputFormat | undefined): void {
  if (format === 'json') printJson(items);
  else if (format === 'tsv') write(renderTsv(items, columns));
  else write(items.length === 0 ? '' : renderTable(items, columns));
}

/** An object: JSON by default; as a table, its top-level fields (or the given columns). */
export function printObject<T extends object>(item: T, format: OutputFormat | undefined, columns?: Column<T>[]): void {
  if (format !== 'table' && format !== 'tsv') return printJson(item);
  if (columns) return write(format === 'tsv' ? renderTsv([item], columns) : renderTable([item], columns));
  const fields = Object.entries(item).filter(([, v]) => v === null || typeof v !== 'object');
  const properties = (item as { properties?: unknown }).properties;
  if (properties && typeof properties === 'object') {
    fields.push(...Object.entries(properties).filter(([, v]) => v === null || typeof v !== 'object'));
  }
  const fieldColumns: Column<[string, unknown]>[] = [
    { header: 'Field', value: ([k]) => k },
    { header: 'Value', value: ([, v]) => v },
  ];
  write(format === 'tsv' ? renderTsv(fields, fieldColumns.slice(1)) : renderTable(fields, fieldColumns));
}

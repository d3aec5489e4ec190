/**
 * `wharf logs`: the registry's audit trail (login events and repository events) from the
 * management API's `/loginEvents` and `/repositoryEvents`, filtered by failures, identity,
 * address, operation, correlation id and time range; newest first, as a table, JSON or tsv.
 */
import { Option, type Command } from 'commander';
import { runCommand } from './command-context.js';
import { renderTsv } from './output.js';
import { escapeControls } from '../kernel/stored-text.js';
import { examples, helpKey } from './localized-command.js';
import { cliError } from './cli-error.js';
import { outputTranslator, type OutputWord } from './output-messages.js';
import type { Language } from '../i18n/index.js';

/** The one call `wharf logs` makes of the management API: GET of a path with its query. */
export interface ManagementReader {
  get(path: string): Promise<unknown>;
}

export interface LogsContext {
  client: ManagementReader;
  /** ARM id of the registry `--registry` names (undefined: the profile's registry). */
  registryId(name: string | undefined): string;
  /** The reader's language: the table's headers are in it (the rows come from the server in it). */
  language: Language;
}

/** Opens a signed-in context for one run of the command and closes it afterwards. */
type LogsRunner = (command: Command, body: (context: LogsContext) => Promise<void>) => Promise<void>;

/** The CLI profile's client (see command-context.ts). */
const runWithProfile: LogsRunner = (command, body) =>
  runCommand(command, (context) =>
    body({ client: context.client, registryId: (name) => context.registryId(context.registryName(name)), language: context.language }),
  );

interface LogsDependencies {
  run?: LogsRunner;
  write?: (text: string) => void;
  now?: () => number;
  /** Width the table's reasons wrap to; default the terminal's, unbounded when not a terminal. */
  width?: () => number;
}

type LogCategory = 'login' | 'repository';

const API_VERSION = '2023-07-01';
const DEFAULT_TOP = 100;
const MAX_TOP = 10_000;

interface LogsFlags {
  registry?: string;
  failures?: boolean;
  identity?: string;
  ip?: string;
  operation?: string;
  since?: string;
  until?: string;
  correlationId?: string;
  category: 'login' | 'repository' | 'all';
  top?: string;
  output?: string;
}

/** One row of either table, with the category it came from. */
export type LogRow = Record<string, unknown> & { Category: string; TimeGenerated: string };

const CATEGORY_NAMES: Record<LogCategory, string> = {
  login: 'ContainerRegistryLoginEvents',
  repository: 'ContainerRegistryRepositoryEvents',
};

export function registerLogsCommand(program: Command, dependencies: LogsDependencies = {}): Command {
  const run = dependencies.run ?? runWithProfile;
  const write = dependencies.write ?? ((text: string) => void process.stdout.write(text));
  const now = dependencies.now ?? Date.now;
  // Wrapped to a terminal's width; piped output keeps one line per event, for grep.
  const width = dependencies.width ?? (() => (process.stdout.isTTY ? process.stdout.columns || 120 : Number.POSITIVE_INFINITY));
  const command = program
    .command('logs')
    .description('logs')
    .option('-r, --registry <name>', 'logsOptRegistry')
    .option('--failures', 'logsOptFailures')
    .option('--identity <name>', 'logsOptIdentity')
    .option('--ip <address>', 'logsOptIp')
    .option('--operation <name>', 'logsOptOperation')
    .option('--since <when>', 'logsOptSince')
    .option('--until <when>', 'logsOptUntil')
    .option('--correlation-id <id>', 'logsOptCorrelationId')
    .addOption(new Option('--category <category>', 'logsOptCategory').choices(['login', 'repository', 'all']).default('all'))
    .option('--top <n>', helpKey('logsOptTop', { default: DEFAULT_TOP, max: MAX_TOP }));
  // The wharf program defines --output for every command; a program without it gets it here.
  if (!program.options.some((option) => option.long === '--output')) {
    command.addOption(new Option('-o, --output <format>', 'logsOptOutput').choices(['table', 'json', 'tsv']));
  }
  return command.addHelpText('after', examples('logsExamples')).action(async (flags: LogsFlags, command: Command) => {
    const query = logsQuery(flags, now());
    const categories: LogCategory[] = flags.category === 'all' ? ['login', 'repository'] : [flags.category];
    const globals = command.optsWithGlobals<{ output?: string; registry?: string }>();
    const output = flags.output ?? globals.output ?? 'table';
    if (output !== 'table' && output !== 'json' && output !== 'tsv') throw cliError('logsOutputValue', { value: output });
    await run(command, async (context) => {
      const registry = context.registryId(flags.registry ?? globals.registry);
      const pages = await Promise.all(categories.map((category) => context.client.get(eventsPath(registry, category, query))));
      const rows = mergeNewestFirst(
        pages.map((page, i) => rowsOf(page, categories[i]!)),
        query.top,
      );
      write(output === 'json' ? `${JSON.stringify(rows, null, 2)}\n` : output === 'tsv' ? renderLogTsv(rows) : renderLogTable(rows, width(), context.language));
    });
  });
}

interface LogsQuery {
  failuresOnly?: boolean;
  identity?: string;
  callerIpAddress?: string;
  operationName?: string;
  correlationId?: string;
  from?: string;
  to?: string;
  top: number;
}

/** The flags as the API's query; throws with a message naming the flag for a bad value. */
function logsQuery(flags: Omit<LogsFlags, 'category'>, now: number): LogsQuery {
  const query: LogsQuery = { top: DEFAULT_TOP };
  if (flags.failures) query.failuresOnly = true;
  if (flags.identity) query.identity = flags.identity;
  if (flags.ip) query.callerIpAddress = flags.ip;
  if (flags.operation) query.operationName = flags.operation;
  if (flags.correlationId) query.correlationId = flags.correlationId;
  if (flags.since !== undefined) query.from = timeFrom('--since', flags.since, now);
  if (flags.until !== undefined) query.to = timeFrom('--until', flags.until, now);
  if (query.from && query.to && query.from >= query.to) {
    throw cliError('sinceAfterUntil', { since: query.from, until: query.to });
  }
  if (flags.top !== undefined) {
    const top = Number(flags.top);
    if (!/^\d+$/.test(flags.top) || top < 1 || top > MAX_TOP) throw cliError('logsTopValue', { max: MAX_TOP, value: flags.top });
    query.top = top;
  }
  return query;
}

const DURATION_UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "90s", "30m", "1h", "1.5h", "7d", "2w" back from now, or an ISO 8601 time, as ISO. */
export function timeFrom(flag: string, value: string, now: number): string {
  const duration = /^(\d+(?:\.\d+)?)\s*([smhdw])$/i.exec(value.trim());
  if (duration) return new Date(now - Number(duration[1]) * DURATION_UNITS[duration[2]!.toLowerCase()]!).toISOString();
  // Only full dates count as times: Date.parse accepts "1" or "May 1" too loosely.
  const time = /^\d{4}-\d{2}-\d{2}/.test(value.trim()) ? Date.parse(value.trim()) : Number.NaN;
  if (Number.isNaN(time)) {
    throw cliError('expectsDurationOrTime', { flag, value });
  }
  return new Date(time).toISOString();
}

const EVENT_PATHS: Record<LogCategory, string> = { login: 'loginEvents', repository: 'repositoryEvents' };

function eventsPath(registryId: string, category: LogCategory, query: LogsQuery): string {
  const params = new URLSearchParams({ 'api-version': API_VERSION });
  if (query.failuresOnly) params.set('failuresOnly', 'true');
  for (const name of ['identity', 'callerIpAddress', 'operationName', 'from', 'to', 'correlationId'] as const) {
    const value = query[name];
    if (value !== undefined) params.set(name, value);
  }
  params.set('top', String(query.top));
  return `${registryId}/${EVENT_PATHS[category]}?${params.toString()}`;
}

function rowsOf(page: unknown, category: LogCategory): LogRow[] {
  const value = (page as { value?: unknown } | undefined)?.value;
  if (!Array.isArray(value)) throw cliError('answerHasNoValueList', { path: EVENT_PATHS[category] });
  return value
    .filter((row): row is Record<string, unknown> => typeof row === 'object' && row !== null)
    .map((row) => ({ ...row, Category: CATEGORY_NAMES[category], TimeGenerated: String(row.TimeGenerated ?? '') }));
}

/** Both categories in one list, newest first, cut to `top`. */
function mergeNewestFirst(lists: LogRow[][], top: number): LogRow[] {
  const all = lists.flat();
  all.sort((a, b) => timeOf(b) - timeOf(a));
  return all.slice(0, top);
}

function timeOf(row: LogRow): number {
  const time = Date.parse(row.TimeGenerated);
  return Number.isNaN(time) ? 0 : time;
}

// ---------------------------------------------------------------- table

interface TableColumn {
  header: OutputWord;
  /** Cells longer than this are cut with an ellipsis; the last column wraps instead. */
  max: number;
  value(row: LogRow): string;
}

const COLUMNS: TableColumn[] = [
  { header: 'logTime', max: 20, value: (row) => shortTime(row.TimeGenerated) },
  { header: 'logCategory', max: 10, value: (row) => (row.Category === CATEGORY_NAMES.login ? 'login' : 'repository') },
  { header: 'logOperation', max: 48, value: operationOf },
  { header: 'logIdentity', max: 36, value: (row) => text(row.Identity) || '-' },
  { header: 'logIp', max: 39, value: (row) => text(row.CallerIpAddress) },
  { header: 'logResult', max: 24, value: (row) => `${resultOf(row)}${timesOf(row)}` },
  { header: 'logReason', max: Number.POSITIVE_INFINITY, value: (row) => text(row.Reason) },
];

/** Narrower than this, the reason goes on its own lines under the row instead. */
const MIN_REASON_WIDTH = 30;
const REASON_BELOW_INDENT = '    ';

function renderLogTable(rows: LogRow[], terminalWidth: number, language: Language): string {
  const t = outputTranslator(language);
  if (rows.length === 0) return `${t('noEvents')}\n`;
  const headers = COLUMNS.map((column) => t(column.header));
  const cells = rows.map((row) => COLUMNS.map((column) => cut(column.value(row).replace(/\s+/g, ' '), column.max)));
  const fixed = COLUMNS.slice(0, -1).map((_column, i) => Math.max(headers[i]!.length, ...cells.map((r) => r[i]!.length)));
  const indent = fixed.reduce((sum, w) => sum + w + 2, 0);
  const inline = terminalWidth - indent >= MIN_REASON_WIDTH;
  const lines: string[] = [];
  const line = (values: string[]) =>
    values
      .map((v, i) => (i < fixed.length ? v.padEnd(fixed[i]!) : v))
      .join('  ')
      .trimEnd();
  lines.push(line(headers.slice(0, inline ? undefined : -1)));
  for (const row of cells) {
    const reason = row[row.length - 1]!;
    if (inline) {
      const [first = '', ...more] = wrap(reason, terminalWidth - indent);
      lines.push(line([...row.slice(0, -1), first]));
      for (const next of more) lines.push(`${' '.repeat(indent)}${next}`);
    } else {
      lines.push(line(row.slice(0, -1)));
      const width = Math.max(MIN_REASON_WIDTH, terminalWidth - REASON_BELOW_INDENT.length);
      for (const next of wrap(reason, width)) lines.push(`${REASON_BELOW_INDENT}${next}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * For scripts: the table's columns, uncut and unwrapped, tab-separated, one line per event, no
 * header (as az's tsv); the time keeps its milliseconds; last, how many requests the row stands for.
 */
function renderLogTsv(rows: LogRow[]): string {
  return renderTsv(rows, [
    { header: 'logTime', value: (row) => text(row.TimeGenerated) },
    ...COLUMNS.slice(1).map((column) => ({
      header: column.header,
      value: column.header === 'logResult' ? resultOf : (row: LogRow) => column.value(row),
    })),
    { header: 'logCount', value: (row) => String(countOf(row)) },
  ]);
}

function resultOf(row: LogRow): string {
  return `${text(row.ResultType)} ${text(row.ResultDescription)}`.trim();
}

/** How many requests a row stands for: 1, or more for a coalesced flood of failures. */
function countOf(row: LogRow): number {
  const count = Number(row.Count);
  return Number.isInteger(count) && count > 1 ? count : 1;
}

function operationOf(row: LogRow): string {
  const operation = text(row.OperationName);
  const repository = text(row.Repository);
  if (!repository) return operation;
  const tag = text(row.Tag);
  const digest = text(row.Digest);
  const reference = tag ? `:${tag}` : digest ? `@${digest.slice(0, 19)}` : '';
  return `${operation} ${repository}${reference}`;
}

function shortTime(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A cell's text; control characters as visible escapes, whatever the server sent (a terminal must not obey them). */
function text(value: unknown): string {
  return value === undefined || value === null ? '' : escapeControls(String(value));
}

/** " ×2980" for a row standing for many refused requests (a coalesced flood). */
function timesOf(row: LogRow): string {
  const count = countOf(row);
  return count > 1 ? ` ×${count}` : '';
}

function cut(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

/** Word-wraps to `width`; a word longer than a line is split. */
export function wrap(value: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (let word of value.split(' ').filter(Boolean)) {
    while (word.length > width) {
      if (current) {
        lines.push(current);
        current = '';
      }
      lines.push(word.slice(0, width));
      word = word.slice(width);
    }
    if (!current) current = word;
    else if (current.length + 1 + word.length <= width) current += ` ${word}`;
    else {
      lines.push(current);
      current = word;
    }
  }
  if (current) lines.push(current);
  return lines;
}

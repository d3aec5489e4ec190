/**
 * `wharf logs` against a management API stand-in: which requests the flags make, how the two
 * categories merge, the table and JSON output, and the errors for bad flag values.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command, Option } from 'commander';
import { registerLogsCommand, timeFrom, wrap, type LogRow, type LogsContext } from '../../src/cli/logs.js';
import type { Language } from '../../src/i18n/index.js';

const NOW = Date.parse('2024-05-01T12:00:00.000Z');
const REGISTRY_ID = (name: string) => `/subscriptions/s/resourceGroups/wharf/providers/Microsoft.ContainerRegistry/registries/${name}`;

const LOGIN_ROWS = [
  {
    TimeGenerated: '2024-05-01T11:59:00.000Z',
    CallerIpAddress: '127.0.0.1',
    CorrelationId: 'c-login',
    DurationMs: '4',
    Identity: '11111111-2222-3333-4444-555555555555',
    LoginServer: 'wharf.localhost',
    OperationName: 'Login',
    ResultDescription: '401',
    ResultType: 'Failed',
    UserAgent: 'docker',
    Reason: 'the client secret of the service principal 11111111-2222-3333-4444-555555555555 is not valid (wrong secret, or it expired)',
  },
  {
    TimeGenerated: '2024-05-01T11:00:00.000Z',
    CallerIpAddress: '127.0.0.1',
    CorrelationId: 'c-old',
    Identity: 'wharf',
    OperationName: 'Login',
    ResultDescription: '200',
    ResultType: 'Succeeded',
    Reason: 'admin user',
  },
];
const REPOSITORY_ROWS = [
  {
    TimeGenerated: '2024-05-01T11:59:30.000Z',
    CallerIpAddress: '::1',
    CorrelationId: 'c-pull',
    Identity: 'reader',
    OperationName: 'Pull',
    Repository: 'hello/world',
    Tag: 'v1',
    Digest: 'sha256:0123456789abcdef0123456789abcdef',
    ResultDescription: '200',
    ResultType: 'Succeeded',
    Reason: 'AcrPull at the registry',
  },
  {
    TimeGenerated: '2024-05-01T11:30:00.000Z',
    CallerIpAddress: '::1',
    CorrelationId: 'c-delete',
    Identity: 'reader',
    OperationName: 'Delete',
    Repository: 'hello/world',
    Tag: null,
    Digest: 'sha256:0123456789abcdef0123456789abcdef',
    ResultDescription: '403',
    ResultType: 'Failed',
    Reason: 'denied',
  },
];

/** Runs `wharf logs <args>` with a client that answers from the rows above. */
async function runLogs(args: string[], answer?: (path: string) => unknown, width = 120, program = new Command(), language: Language = 'en') {
  const paths: string[] = [];
  let output = '';
  const context: LogsContext = {
    client: {
      async get(path) {
        paths.push(path);
        if (answer) return answer(path);
        return { value: path.includes('/loginEvents?') ? LOGIN_ROWS : REPOSITORY_ROWS };
      },
    },
    registryId: (name) => REGISTRY_ID(name ?? 'wharf'),
    language,
  };
  program
    .name('wharf')
    .exitOverride()
    .configureOutput({ writeErr: () => {} });
  registerLogsCommand(program, {
    run: async (_command, body) => body(context),
    write: (text) => void (output += text),
    now: () => NOW,
    width: () => width,
  });
  await program.parseAsync(['logs', ...args], { from: 'user' });
  return { paths, output, queries: paths.map((p) => ({ path: p.split('?')[0], query: Object.fromEntries(new URL(p, 'https://x').searchParams) })) };
}

describe('wharf logs: requests', () => {
  it('asks both categories of the profile registry, newest 100', async () => {
    const { queries } = await runLogs(['--output', 'json']);
    assert.deepEqual(queries, [
      { path: `${REGISTRY_ID('wharf')}/loginEvents`, query: { 'api-version': '2023-07-01', top: '100' } },
      { path: `${REGISTRY_ID('wharf')}/repositoryEvents`, query: { 'api-version': '2023-07-01', top: '100' } },
    ]);
  });

  it('turns every filter flag into its query parameter', async () => {
    const { queries } = await runLogs([
      '-r',
      'other',
      '--category',
      'login',
      '--failures',
      '--identity',
      'app',
      '--ip',
      '10.0.0.1',
      '--operation',
      'Login',
      '--since',
      '1h',
      '--until',
      '30m',
      '--correlation-id',
      'abc',
      '--top',
      '7',
      '-o',
      'json',
    ]);
    assert.deepEqual(queries, [
      {
        path: `${REGISTRY_ID('other')}/loginEvents`,
        query: {
          'api-version': '2023-07-01',
          failuresOnly: 'true',
          identity: 'app',
          callerIpAddress: '10.0.0.1',
          operationName: 'Login',
          from: '2024-05-01T11:00:00.000Z',
          to: '2024-05-01T11:30:00.000Z',
          correlationId: 'abc',
          top: '7',
        },
      },
    ]);
  });

  it('asks only repository events for --category repository', async () => {
    const { queries } = await runLogs(['--category', 'repository', '--since', '2024-04-30T00:00:00Z']);
    assert.deepEqual(
      queries.map((q) => [q.path.split('/').pop(), q.query.from]),
      [['repositoryEvents', '2024-04-30T00:00:00.000Z']],
    );
  });

  const bad: [string[], RegExp][] = [
    [['--since', 'yesterday'], /--since expects a duration .* not 'yesterday'/],
    [['--until', '5 parsecs'], /--until expects/],
    [['--since', '1h', '--until', '2h'], /--since .* must be before --until/],
    [['--top', '0'], /--top must be a whole number from 1 to 10000/],
    [['--top', 'all'], /--top must be a whole number/],
  ];
  for (const [args, message] of bad) {
    it(`refuses ${args.join(' ')} before calling the server`, async () => {
      let called = false;
      await assert.rejects(
        runLogs(args, () => ((called = true), { value: [] })),
        message,
      );
      assert.equal(called, false);
    });
  }

  it('refuses an unknown category and output format', async () => {
    await assert.rejects(runLogs(['--category', 'webhooks']), /Allowed choices are login, repository, all/);
    await assert.rejects(runLogs(['--output', 'yaml']), /Allowed choices are table, json/);
  });

  it("uses the program's own --output when it has one, before or after the command name", async () => {
    for (const args of [
      ['logs', '-o', 'json'],
      ['-o', 'json', 'logs'],
    ]) {
      const program = new Command().addOption(new Option('-o, --output <format>').choices(['json', 'table']));
      let output = '';
      program.exitOverride().configureOutput({ writeErr: () => {} });
      registerLogsCommand(program, {
        run: async (_command, body) =>
          body({ client: { get: async () => ({ value: REPOSITORY_ROWS }) }, registryId: () => REGISTRY_ID('wharf'), language: 'en' }),
        write: (text) => void (output += text),
      });
      assert.equal(program.commands[0]!.options.filter((o) => o.long === '--output').length, 0, 'no second --output');
      await program.parseAsync(args, { from: 'user' });
      assert.equal((JSON.parse(output) as LogRow[]).length, 4, args.join(' ')); // two rows from each category
    }
  });

  it('says so when the server answers without a value list', async () => {
    await assert.rejects(
      runLogs([], () => ({ error: 'x' })),
      /answer has no 'value' list/,
    );
  });
});

describe('wharf logs: output', () => {
  it('merges both categories newest first, cut to --top, in JSON', async () => {
    const { output } = await runLogs(['--top', '3', '-o', 'json']);
    const rows = JSON.parse(output) as LogRow[];
    assert.deepEqual(
      rows.map((r) => [r.CorrelationId, r.Category]),
      [
        ['c-pull', 'ContainerRegistryRepositoryEvents'],
        ['c-login', 'ContainerRegistryLoginEvents'],
        ['c-delete', 'ContainerRegistryRepositoryEvents'],
      ],
    );
    assert.equal(rows[1]!.Reason, LOGIN_ROWS[0]!.Reason, 'rows are passed through whole');
  });

  it('prints a table with the reason wrapped under its column', async () => {
    const { output } = await runLogs([], undefined, 200);
    const lines = output.trimEnd().split('\n');
    assert.match(lines[0]!, /^TIME\s+CATEGORY\s+OPERATION\s+IDENTITY\s+IP\s+RESULT\s+REASON$/);
    assert.ok(
      lines.every((l) => l.length <= 200),
      output,
    );
    assert.match(lines[1]!, /^2024-05-01T11:59:30Z\s+repository\s+Pull hello\/world:v1\s+reader\s+::1\s+Succeeded 200\s+AcrPull at the registry$/);
    assert.match(lines[2]!, /^2024-05-01T11:59:00Z\s+login\s+Login\s+11111111-2222-3333-4444-555555555555\s+127\.0\.0\.1\s+Failed 401\s+the client secret/);
    const reasonColumn = lines[0]!.indexOf('REASON');
    // The long reason continues on the next line, starting under REASON.
    assert.equal(lines[3]!.slice(0, reasonColumn).trim(), '');
    assert.ok(lines[3]!.length > reasonColumn);
    const next = lines.findIndex((l, i) => i > 2 && l.startsWith('2024'));
    const reason = [lines[2]!.slice(reasonColumn), ...lines.slice(3, next)].map((l) => l.trim()).join(' ');
    assert.equal(reason, LOGIN_ROWS[0]!.Reason);
    assert.match(lines[next]!, /^2024-05-01T11:30:00Z\s+repository\s+Delete hello\/world@sha256:0123456789ab\s+reader\s+::1\s+Failed 403\s+denied$/);
  });

  it('keeps one line per event when the width is unbounded (output piped)', async () => {
    const { output } = await runLogs([], undefined, Number.POSITIVE_INFINITY);
    const lines = output.trimEnd().split('\n');
    assert.equal(lines.length, 5);
    assert.ok(lines[2]!.endsWith(LOGIN_ROWS[0]!.Reason));
  });

  it('puts the reason under the row when the terminal is too narrow for a column', async () => {
    const { output } = await runLogs([], undefined, 100);
    const lines = output.trimEnd().split('\n');
    assert.match(lines[0]!, /^TIME\s+CATEGORY\s+OPERATION\s+IDENTITY\s+IP\s+RESULT$/);
    assert.match(lines[1]!, /Succeeded 200$/);
    assert.equal(lines[2], '    AcrPull at the registry');
    assert.match(lines[3]!, /Failed 401$/);
    assert.deepEqual(
      lines.slice(4, 6).map((l) => l.length <= 100 && l.startsWith('    ')),
      [true, true],
    );
    assert.equal(
      lines
        .slice(4, 6)
        .map((l) => l.trim())
        .join(' '),
      LOGIN_ROWS[0]!.Reason,
    );
  });

  it('says when nothing matches', async () => {
    const { output } = await runLogs([], () => ({ value: [] }));
    assert.equal(output, 'No events match.\n');
  });

  it("prints the headers and the empty answer in the reader's language", async () => {
    const { output } = await runLogs([], undefined, 200, new Command(), 'pl');
    assert.match(output.split('\n')[0]!, /^CZAS\s+KATEGORIA\s+OPERACJA\s+TOŻSAMOŚĆ\s+ADRES IP\s+WYNIK\s+PRZYCZYNA$/);
    const empty = await runLogs([], () => ({ value: [] }), 200, new Command(), 'fr');
    assert.equal(empty.output, 'Aucun événement ne correspond.\n');
  });
});

describe('wharf logs: times and wrapping', () => {
  const cases: [string, string][] = [
    ['30s', '2024-05-01T11:59:30.000Z'],
    ['15m', '2024-05-01T11:45:00.000Z'],
    ['1.5h', '2024-05-01T10:30:00.000Z'],
    ['2d', '2024-04-29T12:00:00.000Z'],
    ['1w', '2024-04-24T12:00:00.000Z'],
    ['2024-04-01', '2024-04-01T00:00:00.000Z'],
    ['2024-04-01T10:00:00+02:00', '2024-04-01T08:00:00.000Z'],
  ];
  for (const [value, expected] of cases) it(`--since ${value}`, () => assert.equal(timeFrom('--since', value, NOW), expected));
  for (const value of ['1', 'May 1', '1y', '-1h', '']) {
    it(`refuses '${value}'`, () => assert.throws(() => timeFrom('--since', value, NOW), /--since expects/));
  }

  it('wraps at word boundaries and splits words longer than a line', () => {
    assert.deepEqual(wrap('one two three four', 9), ['one two', 'three', 'four']);
    assert.deepEqual(wrap('abcdefghijkl xy', 5), ['abcde', 'fghij', 'kl xy']);
    assert.deepEqual(wrap('', 5), []);
  });
});

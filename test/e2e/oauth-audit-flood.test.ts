/**
 * What unauthenticated clients can put in the audit trail, through the wire on a secure server:
 * a flood of 3,000 refused logins (from 127.0.0.2, so that the address throttle leaves the CLI's
 * own sign-ins from 127.0.0.1 alone), each with its own long user name, adds a bounded number of
 * rows (and bytes) to the metadata database while the rows still count every failure, in the
 * management API's loginEvents and in `wharf logs`; and a user name carrying terminal escape
 * codes is stored with its control characters escaped and printed by `wharf logs` (table and
 * tsv) without a single raw control character.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Agent } from 'undici';
import { request } from '../helpers/http.js';
import { eventually } from '../helpers/eventually.js';
import { tempDir } from '../helpers/tmp.js';
import { runWharfCli } from '../helpers/wharf-cli.js';
import { WharfAdmin } from '../helpers/wharf-admin.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

type Row = Record<string, unknown>;

const FLOOD = 3_000;
const CONCURRENCY = 50;
/** What the flood may add: a few dozen full rows and a few counting rows, not one per request. */
const MAX_FLOOD_ROWS = 150;
/** The unbounded trail added about 5 kB per refused login (15 MB for 3,000). */
const MAX_FLOOD_BYTES = 2 * 1024 * 1024;
/** ESC [31m … : a user name that turns an operator's terminal red, and a CSI (C1) and BEL too. */
const HOSTILE_USER = `evil\u001b[31mred\u009b2J\u0007-${randomBytes(3).toString('hex')}`;

describe('audit trail under a flood of refused logins', () => {
  let server: WharfServer;
  let admin: WharfAdmin;
  let service: string;
  let home: string;
  /** The attacker's connections: another loopback address. */
  let attacker: Agent;
  const agent = `wharf-flood-e2e/${randomBytes(4).toString('hex')}`;

  before(async () => {
    server = await startWharf({ secure: true });
    admin = new WharfAdmin(server);
    const challenge = (await server.request('/v2/')).headers['www-authenticate'] ?? '';
    service = /service="([^"]+)"/.exec(challenge)?.[1] ?? '';
    assert.ok(service, challenge);
    home = tempDir('audit-flood-home');
    const login = await runWharfCli(home, ['login', '--data', server.dataDir, '--server', server.baseUrl]);
    assert.equal(login.code, 0, login.stderr);
    // One connection per worker: an unbounded pool would open more than connections.maxPerAddress allows.
    attacker = new Agent({
      connections: CONCURRENCY,
      localAddress: '127.0.0.2',
      connect: { ca: readFileSync(server.caFile!, 'utf8') },
      keepAliveTimeout: 1000,
    });
  });
  after(async () => {
    await attacker?.close();
    await server?.stop();
  });

  function refusedLogin(user: string, userAgent = agent) {
    return request(`${server.baseUrl}/oauth2/token?service=${encodeURIComponent(service)}&scope=${encodeURIComponent('repository:flood/app:pull')}`, {
      headers: {
        authorization: `Basic ${Buffer.from(`${user}:not-the-password`).toString('base64')}`,
        'user-agent': userAgent,
      },
      dispatcher: attacker,
    });
  }

  async function failedLogins(query: Record<string, string> = {}): Promise<Row[]> {
    const params = new URLSearchParams({ failuresOnly: 'true', top: '10000', ...query }).toString();
    const res = await admin.call('GET', `${admin.registryId}/loginEvents?${params}`);
    assert.equal(res.status, 200, res.text());
    return res.json<{ value: Row[] }>().value;
  }

  /** Bytes of the metadata database, its WAL included. */
  function databaseBytes(): number {
    return readdirSync(server.dataDir)
      .filter((name) => name.startsWith('metadata.sqlite'))
      .reduce((sum, name) => sum + statSync(join(server.dataDir, name)).size, 0);
  }

  it('stores a user name with terminal escape codes escaped, and wharf logs prints no control character', async () => {
    const res = await refusedLogin(HOSTILE_USER, `${agent}-escape`);
    assert.equal(res.status, 401, res.text());
    const [row] = await eventually(async () => {
      const rows = await failedLogins({ correlationId: res.headers['x-ms-correlation-request-id'] ?? '' });
      assert.equal(rows.length, 1);
      return rows;
    });
    const identity = String(row!.Identity);
    assert.doesNotMatch(identity, /[\u0000-\u001f\u007f-\u009f]/, `stored identity ${JSON.stringify(identity)}`);
    assert.ok(identity.startsWith('evil\\u001b[31mred\\u009b2J\\u0007-'), `the escapes stay visible: ${JSON.stringify(identity)}`);

    for (const output of ['table', 'tsv']) {
      const logs = await runWharfCli(home, ['logs', '--failures', '--category', 'login', '--since', '10m', '-o', output]);
      assert.equal(logs.code, 0, logs.stderr);
      assert.ok(logs.stdout.includes('evil\\u001b[31mred'), `${output} shows the name, escaped:\n${logs.stdout}`);
      assert.doesNotMatch(logs.stdout, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/, `${output} output has a raw control character`);
    }
  });

  it('stores 3,000 refused logins with distinct long user names as a bounded number of rows that count them all', async () => {
    const bytesBefore = databaseBytes();
    const rowsBefore = (await failedLogins()).length;
    const longName = 'x'.repeat(4000);
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < FLOOD) {
        const i = next++;
        const res = await refusedLogin(`flood-${i}-${longName}`);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const refused = (statuses.get(401) ?? 0) + (statuses.get(429) ?? 0);
    assert.equal(refused, FLOOD, `every login is refused (401, or 429 once throttled): ${JSON.stringify([...statuses])}`);

    const flood = await eventually(async () => {
      const rows = (await failedLogins()).filter((row) => row.UserAgent === agent);
      assert.ok(
        rows.every((row) => row.CallerIpAddress === '127.0.0.2'),
        'the flood came from 127.0.0.2',
      );
      const counted = rows.reduce((sum, row) => sum + Number(row.Count), 0);
      assert.equal(counted, FLOOD, `the rows count every refused login (${rows.length} rows)`);
      return rows;
    }, 15_000);
    const rowsAdded = (await failedLogins()).length - rowsBefore;
    const bytesAdded = databaseBytes() - bytesBefore;
    process.stdout.write(`# flood of ${FLOOD} refused logins: +${rowsAdded} rows, +${bytesAdded} bytes of database\n`);
    assert.ok(rowsAdded <= MAX_FLOOD_ROWS, `${rowsAdded} rows for ${FLOOD} refused logins`);
    assert.ok(bytesAdded <= MAX_FLOOD_BYTES, `${bytesAdded} bytes for ${FLOOD} refused logins`);
    assert.ok(
      flood.some((row) => Number(row.Count) > 1),
      'one row counts many refused logins',
    );
    for (const row of flood) {
      assert.ok(String(row.Identity).length <= 256, `a stored identity is cut: ${String(row.Identity).length} characters`);
    }
  });

  it('wharf logs shows the coalesced failures with their count', async () => {
    const json = await runWharfCli(home, ['logs', '--failures', '--category', 'login', '--top', '10000', '-o', 'json']);
    assert.equal(json.code, 0, json.stderr);
    const rows = (JSON.parse(json.stdout) as Row[]).filter((row) => row.UserAgent === agent);
    assert.equal(
      rows.reduce((sum, row) => sum + Number(row.Count), 0),
      FLOOD,
    );
    const biggest = Math.max(...rows.map((row) => Number(row.Count)));

    const table = await runWharfCli(home, ['logs', '--failures', '--category', 'login', '--top', '10000']);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, new RegExp(`Failed 4(01|29) ×${biggest}\\b`), 'the table shows the count after the result');

    const tsv = await runWharfCli(home, ['logs', '--failures', '--category', 'login', '--top', '10000', '-o', 'tsv']);
    assert.equal(tsv.code, 0, tsv.stderr);
    const counts = tsv.stdout
      .trimEnd()
      .split('\n')
      .map((line) => Number(line.split('\t').at(-1)));
    assert.ok(counts.includes(biggest), 'tsv has the count in its last column');
  });
});

/**
 * What a newcomer trips on, through the real CLI and the wire: `wharf gc --dry-run` right after
 * a delete says what the grace period kept; an import from a plain-HTTP registry says to use
 * http://; -r/--registry works wherever -n names the registry; a closed stdout pipe ends a
 * command quietly; /metrics obeys the firewall on the main listener and moves to the operations
 * listener; network-rule prints tables; pretty logs; an old Wharf on newer data says so.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { Agent, request } from 'undici';
import { WHARF_CLI } from '../helpers/contract.js';
import { startDistribution } from '../helpers/distribution-peer.js';
import { eventually } from '../helpers/eventually.js';
import { putManifest, uniqueRepo, uploadImage, v2 } from '../helpers/registry-api.js';
import { tempDir } from '../helpers/tmp.js';
import { runWharfCli, type CliResult } from '../helpers/wharf-cli.js';
import { freePort, startWharf, type WharfServer } from '../helpers/wharf-server.js';

/** Imports refuse loopback sources by default; the plain-HTTP source here listens on loopback. */
const ALLOW_LOOPBACK = { import: { allowedSourceRanges: ['127.0.0.0/8'] } };
const FENCED = 'fencedreg';

function describeRun(args: string[], result: CliResult): string {
  return `wharf ${args.join(' ')} → exit ${result.code}\n--- stdout:\n${result.stdout}\n--- stderr:\n${result.stderr}`;
}

/** Runs the CLI with its stdout pipe already closed by the reader, as `| head` leaves it. */
function runWithClosedStdout(home: string, args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('WHARF_')) env[k] = v;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WHARF_CLI, ...args], { env: { ...env, WHARF_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
}

describe('what a newcomer trips on', () => {
  let server: WharfServer;
  let home: string;
  const agents: Agent[] = [];

  async function cli(args: string[], env?: Record<string, string>): Promise<CliResult> {
    return runWharfCli(home, args, { timeoutMs: 120_000, ...(env ? { env } : {}) });
  }
  async function ok(args: string[], env?: Record<string, string>): Promise<CliResult> {
    const result = await cli(args, env);
    assert.equal(result.code, 0, describeRun(args, result));
    return result;
  }
  async function fails(args: string[]): Promise<CliResult> {
    const result = await cli(args);
    assert.equal(result.code, 1, describeRun(args, result));
    return result;
  }
  /** A GET of the main listener from `localAddress` (the client address the firewall sees). */
  async function getFrom(path: string, localAddress: string) {
    const agent = new Agent({
      localAddress,
      connect: { ca: server.caFile ? (await import('node:fs')).readFileSync(server.caFile, 'utf8') : undefined },
      keepAliveTimeout: 1000,
    });
    agents.push(agent);
    const response = await request(`${server.baseUrl}${path}`, { dispatcher: agent });
    return { status: response.statusCode, text: await response.body.text() };
  }

  before(async () => {
    server = await startWharf({ config: ALLOW_LOOPBACK, args: ['--log-level', 'info'] });
    home = tempDir('wharf-home-newcomer');
    await ok(['login', '--data', server.dataDir, '--server', server.baseUrl]);
  });
  after(async () => {
    for (const agent of agents) await agent.close().catch(() => {});
    await server?.stop();
  });

  it('gc --dry-run right after a delete says the grace period kept the blobs, until when, and how to collect them now', async () => {
    const repo = uniqueRepo('gc-grace');
    const image = await uploadImage(server, repo, { layers: 1 });
    assert.equal((await putManifest(server, repo, 'v1', image.manifest)).status, 201);
    assert.equal((await server.request(v2(repo, `manifests/${image.digest}`), { method: 'DELETE' })).status, 202);

    const dry = await ok(['gc', '--dry-run']);
    assert.match(dry.stdout, /would delete 0 untagged manifests, \d+ unreferenced blob links?, 0 blobs/);
    const kept = /^(\d+) unreferenced blobs are younger than the 60-minute grace period and were kept; the last of them can be collected from (\S+)\.$/m.exec(
      dry.stdout,
    );
    assert.ok(kept, describeRun(['gc', '--dry-run'], dry));
    assert.ok(Number(kept[1]) >= 2, 'the layer and the config');
    const until = Date.parse(kept[2]!);
    assert.ok(until > Date.now() + 55 * 60_000 && until < Date.now() + 61 * 60_000, `until ${kept[2]} is about an hour from now`);
    assert.match(dry.stdout, /run it again with --grace-minutes 0/);

    const fr = await ok(['gc', '--dry-run', '--lang', 'fr']);
    assert.match(fr.stdout, /\d+ blobs non référencés datent de moins que le délai de grâce de 60 minutes/);
    assert.match(fr.stdout, /seraient supprimés 0 manifeste sans étiquette/);
    assert.match(fr.stdout, /relancez avec --grace-minutes 0/);
    // Polish has three plural forms: 0 takes "many", 2–4 "few", 5 and up (but 22–24…) "many" again.
    const pl = await ok(['gc', '--dry-run', '--lang', 'pl']);
    const n = Number(kept[1]);
    const few = n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14);
    assert.ok(
      pl.stdout.includes(few ? `${n} nieużywane obiekty blob są młodsze` : `${n} nieużywanych obiektów blob jest młodszych`),
      describeRun(['gc', '--dry-run', '--lang', 'pl'], pl),
    );
    assert.match(pl.stdout, /do usunięcia: 0 manifestów bez tagów, /);

    // What the message says works: -r names the registry, as -n does.
    const now = await ok(['gc', '-r', 'wharf', '--dry-run', '--grace-minutes', '0']);
    assert.match(now.stdout, /would delete 0 untagged manifests, \d+ unreferenced blob links?, ([2-9]|\d{2,}) blobs/);
    assert.doesNotMatch(now.stdout, /grace period/);
  });

  it('an import from a plain-HTTP registry says to give the source as http://, and that works', async () => {
    const peer = await startDistribution({ http: true });
    try {
      const image = await uploadImage(peer, 'lib/plain', { layers: 1 });
      assert.equal((await putManifest(peer, 'lib/plain', 'v1', image.manifest)).status, 201);

      const refused = await fails(['import', '--source', `${peer.host}/lib/plain:v1`, '--image', 'plain:v1']);
      assert.match(
        refused.stderr,
        new RegExp(`the source registry ${peer.host.replace(/\./g, '\\.')} answered in plain HTTP, not HTTPS \\(ERR_SSL_WRONG_VERSION_NUMBER\\)`),
      );
      assert.match(refused.stderr, new RegExp(`wharf import --source http://${peer.host.replace(/\./g, '\\.')}/REPOSITORY:TAG`));
      assert.doesNotMatch(refused.stderr, /ssl3_get_record|SSL routines/);

      const imported = await ok(['import', '--source', `http://${peer.host}/lib/plain:v1`, '--image', 'plain:v1']);
      assert.equal(imported.stdout.trim(), image.digest);
    } finally {
      await peer.stop();
    }
  });

  it('every command that takes a registry accepts -r/--registry, and -n where -n is the registry', async () => {
    const created = JSON.parse((await ok(['create', '-r', FENCED, '--sku', 'Premium'])).stdout);
    assert.equal(created.name, FENCED);
    assert.equal(JSON.parse((await ok(['show', '-r', FENCED])).stdout).name, FENCED);
    assert.match((await ok(['scrub', '-r', 'wharf', '--dry-run'])).stdout, /^wharf: checked \d+ blobs? \(/m);
    const twice = await fails(['gc', '-n', 'wharf', '-r', FENCED, '--dry-run']);
    assert.match(twice.stderr, /give the registry once: -n or -r/);
    // The other commands that took only -n for the registry (create, scrub and gc ran above).
    const commands = [['delete'], ['check-health'], ['check-pull'], ['registry-login']];
    const helps = await Promise.all(commands.map((command) => ok([...command, '--help'])));
    commands.forEach((command, i) => {
      const help = helps[i]!.stdout;
      assert.match(help, /-r, --registry </, `wharf ${command.join(' ')} takes -r/--registry`);
      if (/^\s+-n, --name <[^>]+>\s+(the )?(target )?registry/m.test(help)) {
        assert.match(help, /-r, --registry <[^>]+>\s+same as --name/, `wharf ${command.join(' ')}: -n is the registry, so -r is too`);
      }
    });
  });

  it('network-rule add, remove and list print the same table by default, JSON with -o json', async () => {
    const added = await ok(['network-rule', 'add', '-r', FENCED, '--ip-address', '127.0.0.2']);
    const listed = await ok(['network-rule', 'list', '-n', FENCED]);
    assert.equal(listed.stdout, added.stdout);
    assert.match(listed.stdout, /^Kind\s+Action\s+Value$/m);
    assert.match(listed.stdout, /^defaultAction\s+Allow$/m);
    assert.match(listed.stdout, /^ipRule\s+Allow\s+127\.0\.0\.2$/m);
    const json = JSON.parse((await ok(['network-rule', 'list', '-n', FENCED, '-o', 'json'])).stdout);
    assert.deepEqual(json.ipRules, [{ action: 'Allow', value: '127.0.0.2' }]);
    assert.match((await ok(['network-rule', 'list', '-n', FENCED, '-o', 'tsv'])).stdout, /^ipRule\t+Allow\t127\.0\.0\.2$/m);
  });

  it('/metrics on the main listener answers only callers every registry firewall allows', async () => {
    assert.equal((await getFrom('/metrics', '127.0.0.1')).status, 200);
    await ok(['update', '-n', FENCED, '--default-action', 'Deny', '--force']);
    assert.match((await ok(['network-rule', 'list', '-n', FENCED])).stdout, /^defaultAction\s+Deny$/m);
    const refused = await eventually(async () => {
      const answer = await getFrom('/metrics', '127.0.0.1');
      assert.equal(answer.status, 403);
      return answer;
    });
    assert.equal(JSON.parse(refused.text).errors[0].code, 'DENIED');
    assert.match(JSON.parse(refused.text).errors[0].message, /client with IP '127\.0\.0\.1' is not allowed access/);
    const allowed = await getFrom('/metrics', '127.0.0.2');
    assert.equal(allowed.status, 200);
    assert.match(allowed.text, /^wharf_http_requests_total\{/m);
    // Liveness and readiness stay open: probes come from wherever the orchestrator runs.
    assert.equal((await getFrom('/readyz', '127.0.0.1')).status, 200);
  });

  it('a command whose reader closed the pipe (| head) ends quietly, without an EPIPE stack trace', async () => {
    for (const args of [['az-setup'], ['network-rule', 'list', '-n', FENCED]]) {
      const result = await runWithClosedStdout(home, args);
      assert.equal(result.signal, null, `wharf ${args.join(' ')}`);
      assert.equal(result.code, 0, `wharf ${args.join(' ')}: ${result.stderr}`);
      assert.doesNotMatch(result.stderr, /EPIPE|at .*\.js:\d+|Error/, `wharf ${args.join(' ')}`);
    }
  });

  it('logs are JSON lines when stdout is not a terminal', () => {
    const lines = server
      .stdout()
      .split('\n')
      .filter((line) => line.startsWith('{'));
    assert.ok(
      lines.some((line) => JSON.parse(line).msg === 'request'),
      server.stdout().slice(0, 2000),
    );
  });

  describe('an operations listener, pretty logs, and data from a newer Wharf', () => {
    let ops: WharfServer;
    let opsPort: number;

    before(async () => {
      opsPort = await freePort();
      ops = await startWharf({ http: true, args: ['--ops-listen', `127.0.0.1:${opsPort}`, '--log-format', 'pretty', '--log-level', 'info'] });
    });
    after(async () => {
      await ops?.stop().catch(() => {});
    });

    it('serves /metrics, /healthz and /readyz on the operations listener, and no /metrics on the main one', async () => {
      assert.equal((await ops.request('/v2/')).status, 200);
      const metrics = await request(`http://127.0.0.1:${opsPort}/metrics`);
      assert.equal(metrics.statusCode, 200);
      assert.match(String(metrics.headers['content-type']), /^text\/plain/);
      assert.match(await metrics.body.text(), /^wharf_http_requests_total\{method="GET",route="[^"]+",status="200"\} \d+$/m);
      for (const path of ['/healthz', '/readyz']) {
        const probe = await request(`http://127.0.0.1:${opsPort}${path}`);
        assert.equal(probe.statusCode, 200, path);
        await probe.body.dump();
      }
      const registryRoute = await request(`http://127.0.0.1:${opsPort}/v2/`);
      assert.equal(registryRoute.statusCode, 404, 'only the operations endpoints');
      await registryRoute.body.dump();
      assert.equal((await ops.request('/metrics')).status, 404);
      assert.equal((await ops.request('/readyz')).status, 200);
    });

    it('writes readable log lines with --log-format pretty', () => {
      const out = ops.stdout();
      assert.match(out, /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] INFO: operations listener: \/metrics, \/healthz and \/readyz$/m, out.slice(0, 2000));
      assert.doesNotMatch(out, /^\{"level"/m);
    });

    it('an older Wharf on data a newer one upgraded refuses to start, naming the version', async () => {
      await ops.stop();
      const path = join(ops.dataDir, 'metadata.sqlite');
      const db = new SQLite(path);
      try {
        const recorded = db.prepare('select wharf_version from wharf_migration_versions where name = ?').get('0007_migration_versions') as
          { wharf_version: string } | undefined;
        assert.equal(recorded?.wharf_version, '0.1.0', 'this Wharf recorded the migration it applied');
        db.prepare('insert into kysely_migration (name, timestamp) values (?, ?)').run('0100_from_the_future', new Date().toISOString());
        db.prepare('insert into wharf_migration_versions (name, wharf_version, applied_at) values (?, ?, ?)').run(
          '0100_from_the_future',
          '2.3.0',
          new Date().toISOString(),
        );
      } finally {
        db.close();
      }
      const serve = ['serve', '--data', ops.dataDir, '--http', '--port', String(await freePort()), '--log-level', 'warn'];
      const refused = await cli(serve);
      assert.equal(refused.code, 1, describeRun(serve, refused));
      assert.match(
        refused.stderr,
        /This data was upgraded by a newer Wharf \(version 2\.3\.0\): its schema has migrations this Wharf \(0\.1\.0\) does not know \(0100_from_the_future\)\. Run Wharf 2\.3\.0 or later on it/,
      );
      assert.doesNotMatch(refused.stderr, /corrupted migrations/);
      const pl = await cli(serve, { LANG: 'pl_PL.UTF-8' });
      assert.match(pl.stderr, /Te dane zostały zaktualizowane przez nowszy Wharf \(wersja 2\.3\.0\)/);

      // A newer Wharf that predates the record still gets named as newer, not as corruption.
      const unrecorded = new SQLite(path);
      unrecorded.prepare('delete from wharf_migration_versions where name = ?').run('0100_from_the_future');
      unrecorded.close();
      const unknown = await cli(serve);
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /This data was upgraded by a newer Wharf \(a version that did not record itself\)/);
    });
  });
});

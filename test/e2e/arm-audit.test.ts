/**
 * The audit trail through the wire, on a secure server: refused and accepted logins at the
 * token server, a push and a pull with an access token, a push the token does not allow; each
 * found through the management API's /loginEvents and /repositoryEvents (signed in as the
 * bootstrap owner) with ACR's columns and the decision's reason, by the response's
 * x-ms-correlation-request-id too; `wharf logs` over the same API; and not one of the secrets
 * the test used in the server's logs or in the events.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { LogRow } from '../../src/cli/logs.js';
import { DEFAULT_REGISTRY, MEDIA, WHARF_CLI } from '../helpers/contract.js';
import type { HttpResponse, RequestOptions } from '../helpers/http.js';
import { putManifest, uniqueRepo, uploadImage } from '../helpers/registry-api.js';
import { tempDir } from '../helpers/tmp.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

const execFileAsync = promisify(execFile);

/** `<data>/private/bootstrap-owner.json`, written on a fresh secure server's first start. */
interface BootstrapOwner {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  subscriptionId: string;
  resourceGroup: string;
}

type Row = Record<string, unknown>;
type Category = 'loginEvents' | 'repositoryEvents';

const USER_AGENT = `wharf-audit-e2e/${randomBytes(3).toString('hex')}`;
const API_VERSION = '2023-07-01';

describe('audit trail: login and repository events through the management API', () => {
  let server: WharfServer;
  let owner: BootstrapOwner;
  let armToken: string;
  let registryId: string;
  /** The login server, as the challenge names it (`service`). */
  let service: string;
  const started = new Date(Date.now() - 1000).toISOString();
  /** Every secret this file sends or receives; none may reach the logs or the events. */
  const secrets: string[] = [];
  const repository = uniqueRepo('audit');
  /** Correlation ids of responses, by what the request was. */
  const ids: Record<string, string> = {};

  before(async () => {
    server = await startWharf({ secure: true, args: ['--log-level', 'debug'] });
    owner = JSON.parse(readFileSync(join(server.dataDir, 'private', 'bootstrap-owner.json'), 'utf8')) as BootstrapOwner;
    secrets.push(owner.clientSecret);
    armToken = await entraToken(server, owner, 'https://management.azure.com/.default');
    secrets.push(armToken);
    registryId = `/subscriptions/${owner.subscriptionId}/resourceGroups/${owner.resourceGroup}/providers/Microsoft.ContainerRegistry/registries/${DEFAULT_REGISTRY}`;
    const challenge = (await server.request('/v2/')).headers['www-authenticate'] ?? '';
    service = /service="([^"]+)"/.exec(challenge)?.[1] ?? '';
    assert.ok(service, `the challenge names the service: ${challenge}`);
  });
  after(async () => server?.stop());

  function tokenUrl(scope: string, extra = ''): string {
    return `/oauth2/token?service=${encodeURIComponent(service)}&scope=${encodeURIComponent(scope)}${extra}`;
  }

  function basic(user: string, password: string): Record<string, string> {
    return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`, 'user-agent': USER_AGENT };
  }

  async function events(category: Category, query: Record<string, string>): Promise<Row[]> {
    const params = new URLSearchParams({ 'api-version': API_VERSION, ...query });
    const res = await server.request(`${registryId}/${category}?${params}`, { headers: { authorization: `Bearer ${armToken}` } });
    assert.equal(res.status, 200, `GET ${category}: ${res.status} ${res.text()}`);
    const value = res.json<{ value?: Row[] }>().value;
    assert.ok(Array.isArray(value), res.text());
    return value;
  }

  /** Events are written in batches a moment after the response: poll until they are there. */
  async function eventually(category: Category, query: Record<string, string>, count = 1): Promise<Row[]> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const rows = await events(category, query);
      if (rows.length >= count || Date.now() > deadline) return rows;
      await sleep(100);
    }
  }

  function correlationOf(res: HttpResponse): string {
    const id = res.headers['x-ms-correlation-request-id'];
    assert.match(id ?? '', /^[0-9a-f-]{36}$/, 'every response carries x-ms-correlation-request-id');
    return id!;
  }

  async function registryToken(scope: string): Promise<string> {
    const res = await server.request(tokenUrl(scope, '&offline_token=true'), { headers: basic(owner.clientId, owner.clientSecret) });
    assert.equal(res.status, 200, res.text());
    const body = res.json<{ access_token: string; refresh_token?: string }>();
    secrets.push(body.access_token);
    if (body.refresh_token) secrets.push(body.refresh_token);
    return body.access_token;
  }

  /** This server, with a Bearer token on every request (for the registry-api helpers). */
  function withToken(token: string): WharfServer {
    return {
      ...server,
      request: (path: string, opts: RequestOptions = {}) =>
        server.request(path, { ...opts, headers: { authorization: `Bearer ${token}`, 'user-agent': USER_AGENT, ...opts.headers } }),
    };
  }

  function assertCommonColumns(row: Row, expected: { correlationId: string; status: number }): void {
    assert.equal(row.CorrelationId, expected.correlationId);
    assert.equal(row.ResultDescription, String(expected.status));
    assert.equal(row.ResultType, expected.status < 400 ? 'Succeeded' : 'Failed');
    assert.equal(row.CallerIpAddress, '127.0.0.1');
    assert.equal(row.LoginServer, service);
    assert.equal(row.UserAgent, USER_AGENT);
    assert.match(String(row.DurationMs), /^\d+$/);
    const time = String(row.TimeGenerated);
    assert.ok(time >= started && time <= new Date().toISOString(), `TimeGenerated ${time} is during the test`);
    assert.equal(typeof row.Reason, 'string');
    assert.ok((row.Reason as string).length > 0, 'every event says why');
  }

  it('records a refused login (wrong secret) with the identity that tried and the reason', async () => {
    const wrong = `wrong-${randomBytes(12).toString('hex')}`;
    secrets.push(wrong);
    const res = await server.request(tokenUrl(`repository:${repository}:pull`), { headers: basic(owner.clientId, wrong) });
    assert.equal(res.status, 401);
    ids.refusedLogin = correlationOf(res);
    const rows = await eventually('loginEvents', { correlationId: ids.refusedLogin });
    assert.equal(rows.length, 1, JSON.stringify(rows));
    const row = rows[0]!;
    assertCommonColumns(row, { correlationId: ids.refusedLogin, status: 401 });
    assert.equal(row.Identity, owner.clientId);
    assert.equal(row.OperationName, 'Login');
    assert.match(String(row.Reason), /secret|credential|password/i);
  });

  it('records a login with an unknown identity', async () => {
    const stranger = `stranger-${randomBytes(4).toString('hex')}`;
    const password = `pw-${randomBytes(12).toString('hex')}`;
    secrets.push(password);
    const res = await server.request(tokenUrl(`repository:${repository}:pull`), { headers: basic(stranger, password) });
    assert.equal(res.status, 401);
    ids.unknownLogin = correlationOf(res);
    const [row] = await eventually('loginEvents', { correlationId: ids.unknownLogin });
    assert.ok(row);
    assertCommonColumns(row, { correlationId: ids.unknownLogin, status: 401 });
    assert.equal(row.Identity, stranger);
  });

  it('records a successful login with the JWT id of the token it issued and the tenant', async () => {
    const res = await server.request(tokenUrl(`repository:${repository}:pull`), { headers: basic(owner.clientId, owner.clientSecret) });
    assert.equal(res.status, 200, res.text());
    const token = res.json<{ access_token: string }>().access_token;
    secrets.push(token);
    ids.login = correlationOf(res);
    const [row] = await eventually('loginEvents', { correlationId: ids.login });
    assert.ok(row);
    assertCommonColumns(row, { correlationId: ids.login, status: 200 });
    assert.equal(row.Identity, owner.clientId);
    assert.equal(row.JwtId, jwtClaims(token).jti);
    assert.equal(row.TenantId, owner.tenantId);
  });

  it('records a push and a pull with an access token as repository events', async () => {
    const token = await registryToken(`repository:${repository}:push,pull`);
    const client = withToken(token);
    const image = await uploadImage(client, repository);
    const push = await putManifest(client, repository, 'v1', image.manifest);
    assert.equal(push.status, 201, push.text());
    ids.push = correlationOf(push);
    const pull = await client.request(`/v2/${repository}/manifests/v1`, { headers: { accept: MEDIA.ociManifest } });
    assert.equal(pull.status, 200, pull.text());
    ids.pull = correlationOf(pull);

    const [pushed] = await eventually('repositoryEvents', { correlationId: ids.push });
    assert.ok(pushed, 'the push is a repository event');
    assertCommonColumns(pushed, { correlationId: ids.push, status: 201 });
    assert.deepEqual([pushed.OperationName, pushed.Repository, pushed.Tag, pushed.Identity], ['Push', repository, 'v1', owner.clientId]);
    assert.equal(pushed.Digest, image.digest);

    const [pulled] = await eventually('repositoryEvents', { correlationId: ids.pull });
    assert.ok(pulled, 'the pull is a repository event');
    assertCommonColumns(pulled, { correlationId: ids.pull, status: 200 });
    assert.deepEqual([pulled.OperationName, pulled.Repository, pulled.Tag, pulled.Identity], ['Pull', repository, 'v1', owner.clientId]);
  });

  it('records a push the token does not allow as a failed repository event naming the missing action', async () => {
    const token = await registryToken(`repository:${repository}:pull`);
    const res = await putManifest(withToken(token), repository, 'v2', Buffer.from('{}'));
    assert.equal(res.status, 401, res.text());
    ids.refusedPush = correlationOf(res);
    const [row] = await eventually('repositoryEvents', { correlationId: ids.refusedPush });
    assert.ok(row, 'the refused push is a repository event');
    assertCommonColumns(row, { correlationId: ids.refusedPush, status: 401 });
    assert.equal(row.OperationName, 'Push');
    assert.equal(row.Repository, repository);
    assert.match(String(row.Reason), /push/);
  });

  it('filters by failures, identity, address, operation, time range and count', async () => {
    const failures = await events('loginEvents', { failuresOnly: 'true' });
    assert.ok(failures.length >= 2);
    assert.ok(
      failures.every((r) => r.ResultType === 'Failed'),
      'failuresOnly returns failures only',
    );
    assert.ok(failures.some((r) => r.CorrelationId === ids.refusedLogin));
    assert.ok(!failures.some((r) => r.CorrelationId === ids.login));

    const mine = await events('loginEvents', { identity: owner.clientId });
    assert.ok(mine.length >= 2 && mine.every((r) => r.Identity === owner.clientId));
    assert.ok(!mine.some((r) => r.CorrelationId === ids.unknownLogin));

    assert.ok((await events('loginEvents', { callerIpAddress: '127.0.0.1' })).length >= 3);
    assert.deepEqual(await events('loginEvents', { callerIpAddress: '10.9.9.9' }), []);

    const pulls = await events('repositoryEvents', { operationName: 'Pull' });
    assert.ok(pulls.length >= 1 && pulls.every((r) => String(r.OperationName).includes('Pull')));

    assert.deepEqual(await events('loginEvents', { from: new Date(Date.now() + 60_000).toISOString() }), []);
    assert.deepEqual(await events('loginEvents', { to: started }), []);

    const newest = await events('loginEvents', { top: '1' });
    assert.equal(newest.length, 1);
    const all = await events('loginEvents', {});
    assert.ok(all.length >= 3);
    const times = all.map((r) => String(r.TimeGenerated));
    assert.deepEqual(times, [...times].sort().reverse(), 'newest first');
  });

  it('answers a bad query parameter with an ARM error, not a 500', async () => {
    const res = await server.request(`${registryId}/loginEvents?api-version=${API_VERSION}&top=lots`, {
      headers: { authorization: `Bearer ${armToken}` },
    });
    assert.equal(res.status, 400, res.text());
    const body = res.json<{ error?: { code?: string; message?: string } }>();
    assert.match(body.error?.message ?? '', /top/);
  });

  it('refuses the audit query without a management token', async () => {
    const res = await server.request(`${registryId}/loginEvents?api-version=${API_VERSION}`);
    assert.equal(res.status, 401, res.text());
    assert.ok(res.json<{ error?: { code?: string } }>().error?.code);
  });

  it('wharf logs shows the events through the same API', async () => {
    const env = { ...process.env, WHARF_HOME: tempDir('audit-cli-home') };
    const wharf = async (...args: string[]): Promise<string> => {
      const { stdout } = await execFileAsync(process.execPath, [WHARF_CLI, ...args], { env, timeout: 30_000 });
      return stdout;
    };
    assert.match(await wharf('login', '--data', server.dataDir, '--server', server.baseUrl), /Logged in/);

    const json = JSON.parse(await wharf('logs', '--failures', '--since', '10m', '-o', 'json')) as LogRow[];
    assert.ok(json.some((r) => r.CorrelationId === ids.refusedLogin && r.Category === 'ContainerRegistryLoginEvents'));
    assert.ok(json.some((r) => r.CorrelationId === ids.refusedPush && r.Category === 'ContainerRegistryRepositoryEvents'));
    assert.ok(json.every((r) => r.ResultType === 'Failed'));

    const table = await wharf('logs', '--correlation-id', ids.pull!);
    const lines = table.trimEnd().split('\n');
    assert.equal(lines.length, 2, table);
    assert.match(lines[0]!, /^TIME\s+CATEGORY\s+OPERATION\s+IDENTITY\s+IP\s+RESULT/);
    assert.match(lines[1]!, new RegExp(`repository\\s+Pull ${repository}:v1\\s+${owner.clientId}\\s+127\\.0\\.0\\.1\\s+Succeeded 200`));

    const rows = JSON.parse(await wharf('logs', '--category', 'login', '--identity', owner.clientId, '--top', '2', '-o', 'json')) as LogRow[];
    assert.equal(rows.length, 2);
    assert.ok(rows.every((r) => r.Identity === owner.clientId && r.Category === 'ContainerRegistryLoginEvents'));

    await assert.rejects(wharf('logs', '--since', 'yesterday'), (error: { code?: number; stderr?: string }) => {
      assert.equal(error.code, 1);
      assert.match(error.stderr ?? '', /--since expects a duration/);
      return true;
    });
  });

  it('has none of the secrets used in the server log or in the events', async () => {
    assert.ok(secrets.length >= 6, `collected ${secrets.length} secrets`);
    const logs = server.logs();
    assert.ok(logs.length > 0, 'the server logged something at debug level');
    const everything = JSON.stringify([...(await events('loginEvents', { top: '10000' })), ...(await events('repositoryEvents', { top: '10000' }))]);
    for (const secret of secrets) {
      assert.ok(!logs.includes(secret), `a secret (${secret.slice(0, 4)}…) appears in the server log`);
      assert.ok(!everything.includes(secret), `a secret (${secret.slice(0, 4)}…) appears in the audit events`);
      // A token's signature alone is as good as the token.
      const signature = secret.split('.')[2];
      if (signature) assert.ok(!logs.includes(signature), 'a token signature appears in the server log');
    }
  });
});

/** A client-credentials token from the identity plane, as ClientSecretCredential gets one. */
async function entraToken(server: WharfServer, owner: BootstrapOwner, scope: string): Promise<string> {
  const res = await server.request(`/${owner.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: owner.clientId, client_secret: owner.clientSecret, scope }).toString(),
  });
  assert.equal(res.status, 200, `identity plane token: ${res.status} ${res.text()}`);
  return res.json<{ access_token: string }>().access_token;
}

function jwtClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

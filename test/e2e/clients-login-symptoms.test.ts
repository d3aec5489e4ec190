/**
 * Every failure in the login troubleshooting guide (docs/en/troubleshoot-login.md, which follows
 * ACR's "Troubleshoot registry login"), reproduced against a real Wharf with access control on, through real clients
 * (skopeo, podman, the docker CLI), asserting the client's own error text and the audit row
 * that explains it. The successes next to them show the same credentials working when right.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { ClientSandbox, ok, type ClientResult } from '../helpers/clients.js';
import { agentFor, request } from '../helpers/http.js';
import { buildImageLayout } from '../helpers/oci-layout.js';
import { tempDir } from '../helpers/tmp.js';
import { identityToken, ROLE, WharfAdmin } from '../helpers/wharf-admin.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

const NULL_GUID = '00000000-0000-0000-0000-000000000000';
/** The default registry's login server (`localhost:<port>`), set once the server runs. */
let LOGIN_SERVER = '';

let w: WharfServer;
let admin: WharfAdmin;
let adminPassword: string;
const image = buildImageLayout({ layers: 1, layerSize: 4096 });
const secrets: string[] = [];

function tls(side: 'src' | 'dest' | 'single'): string[] {
  const p = side === 'single' ? '' : `${side}-`;
  return [`--${p}tls-verify=true`, `--${p}cert-dir`, w.caDir!];
}

async function inspect(clients: ClientSandbox, repoTag: string, creds: string | null): Promise<ClientResult> {
  return clients.skopeo(['inspect', ...tls('single'), ...(creds === null ? [] : ['--creds', creds]), `docker://${w.host}/${repoTag}`]);
}

async function push(clients: ClientSandbox, repoTag: string, creds: string): Promise<ClientResult> {
  return clients.skopeo(['copy', ...tls('dest'), '--dest-creds', creds, image.ref, `docker://${w.host}/${repoTag}`]);
}

function failed(r: ClientResult, text: RegExp): void {
  assert.notEqual(r.code, 0, `expected ${r.command} to fail\n${r.stdout}`);
  assert.match(r.stderr, text, r.stderr);
}

interface Row {
  Identity: string;
  OperationName: string;
  ResultType: string;
  ResultDescription: string;
  Reason: string;
  Repository?: string;
  CorrelationId: string;
}

/** The audit rows matching `filter` (rows are written in batches, so poll briefly). */
async function rows(category: 'loginEvents' | 'repositoryEvents', filter: Record<string, string>, match: (r: Row) => boolean): Promise<Row[]> {
  const query = new URLSearchParams(filter).toString();
  let seen: Row[] = [];
  for (let i = 0; i < 30; i++) {
    seen = (await admin.ok<{ value: Row[] }>('GET', `${admin.registryId}/${category}?${query}`)).value;
    const found = seen.filter(match);
    if (found.length > 0) return found;
    await sleep(200);
  }
  const brief = seen.slice(0, 5).map((r) => `${r.OperationName} ${r.Identity} ${r.ResultDescription} ${r.Reason}`);
  const auditLog = w
    .logs()
    .split('\n')
    .filter((l) => /audit/i.test(l))
    .slice(-5)
    .join('\n');
  throw new Error(`no ${category} row matching ${query} and the test's condition; newest rows:\n${brief.join('\n')}\naudit log lines:\n${auditLog}`);
}

before(async () => {
  const config = join(tempDir('config'), 'wharf.yaml');
  // Short-lived refresh tokens, so that expiry can be watched within a test.
  writeFileSync(config, 'auth:\n  refreshTokenMinutes: 0.1\n');
  w = await startWharf({ secure: true, args: ['--config', config, '--log-level', 'debug'] });
  LOGIN_SERVER = `localhost:${w.port}`;
  admin = new WharfAdmin(w);
  adminPassword = await admin.enableAdmin();
  secrets.push(adminPassword, admin.owner.clientSecret);
  ok(await push(new ClientSandbox(), 'seed/app:v1', `wharf:${adminPassword}`));
});
after(async () => {
  await w?.stop();
});

describe('secure by default', () => {
  test('a fresh server says access control is on and where the first owner credential is', () => {
    assert.match(w.stdout(), /Access control is on: no anonymous access/);
    assert.match(w.stdout(), new RegExp(`${w.dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/private/bootstrap-owner\\.json`));
    assert.match(w.stdout(), /wharf login --data /);
    assert.doesNotMatch(w.stdout(), new RegExp(admin.owner.clientSecret), 'the secret itself is not printed');
  });
});

describe('the challenge', () => {
  test('GET /v2/ asks for a Bearer token from the login server, as ACR does', async () => {
    const res = await w.request('/v2/');
    assert.equal(res.status, 401);
    assert.equal(res.headers['www-authenticate'], `Bearer realm="https://${w.host}/oauth2/token",service="${LOGIN_SERVER}"`);
    assert.equal(res.json().errors[0].code, 'UNAUTHORIZED');
    const manifest = await w.request('/v2/seed%2Fapp/manifests/v1');
    assert.match(manifest.headers['www-authenticate']!, /,scope="repository:seed\/app:pull"$/);
  });
});

describe('seed: the registry does not exist or its name is wrong', () => {
  test('docker login to a misspelt login server fails to resolve it', async () => {
    const r = await new ClientSandbox().docker(['login', `wharff.localhost:${w.port}`, '-u', 'wharf', '-p', adminPassword]);
    failed(r, /no such host/);
  });

  test('a misspelt registry name reaching Wharf is answered with the name it does not know', async () => {
    const res = await request(`${w.baseUrl}/v2/`, {
      headers: { host: `wharff.localhost:${w.port}` },
      dispatcher: agentFor(readFileSync(w.caFile!, 'utf8'), { anyName: true }),
    });
    assert.equal(res.status, 404);
    assert.match(res.json().errors[0].message, /no registry is served at 'wharff\.localhost/);
  });
});

describe('seed: the credentials are not valid', () => {
  test('skopeo with a wrong admin password: invalid username/password, and the login row says why', async () => {
    const r = await inspect(new ClientSandbox(), 'seed/app:v1', 'wharf:not-the-password');
    failed(r, /invalid username\/password: unauthorized: authentication required, visit https:\/\/aka\.ms\/acr\/authorization/);
    const [row] = await rows('loginEvents', { failuresOnly: 'true', identity: 'wharf' }, (x) => /wrong password/.test(x.Reason));
    assert.equal(row!.ResultType, 'Failed');
    assert.equal(row!.ResultDescription, '401');
  });

  test('podman login with a wrong password fails; with the right one it succeeds', async () => {
    const clients = new ClientSandbox();
    const bad = await clients.podman(['login', '--cert-dir', w.caDir!, '-u', 'wharf', '-p', 'wrong', w.host]);
    failed(bad, /invalid username\/password/);
    const good = ok(await clients.podman(['login', '--cert-dir', w.caDir!, '-u', 'wharf', '-p', adminPassword, w.host]));
    assert.match(good.stdout, /Login Succeeded/);
  });

  test('docker login (CLI without an engine) succeeds with the admin user and fails with a wrong password', async () => {
    const clients = new ClientSandbox();
    const good = ok(await clients.docker(['login', w.host, '-u', 'wharf', '-p', adminPassword]));
    assert.match(good.stdout, /Login Succeeded/);
    const bad = await clients.docker(['login', w.host, '-u', 'wharf', '-p', 'wrong-password']);
    assert.notEqual(bad.code, 0);
    await rows('loginEvents', { failuresOnly: 'true', identity: 'wharf' }, (x) => /wrong password/.test(x.Reason));
  });

  test('a service principal application id Wharf does not know: "Application not registered with AAD"', async () => {
    const r = await inspect(new ClientSandbox(), 'seed/app:v1', '11111111-2222-3333-4444-555555555555:whatever');
    failed(r, /Application not registered with AAD/);
    await rows('loginEvents', { failuresOnly: 'true', identity: '11111111-2222-3333-4444-555555555555' }, (x) => /700016|no service principal/.test(x.Reason));
  });

  test('an ACR token used with a user name other than the null GUID is refused, with the hint', async () => {
    const sp = await admin.createServicePrincipal('expose-token-user');
    secrets.push(sp.secret);
    await admin.assignRole(sp.objectId, ROLE.AcrPull);
    const refresh = await exchange(sp);
    const r = await inspect(new ClientSandbox(), 'seed/app:v1', `${sp.appId}:${refresh}`);
    failed(r, /invalid username\/password/);
    await rows('loginEvents', { failuresOnly: 'true', identity: sp.appId }, (x) => /00000000-0000-0000-0000-000000000000/.test(x.Reason));
    // The same refresh token with the null GUID works (az acr login --expose-token).
    ok(await inspect(new ClientSandbox(), 'seed/app:v1', `${NULL_GUID}:${refresh}`));
  });
});

/** az acr login --expose-token: an Entra token exchanged for an ACR refresh token. */
async function exchange(sp: { appId: string; secret: string }): Promise<string> {
  const aad = await identityToken(w, { tenantId: admin.owner.tenantId, clientId: sp.appId, clientSecret: sp.secret });
  const res = await w.request('/oauth2/exchange', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'access_token', service: LOGIN_SERVER, tenant: admin.owner.tenantId, access_token: aad }).toString(),
  });
  assert.equal(res.status, 200, res.text());
  const refresh = res.json<{ refresh_token: string }>().refresh_token;
  secrets.push(refresh);
  return refresh;
}

describe('seed: the credentials are not authorized for the operation', () => {
  test('an AcrPull service principal can pull but not push; the push is refused naming the missing action', async () => {
    const sp = await admin.createServicePrincipal('pull-only');
    secrets.push(sp.secret);
    await admin.assignRole(sp.objectId, ROLE.AcrPull);
    ok(await inspect(new ClientSandbox(), 'seed/app:v1', `${sp.appId}:${sp.secret}`));
    const r = await push(new ClientSandbox(), 'seed/app:v2', `${sp.appId}:${sp.secret}`);
    failed(
      r,
      /unauthorized: authentication required, visit https:\/\/aka\.ms\/acr\/authorization for more information\. .*may not push on repository 'seed\/app'/,
    );
    const [login] = await rows('loginEvents', { identity: sp.appId }, (x) => /granted repository:seed\/app:pull/.test(x.Reason));
    assert.match(login!.Reason, /role AcrPull at the registry/);
    const [denied] = await rows('repositoryEvents', { failuresOnly: 'true', identity: sp.appId }, (x) => x.OperationName === 'Push');
    assert.equal(denied!.Repository, 'seed/app');
    assert.match(denied!.Reason, /may not push/);
  });

  test('a service principal without any role gets an empty token and cannot pull', async () => {
    const sp = await admin.createServicePrincipal('no-role');
    secrets.push(sp.secret);
    const r = await inspect(new ClientSandbox(), 'seed/app:v1', `${sp.appId}:${sp.secret}`);
    failed(r, /unauthorized: authentication required/);
    await rows('loginEvents', { identity: sp.appId }, (x) => /no grants/.test(x.Reason));
  });

  test('an AcrPush service principal pushes, through docker-style token flow', async () => {
    const sp = await admin.createServicePrincipal('pusher');
    secrets.push(sp.secret);
    await admin.assignRole(sp.objectId, ROLE.AcrPush);
    ok(await push(new ClientSandbox(), 'seed/pushed:v1', `${sp.appId}:${sp.secret}`));
    const [row] = await rows('repositoryEvents', { identity: sp.appId }, (x) => x.OperationName === 'Push' && x.ResultType === 'Succeeded');
    assert.equal(row!.Repository, 'seed/pushed');
  });

  test('a repository-scoped token reaches only its repository', async () => {
    const password = await admin.createToken('seedreader', ['repositories/seed/app/content/read', 'repositories/seed/app/metadata/read']);
    secrets.push(password);
    ok(await inspect(new ClientSandbox(), 'seed/app:v1', `seedreader:${password}`));
    failed(await inspect(new ClientSandbox(), 'seed/pushed:v1', `seedreader:${password}`), /unauthorized: authentication required/);
    failed(await push(new ClientSandbox(), 'seed/app:v3', `seedreader:${password}`), /may not push/);
  });
});

describe('seed: the credentials have expired', () => {
  test('an expired service principal secret: AADSTS7000222 reaches the client and the log', async () => {
    const soon = new Date(Date.now() + 2000).toISOString();
    const sp = await admin.createServicePrincipal('expiring', soon);
    secrets.push(sp.secret);
    await admin.assignRole(sp.objectId, ROLE.AcrPull);
    ok(await inspect(new ClientSandbox(), 'seed/app:v1', `${sp.appId}:${sp.secret}`));
    await sleep(2500);
    const r = await inspect(new ClientSandbox(), 'seed/app:v1', `${sp.appId}:${sp.secret}`);
    failed(r, /AADSTS7000222/);
    await rows('loginEvents', { failuresOnly: 'true', identity: sp.appId }, (x) => /7000222|expired/.test(x.Reason));
  });

  test('a disabled token is refused, and works again once enabled', async () => {
    const password = await admin.createToken('seeddisabled', ['repositories/seed/app/content/read']);
    secrets.push(password);
    await admin.setTokenStatus('seeddisabled', 'disabled');
    failed(await inspect(new ClientSandbox(), 'seed/app:v1', `seeddisabled:${password}`), /the token 'seeddisabled' is disabled/i);
    await rows('loginEvents', { failuresOnly: 'true', identity: 'seeddisabled' }, (x) => /disabled/.test(x.Reason));
    await admin.setTokenStatus('seeddisabled', 'enabled');
    ok(await inspect(new ClientSandbox(), 'seed/app:v1', `seeddisabled:${password}`));
  });

  test('an expired token password is refused with when it expired', async () => {
    const password = await admin.createToken('seedexpiring', ['repositories/seed/app/content/read'], new Date(Date.now() + 2000).toISOString());
    secrets.push(password);
    ok(await inspect(new ClientSandbox(), 'seed/app:v1', `seedexpiring:${password}`));
    await sleep(2500);
    failed(await inspect(new ClientSandbox(), 'seed/app:v1', `seedexpiring:${password}`), /password1 of token 'seedexpiring' expired/i);
  });

  test('an expired ACR refresh token (null GUID user) is refused: sign in again', async () => {
    const sp = await admin.createServicePrincipal('refresh-expiry');
    secrets.push(sp.secret);
    await admin.assignRole(sp.objectId, ROLE.AcrPull);
    const refresh = await exchange(sp);
    ok(await inspect(new ClientSandbox(), 'seed/app:v1', `${NULL_GUID}:${refresh}`));
    await sleep(8500); // refreshTokenMinutes: 0.1, plus the 2 s clock tolerance
    const r = await inspect(new ClientSandbox(), 'seed/app:v1', `${NULL_GUID}:${refresh}`);
    failed(r, /refresh token has expired/);
    await rows('loginEvents', { failuresOnly: 'true' }, (x) => /refresh token has expired/.test(x.Reason));
  });

  test('an identity token in the auth file (what az acr login stores) logs skopeo in', async () => {
    const sp = await admin.createServicePrincipal('identitytoken-user');
    secrets.push(sp.secret);
    await admin.assignRole(sp.objectId, ROLE.AcrPull);
    const refresh = await exchange(sp);
    const clients = new ClientSandbox();
    // az acr login (through docker login) leaves the refresh token in the docker config as an
    // identity token, next to an `auth` entry naming the null GUID.
    const auth = Buffer.from(`${NULL_GUID}:`).toString('base64');
    writeFileSync(join(clients.env.DOCKER_CONFIG!, 'config.json'), JSON.stringify({ auths: { [w.host]: { auth, identitytoken: refresh } } }));
    ok(await inspect(clients, 'seed/app:v1', null));
  });
});

describe('seed: anonymous pull blocked by stale stored credentials', () => {
  test('stale credentials in the auth file fail even with anonymous pull on; after logout the pull works', async () => {
    const clients = new ClientSandbox();
    ok(await clients.podman(['login', '--cert-dir', w.caDir!, '-u', 'wharf', '-p', adminPassword, w.host]));
    // Without anonymous pull, no credentials means no pull.
    failed(await clients.skopeo(['inspect', ...tls('single'), '--no-creds', `docker://${w.host}/seed/app:v1`]), /unauthorized: authentication required/);
    await admin.updateRegistry({ anonymousPullEnabled: true });
    try {
      // The stored admin password goes stale (regenerated by the registry owner).
      await admin.ok('POST', `${admin.registryId}/regenerateCredential`, { name: 'password' });
      const stale = await inspect(clients, 'seed/app:v1', null);
      failed(stale, /invalid username\/password/);
      await rows('loginEvents', { failuresOnly: 'true', identity: 'wharf' }, (x) => /anonymous pull is enabled/.test(x.Reason));
      ok(await clients.podman(['logout', w.host]));
      const anonymous = ok(await clients.skopeo(['--debug', 'inspect', ...tls('single'), `docker://${w.host}/seed/app:v1`]));
      assert.match(anonymous.stderr, /No credentials for .* found/);
      await rows('loginEvents', { identity: 'anonymous' }, (x) => x.ResultType === 'Succeeded' && /anonymous pull/.test(x.Reason));
    } finally {
      await admin.updateRegistry({ anonymousPullEnabled: false });
      const creds = await admin.ok<{ passwords: { name: string; value: string }[] }>('POST', `${admin.registryId}/listCredentials`);
      adminPassword = creds.passwords.find((p) => p.name === 'password')!.value;
      secrets.push(adminPassword);
    }
  });
});

describe('secrets stay secret', () => {
  test('no secret used in these tests appears in the server log', () => {
    const logs = w.logs();
    assert.ok(logs.length > 1000, 'the server logged its requests');
    for (const secret of secrets) assert.equal(logs.includes(secret), false, `a secret leaked into the log: ${secret.slice(0, 4)}…`);
  });
});

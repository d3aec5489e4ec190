/**
 * Signing keys are persisted and rotatable: after a rotation new tokens carry the new key id,
 * tokens signed before still work, the JWKS publishes both keys, keys survive a restart, and
 * only owners may rotate. Driven through the HTTP API and the `wharf keys` command.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import { WHARF_CLI } from '../helpers/contract.js';
import { tempDir } from '../helpers/tmp.js';
import { identityToken, ROLE, WharfAdmin } from '../helpers/wharf-admin.js';
import { restartWharf, startWharf, type WharfServer } from '../helpers/wharf-server.js';

const run = promisify(execFile);
let w: WharfServer;
let admin: WharfAdmin;
let adminPassword: string;

before(async () => {
  w = await startWharf({ secure: true });
  admin = new WharfAdmin(w);
  adminPassword = await admin.enableAdmin();
});
after(async () => {
  await w?.stop();
});

async function accessToken(): Promise<string> {
  const res = await w.request('/oauth2/token?service=wharf.localhost&scope=registry:catalog:*', {
    headers: { authorization: `Basic ${Buffer.from(`wharf:${adminPassword}`).toString('base64')}` },
  });
  assert.equal(res.status, 200, res.text());
  return res.json<{ access_token: string }>().access_token;
}

const catalogWith = (token: string) => w.request('/v2/_catalog', { headers: { authorization: `Bearer ${token}` } });

test('rotation: new kid for new tokens, old tokens keep working, both keys published, kept across restarts', async () => {
  const before = await accessToken();
  const oldKid = decodeProtectedHeader(before).kid!;

  const home = tempDir('wharf-home');
  const env = { ...process.env, WHARF_HOME: home };
  await run(process.execPath, [WHARF_CLI, 'login', '--data', w.dataDir, '--server', w.baseUrl], { env });
  const rotated = await run(process.execPath, [WHARF_CLI, 'keys', 'rotate', '-o', 'json'], { env });
  const keys = JSON.parse(rotated.stdout) as { kid: string; active: boolean }[];
  assert.equal(keys.length, 2);
  const newKid = keys.find((k) => k.active)!.kid;
  assert.notEqual(newKid, oldKid);
  assert.equal(keys.find((k) => k.kid === oldKid)!.active, false);

  const after = await accessToken();
  assert.equal(decodeProtectedHeader(after).kid, newKid);
  assert.equal((await catalogWith(before)).status, 200, 'a token signed by the retired key still verifies');
  assert.equal((await catalogWith(after)).status, 200);

  const jwks = await w.request(`/${admin.owner.tenantId}/discovery/v2.0/keys`);
  assert.deepEqual(new Set(jwks.json<{ keys: { kid: string }[] }>().keys.map((k) => k.kid)), new Set([oldKid, newKid]));

  await w.stop();
  w = await restartWharf(w);
  assert.equal((await catalogWith(after)).status, 200, 'keys are persisted: tokens survive a restart');
  assert.equal(decodeProtectedHeader(await accessToken()).kid, newKid);
});

test('only an owner of the subscription may rotate', async () => {
  admin = new WharfAdmin(w);
  const sp = await admin.createServicePrincipal('not-an-owner');
  await admin.assignRole(sp.objectId, ROLE.Contributor, `/subscriptions/${admin.owner.subscriptionId}`);
  const token = await identityToken(w, { tenantId: admin.owner.tenantId, clientId: sp.appId, clientSecret: sp.secret });
  const res = await w.request(`/subscriptions/${admin.owner.subscriptionId}/providers/Wharf.Security/signingKeys/rotate?api-version=2023-07-01`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(res.status, 403);
  assert.equal(res.json().error.code, 'AuthorizationFailed');
});

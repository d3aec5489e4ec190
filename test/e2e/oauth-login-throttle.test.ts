/**
 * Failed logins are rate-limited per address-and-identity and per address: past the limit the
 * token server answers 429 TOOMANYREQUESTS with Retry-After, even for the right password, so
 * a password cannot be guessed faster than the limit allows, while the same identity stays
 * usable from addresses that have not failed. A server of its own, because the lockout covers
 * the test clients on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent } from 'undici';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ClientSandbox } from '../helpers/clients.js';
import { tempDir } from '../helpers/tmp.js';
import { WharfAdmin } from '../helpers/wharf-admin.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

let w: WharfServer;
let password: string;
let probePassword: string;

before(async () => {
  const config = join(tempDir('config'), 'wharf.yaml');
  // 200 truly concurrent attempts need 200 connections: above the per-address connection limit,
  // which is not what this file tests.
  writeFileSync(config, 'auth:\n  failedLoginLimit: 3\n  failedLoginWindowSeconds: 60\nconnections:\n  maxPerAddress: 256\n');
  w = await startWharf({ secure: true, args: ['--config', config] });
  const admin = new WharfAdmin(w);
  password = await admin.enableAdmin();
  // Set up before 127.0.0.1 is locked out (the lockout covers the identity plane too).
  probePassword = await admin.createToken('lockprobe', ['repositories/any/content/read']);
});
after(async () => {
  await w?.stop();
});

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
const tokenRequest = (user: string, pass: string) =>
  w.request('/oauth2/token?service=wharf.localhost&scope=repository:any:pull', { headers: { authorization: basic(user, pass) } });

test('after three failed logins the address is refused with 429 TOOMANYREQUESTS, even with the right password', async () => {
  assert.equal((await tokenRequest('wharf', password)).status, 200, 'the right password works before');
  for (let i = 0; i < 3; i++) assert.equal((await tokenRequest('wharf', `wrong-${i}`)).status, 401);
  const limited = await tokenRequest('wharf', password);
  assert.equal(limited.status, 429);
  assert.equal(limited.json().errors[0].code, 'TOOMANYREQUESTS');
  assert.match(limited.json().errors[0].message, /too many failed logins for (address 127\.0\.0\.1|identity 'wharf')/);
  assert.ok(Number(limited.headers['retry-after']) > 0 && Number(limited.headers['retry-after']) <= 60);

  // Basic credentials straight on the registry API are throttled the same way.
  const direct = await w.request('/v2/_catalog', { headers: { authorization: basic('wharf', password) } });
  assert.equal(direct.status, 429);

  // What skopeo users see.
  const clients = new ClientSandbox();
  const r = await clients.skopeo(['inspect', '--cert-dir', w.caDir!, '--creds', `wharf:${password}`, `docker://${w.host}/any:v1`]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /too many failed logins|429|Too Many Requests/i, r.stderr);
});

/** Requests from another loopback source address (127.0.0.0/8 is all ours). */
function from(address: string): Agent {
  return new Agent({ localAddress: address, connect: { ca: readFileSync(w.caFile!, 'utf8') }, keepAliveTimeout: 1000 });
}

test('a stranger cannot lock a user out: the identity is locked only for the address that failed, whatever the case of its name', async () => {
  const attacker = from('127.0.0.2');
  const elsewhere = from('127.0.0.3');
  const token = (dispatcher: Agent, user: string, pass: string) =>
    w.request('/oauth2/token?service=wharf.localhost&scope=repository:any:pull', { headers: { authorization: basic(user, pass) }, dispatcher });
  try {
    // 'wharf' is over the limit for 127.0.0.1 since the previous test; 'WHARF' is the same user.
    const upper = await tokenRequest('WHARF', password);
    assert.equal(upper.status, 429);
    assert.match(upper.json().errors[0].message, /identity 'wharf' from address 127\.0\.0\.1/);
    // From an address that has not failed, the admin user signs in.
    assert.equal((await token(elsewhere, 'wharf', password)).status, 200);
    // The attacker locks 'lockprobe' for itself only.
    for (let i = 0; i < 3; i++) assert.equal((await token(attacker, 'lockprobe', `wrong-${i}`)).status, 401);
    assert.equal((await token(attacker, 'lockprobe', probePassword)).status, 429);
    assert.equal((await token(elsewhere, 'lockprobe', probePassword)).status, 200);
    // Spraying many identities from one address trips the address at three times the limit.
    for (let i = 0; i < 6; i++) assert.equal((await token(attacker, `someone-${i}`, 'x')).status, 401);
    const byAddress = await token(attacker, 'someone-else', 'x');
    assert.equal(byAddress.status, 429);
    assert.match(byAddress.json().errors[0].message, /address 127\.0\.0\.2/);
  } finally {
    await attacker.close();
    await elsewhere.close();
  }
});

test('200 concurrent wrong passwords: only the limit is checked, the rest are refused at once, and the server keeps answering', async () => {
  const burst = from('127.0.0.4');
  const bystander = from('127.0.0.5');
  try {
    const attempts = Array.from({ length: 200 }, (_, i) =>
      w.request('/oauth2/token?service=wharf.localhost&scope=repository:any:pull', {
        headers: { authorization: basic('wharf', `burst-${i}`) },
        dispatcher: burst,
      }),
    );
    const health = await w.request('/healthz', { dispatcher: bystander });
    const statuses = (await Promise.all(attempts)).map((r) => r.status);
    assert.equal(health.status, 200);
    const checked = statuses.filter((s) => s === 401).length;
    const refused = statuses.filter((s) => s === 429).length;
    assert.equal(checked, 3, `checked ${checked}, refused ${refused}`);
    assert.equal(refused, 197);
    // The right password from another address still works at once.
    const legit = await w.request('/oauth2/token?service=wharf.localhost&scope=repository:any:pull', {
      headers: { authorization: basic('wharf', password) },
      dispatcher: bystander,
    });
    assert.equal(legit.status, 200);
  } finally {
    await burst.close();
    await bystander.close();
  }
});

/**
 * Failed logins are rate-limited per client address and per identity: past the limit the
 * token server answers 429 TOOMANYREQUESTS with Retry-After, even for the right password, so
 * a password cannot be guessed faster than the limit allows. A server of its own, because the
 * lockout covers every test client on 127.0.0.1.
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
  writeFileSync(config, 'auth:\n  failedLoginLimit: 3\n  failedLoginWindowSeconds: 60\n');
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

test('the identity is locked whatever address it comes from, and other identities from other addresses are not', async () => {
  const attacker = from('127.0.0.2');
  const elsewhere = from('127.0.0.3');
  const token = (dispatcher: Agent, user: string, pass: string) =>
    w.request('/oauth2/token?service=wharf.localhost&scope=repository:any:pull', { headers: { authorization: basic(user, pass) }, dispatcher });
  try {
    // 'wharf' is already over the limit from the previous test (identity and 127.0.0.1 alike).
    const locked = await token(elsewhere, 'wharf', password);
    assert.equal(locked.status, 429);
    assert.match(locked.json().errors[0].message, /identity 'wharf'/);
    // A fresh address and a fresh identity: allowed, until that address fails too often.
    assert.equal((await token(attacker, 'lockprobe', probePassword)).status, 200);
    for (let i = 0; i < 3; i++) assert.equal((await token(attacker, 'lockprobe', `wrong-${i}`)).status, 401);
    const byAddress = await token(attacker, 'someone-else', 'x');
    assert.equal(byAddress.status, 429);
    assert.match(byAddress.json().errors[0].message, /address 127\.0\.0\.2/);
  } finally {
    await attacker.close();
    await elsewhere.close();
  }
});

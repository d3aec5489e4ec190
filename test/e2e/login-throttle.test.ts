/**
 * Failed logins are rate-limited per client address and per identity: past the limit the
 * token server answers 429 TOOMANYREQUESTS with Retry-After, even for the right password, so
 * a password cannot be guessed faster than the limit allows. A server of its own, because the
 * lockout covers every test client on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ClientSandbox } from '../helpers/clients.js';
import { tempDir } from '../helpers/tmp.js';
import { WharfAdmin } from '../helpers/wharf-admin.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

let w: WharfServer;
let password: string;

before(async () => {
  const config = join(tempDir('config'), 'wharf.yaml');
  writeFileSync(config, 'auth:\n  failedLoginLimit: 3\n  failedLoginWindowSeconds: 60\n');
  w = await startWharf({ secure: true, args: ['--config', config] });
  password = await new WharfAdmin(w).enableAdmin();
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

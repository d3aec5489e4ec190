/**
 * A refresh token dies with the credential it was obtained with, and never renews itself past
 * its first end; an access token is accepted only as a Bearer on the registry API, never as a
 * way to obtain another token. Each case is the hostile tester's reproduction: rotate, then
 * refresh; present a narrow access token at every token entry point.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import { NULL_GUID } from '../../src/auth/acr-tokens.js';
import { identityToken, WharfAdmin } from '../helpers/wharf-admin.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';
import type { HttpResponse } from '../helpers/http.js';

const SERVICE = 'wharf.localhost';
const ACR_PUSH = '8311e382-0749-4cb8-b61a-304f252e45ec';

let w: WharfServer;
let admin: WharfAdmin;

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
const form = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  w.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });

/**
 * POST grant_type=password&access_type=offline: a password login that asks for a refresh token.
 * (docker login's GET with offline_token=true gets none: docker keeps the password.)
 */
async function refreshTokenFor(user: string, pass: string): Promise<string> {
  const res = await form('/oauth2/token', {
    grant_type: 'password',
    service: SERVICE,
    scope: 'repository:hello/world:pull',
    username: user,
    password: pass,
    access_type: 'offline',
  });
  assert.equal(res.status, 200, res.text());
  return res.json<{ refresh_token: string }>().refresh_token;
}

/** POST grant_type=refresh_token for push: what az and the identitytoken flow do. */
const redeem = (refresh: string) =>
  form('/oauth2/token', { grant_type: 'refresh_token', service: SERVICE, refresh_token: refresh, scope: 'repository:hello/world:pull,push' });

function assertRevoked(res: HttpResponse): void {
  assert.equal(res.status, 401, res.text());
  assert.match(res.json().errors[0].message, /refresh token is no longer valid because the credential it was obtained with/);
}

before(async () => {
  w = await startWharf({ secure: true });
  admin = new WharfAdmin(w);
});
after(async () => {
  await w?.stop();
});

describe('refresh tokens die with their credential', () => {
  test('admin user: regenerating password ends the refresh tokens obtained with it, not those of password2', async () => {
    const first = await admin.enableAdmin();
    const creds = await admin.ok<{ passwords: { name: string; value: string }[] }>('POST', `${admin.registryId}/listCredentials`);
    const second = creds.passwords.find((p) => p.name === 'password2')!.value;
    const withFirst = await refreshTokenFor('wharf', first);
    const withSecond = await refreshTokenFor('wharf', second);
    assert.equal((await redeem(withFirst)).status, 200);
    await admin.ok('POST', `${admin.registryId}/regenerateCredential`, { name: 'password' });
    assertRevoked(await redeem(withFirst));
    // As a Bearer at GET /oauth2/token and with the null GUID, the same.
    assert.equal(
      (await w.request(`/oauth2/token?service=${SERVICE}&scope=repository:hello/world:pull`, { headers: { authorization: `Bearer ${withFirst}` } })).status,
      401,
    );
    assert.equal((await w.request('/v2/_catalog', { headers: { authorization: basic(NULL_GUID, withFirst) } })).status, 401);
    assert.equal((await redeem(withSecond)).status, 200, 'password2 was not regenerated');
  });

  test('repository-scoped token: generating password1 again ends its refresh tokens', async () => {
    const password1 = await admin.createToken('ci-token', ['repositories/hello/world/content/read']);
    const refresh = await refreshTokenFor('ci-token', password1);
    assert.equal((await redeem(refresh)).status, 200);
    await admin.ok('POST', `${admin.registryId}/generateCredentials`, { tokenId: `${admin.registryId}/tokens/ci-token`, name: 'password1' });
    assertRevoked(await redeem(refresh));
  });

  test('service principal: removing the secret ends refresh tokens from Basic logins and from /oauth2/exchange', async () => {
    const sp = await admin.createServicePrincipal('rotating');
    await admin.assignRole(sp.objectId, ACR_PUSH);
    const viaBasic = await refreshTokenFor(sp.appId, sp.secret);
    const entra = await identityToken(w, { tenantId: admin.owner.tenantId, clientId: sp.appId, clientSecret: sp.secret });
    const exchanged = await form('/oauth2/exchange', { grant_type: 'access_token', service: SERVICE, access_token: entra });
    assert.equal(exchanged.status, 200, exchanged.text());
    const viaExchange = exchanged.json<{ refresh_token: string }>().refresh_token;
    assert.equal((await redeem(viaBasic)).status, 200);
    assert.equal((await redeem(viaExchange)).status, 200);
    // `wharf sp credential reset`: a new secret, the old one removed.
    const app = await admin.ok<{ id: string; passwordCredentials: { keyId: string }[] }>('GET', `/v1.0/applications(appId='${sp.appId}')`);
    await admin.ok('POST', `/v1.0/applications/${app.id}/addPassword`, { passwordCredential: { displayName: 'new' } });
    const removed = await admin.call('POST', `/v1.0/applications/${app.id}/removePassword`, { keyId: app.passwordCredentials[0]!.keyId });
    assert.equal(removed.status, 204, removed.text());
    assertRevoked(await redeem(viaBasic));
    assertRevoked(await redeem(viaExchange));
    // The Entra token obtained with the old secret cannot be exchanged any more either.
    const late = await form('/oauth2/exchange', { grant_type: 'access_token', service: SERVICE, access_token: entra });
    assert.equal(late.status, 401, late.text());
  });

  test('a refresh token renewed with offline_token=true keeps the first one’s end', async () => {
    const password = (await admin.ok<{ passwords: { name: string; value: string }[] }>('POST', `${admin.registryId}/listCredentials`)).passwords[0]!.value;
    const original = await refreshTokenFor('wharf', password);
    await new Promise((r) => setTimeout(r, 1100));
    const renewed = await w.request(`/oauth2/token?service=${SERVICE}&scope=repository:hello/world:pull&offline_token=true`, {
      headers: { authorization: `Bearer ${original}` },
    });
    assert.equal(renewed.status, 200, renewed.text());
    const next = renewed.json<{ refresh_token: string }>().refresh_token;
    assert.ok(next, 'a refresh token is still issued');
    assert.ok(decodeJwt(next).exp! <= decodeJwt(original).exp!, 'the renewed token ends no later than the first');
  });

  test('identity plane: a user refresh token keeps its end and dies with a password reset', async () => {
    await admin.ok('POST', '/v1.0/users', { userPrincipalName: 'dev@wharf.localhost', passwordProfile: { password: 'first password!' } });
    const tenant = admin.owner.tenantId;
    const signIn = await form(`/${tenant}/oauth2/v2.0/token`, {
      grant_type: 'password',
      client_id: '04b07795-8ddb-461a-bbee-02f9e1bf7b46',
      username: 'dev@wharf.localhost',
      password: 'first password!',
      scope: 'https://management.azure.com/.default offline_access',
    });
    assert.equal(signIn.status, 200, signIn.text());
    const first = signIn.json<{ refresh_token: string }>().refresh_token;
    await new Promise((r) => setTimeout(r, 1100));
    const refreshed = await form(`/${tenant}/oauth2/v2.0/token`, {
      grant_type: 'refresh_token',
      client_id: '04b07795-8ddb-461a-bbee-02f9e1bf7b46',
      refresh_token: first,
    });
    assert.equal(refreshed.status, 200, refreshed.text());
    const second = refreshed.json<{ refresh_token: string }>().refresh_token;
    assert.ok(decodeJwt(second).exp! <= decodeJwt(first).exp!, 'refreshing never extends the sign-in');
    const user = await admin.ok<{ value: { id: string }[] }>('GET', "/v1.0/users?$filter=userPrincipalName eq 'dev@wharf.localhost'");
    const reset = await admin.call('PATCH', `/v1.0/users/${user.value[0]!.id}`, { passwordProfile: { password: 'second password!' } });
    assert.equal(reset.status, 204, reset.text());
    const after = await form(`/${tenant}/oauth2/v2.0/token`, {
      grant_type: 'refresh_token',
      client_id: '04b07795-8ddb-461a-bbee-02f9e1bf7b46',
      refresh_token: second,
    });
    assert.equal(after.status, 400, after.text());
    assert.match(after.json().error_description, /AADSTS50173/);
    // At /oauth2/exchange (az acr login with a user) too.
    const exchanged = await form('/oauth2/exchange', { grant_type: 'refresh_token', service: SERVICE, refresh_token: second });
    assert.equal(exchanged.status, 401, exchanged.text());
  });
});

describe('an access token is not a refresh token', () => {
  test('a narrow pull token is refused at every token entry point, and stays usable as a Bearer for what it carries', async () => {
    const password = (await admin.ok<{ passwords: { name: string; value: string }[] }>('POST', `${admin.registryId}/listCredentials`)).passwords[1]!.value;
    const narrow = await w.request(`/oauth2/token?service=${SERVICE}&scope=repository:hello/world:pull`, {
      headers: { authorization: basic('wharf', password) },
    });
    const access = narrow.json<{ access_token: string }>().access_token;
    const wide = 'repository:hello/world:pull,push,delete&scope=registry:catalog:*';
    const attempts: [string, Promise<HttpResponse>][] = [
      [
        'Bearer at GET /oauth2/token',
        w.request(`/oauth2/token?service=${SERVICE}&scope=${wide}&offline_token=true`, { headers: { authorization: `Bearer ${access}` } }),
      ],
      [
        'grant_type=refresh_token',
        form('/oauth2/token', { grant_type: 'refresh_token', service: SERVICE, refresh_token: access, scope: 'repository:hello/world:push' }),
      ],
      ['null GUID at GET /oauth2/token', w.request(`/oauth2/token?service=${SERVICE}&scope=${wide}`, { headers: { authorization: basic(NULL_GUID, access) } })],
      [
        'null GUID at POST grant_type=password',
        form('/oauth2/token', { grant_type: 'password', service: SERVICE, username: NULL_GUID, password: access, scope: 'repository:hello/world:push' }),
      ],
      ['null GUID on the registry API', w.request('/v2/_catalog', { headers: { authorization: basic(NULL_GUID, access) } })],
      ['/oauth2/exchange', form('/oauth2/exchange', { grant_type: 'access_token', service: SERVICE, access_token: access })],
    ];
    for (const [what, pending] of attempts) {
      const res = await pending;
      assert.equal(res.status, 401, `${what}: ${res.text()}`);
      assert.ok(!res.text().includes('refresh_token'), `${what} issued nothing`);
    }
    // As a Bearer it still opens what it carries, and nothing else.
    assert.equal((await w.request('/v2/hello/world/tags/list', { headers: { authorization: `Bearer ${access}` } })).status, 404);
    assert.equal((await w.request('/v2/hello/world/blobs/uploads/', { method: 'POST', headers: { authorization: `Bearer ${access}` } })).status, 401);
  });

  test("/oauth2/exchange takes its audiences from the server's names, not from the Host header", async () => {
    // A token for the audience "https://<the address the client used>": accepted before only because the Host said so.
    const entra = await identityToken(w, admin.owner, `https://${w.host}/.default`);
    const res = await form('/oauth2/exchange', { grant_type: 'access_token', service: SERVICE, access_token: entra });
    assert.equal(res.status, 401, res.text());
    assert.match(res.json().errors[0].message, /audience/);
  });
});

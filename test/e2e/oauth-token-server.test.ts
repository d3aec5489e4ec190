/**
 * ACR's token server through the wire: /oauth2/exchange with each grant type, /oauth2/token by
 * GET (Basic, offline_token, several and odd scopes) and by POST (refresh_token, password,
 * the SDK's anonymous form), requested ∩ granted actions in the access token's claims, the
 * token lifetimes, and refusals in the registry's error format.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import { identityToken, ROLE, WharfAdmin } from '../helpers/wharf-admin.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';
import type { HttpResponse } from '../helpers/http.js';

/** The default registry's login server (`localhost:<port>`), set once the server runs. */
let SERVICE = '';
const NULL_GUID = '00000000-0000-0000-0000-000000000000';
let w: WharfServer;
let admin: WharfAdmin;
let adminPassword: string;
let puller: { appId: string; objectId: string; secret: string };

before(async () => {
  w = await startWharf({ secure: true });
  SERVICE = `localhost:${w.port}`;
  admin = new WharfAdmin(w);
  adminPassword = await admin.enableAdmin();
  puller = await admin.createServicePrincipal('token-server-puller');
  await admin.assignRole(puller.objectId, ROLE.AcrPull);
});
after(async () => {
  await w?.stop();
});

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
const form = (path: string, fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
  return w.request(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
};
const claims = (res: HttpResponse, field = 'access_token') => decodeJwt(res.json()[field] as string) as Record<string, any>;

async function exchangeFor(sp: { appId: string; secret: string }, extra: Record<string, string> = {}): Promise<HttpResponse> {
  const aad = await identityToken(w, { tenantId: admin.owner.tenantId, clientId: sp.appId, clientSecret: sp.secret });
  return form('/oauth2/exchange?api-version=2021-07-01', { grant_type: 'access_token', service: SERVICE, access_token: aad, ...extra });
}

describe('/oauth2/exchange', () => {
  test('an Entra access token becomes a 3-hour ACR refresh token for the login server', async () => {
    const res = await exchangeFor(puller, { tenant: admin.owner.tenantId });
    assert.equal(res.status, 200, res.text());
    const rt = claims(res, 'refresh_token');
    assert.equal(rt.iss, 'Azure Container Registry');
    assert.equal(rt.aud, SERVICE);
    assert.equal(rt.grant_type, 'refresh_token');
    assert.equal(rt.tenant, admin.owner.tenantId);
    assert.equal(rt.exp - rt.iat, 3 * 3600);
  });

  test('access_token_refresh_token uses the access token; refresh_token takes an Entra refresh token of a user', async () => {
    const both = await exchangeFor(puller, { grant_type: 'access_token_refresh_token', refresh_token: 'ignored' });
    assert.equal(both.status, 200, both.text());

    const userName = `dev${Date.now()}@wharf.local`;
    const user = await admin.ok<{ id: string }>('POST', '/v1.0/users', {
      userPrincipalName: userName,
      displayName: 'Dev',
      accountEnabled: true,
      passwordProfile: { password: 'Correct-Horse-9' },
    });
    await admin.assignRole(user.id, ROLE.AcrPull, admin.registryId, 'User');
    const signIn = await form(`/${admin.owner.tenantId}/oauth2/v2.0/token`, {
      grant_type: 'password',
      client_id: '04b07795-8ddb-461a-bbee-02f9e1bf7b46',
      username: userName,
      password: 'Correct-Horse-9',
      scope: 'https://management.azure.com/.default offline_access openid',
    });
    assert.equal(signIn.status, 200, signIn.text());
    const aadRefresh = signIn.json<{ refresh_token: string }>().refresh_token;
    const res = await form('/oauth2/exchange', { grant_type: 'refresh_token', service: SERVICE, refresh_token: aadRefresh });
    assert.equal(res.status, 200, res.text());
    assert.equal(claims(res, 'refresh_token').sub, userName);
  });

  test('refusals: no token, a garbage token, another tenant, an unknown grant type', async () => {
    const none = await form('/oauth2/exchange', { grant_type: 'access_token', service: SERVICE });
    assert.equal(none.status, 400);
    assert.match(none.json().errors[0].message, /needs an access_token/);
    const garbage = await form('/oauth2/exchange', { grant_type: 'access_token', service: SERVICE, access_token: 'not.a.jwt' });
    assert.equal(garbage.status, 401);
    assert.equal(garbage.json().errors[0].code, 'UNAUTHORIZED');
    const tenant = await exchangeFor(puller, { tenant: '11111111-1111-1111-1111-111111111111' });
    assert.equal(tenant.status, 401);
    assert.match(tenant.json().errors[0].message, /tenant/);
    const grant = await form('/oauth2/exchange', { grant_type: 'client_credentials', service: SERVICE });
    assert.equal(grant.status, 400);
    const unknownService = await exchangeFor(puller, { service: 'nosuch.localhost' });
    assert.equal(unknownService.status, 404);
  });
});

describe('/oauth2/token', () => {
  test('GET with Basic admin credentials, several scopes and odd ones; offline_token adds no refresh token for a password (docker keeps the password)', async () => {
    const res = await w.request(
      `/oauth2/token?account=wharf&client_id=docker&offline_token=true&service=${SERVICE}` +
        '&scope=repository%3Aa%2Fb%3Apull%2Cpush&scope=registry%3Acatalog%3A*&scope=registry%3ANone%3A*&scope=bogus',
      { headers: { authorization: basic('wharf', adminPassword) } },
    );
    assert.equal(res.status, 200, res.text());
    const body = res.json();
    assert.equal(body.token, body.access_token, 'docker reads `token`, ACR clients `access_token`');
    assert.equal(body.expires_in, 75 * 60);
    const access = claims(res);
    assert.deepEqual(access.access, [
      { type: 'repository', name: 'a/b', actions: ['pull', 'push'] },
      { type: 'registry', name: 'catalog', actions: ['*'] },
    ]);
    assert.equal(access.aud, SERVICE);
    assert.equal(body.refresh_token, undefined, 'a refresh token would replace the password in docker’s config and expire before it');
  });

  test('requested ∩ granted: an AcrPull principal asking for push and delete gets pull only', async () => {
    const res = await w.request(`/oauth2/token?service=${SERVICE}&scope=repository:x:pull,push,delete`, {
      headers: { authorization: basic(puller.appId, puller.secret) },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(claims(res).access, [{ type: 'repository', name: 'x', actions: ['pull'] }]);
  });

  test('POST refresh_token (az, SDK, identitytoken) and the null GUID with the refresh token as password', async () => {
    const refresh = (await exchangeFor(puller)).json<{ refresh_token: string }>().refresh_token;
    const post = await form('/oauth2/token?api-version=2021-07-01', {
      grant_type: 'refresh_token',
      service: SERVICE,
      refresh_token: refresh,
      scope: ['repository:p:pull', 'registry:catalog:*'],
    });
    assert.equal(post.status, 200, post.text());
    assert.deepEqual(claims(post).access, [
      { type: 'repository', name: 'p', actions: ['pull'] },
      { type: 'registry', name: 'catalog', actions: ['*'] },
    ]);
    const viaBasic = await w.request(`/oauth2/token?service=${SERVICE}&scope=repository:p:pull`, { headers: { authorization: basic(NULL_GUID, refresh) } });
    assert.equal(viaBasic.status, 200);
    // An access token is not a refresh token: it cannot obtain another token, whatever the entry point.
    const wrongKind = await form('/oauth2/token', {
      grant_type: 'refresh_token',
      service: SERVICE,
      refresh_token: post.json().access_token,
      scope: 'repository:p:pull',
    });
    assert.equal(wrongKind.status, 401, wrongKind.text());
    assert.match(wrongKind.json().errors[0].message, /an access token was presented where a refresh token is expected/);
  });

  test('POST password (az -u/-p) and the SDK anonymous form', async () => {
    const password = await form('/oauth2/token', {
      grant_type: 'password',
      service: SERVICE,
      username: 'wharf',
      password: adminPassword,
      scope: 'repository:q:push',
    });
    assert.equal(password.status, 200, password.text());
    assert.deepEqual(claims(password).access, [{ type: 'repository', name: 'q', actions: ['push'] }]);
    const anonymous = await form('/oauth2/token', { grant_type: 'password', service: SERVICE, refresh_token: '', scope: 'registry:catalog:*' });
    assert.equal(anonymous.status, 200);
    assert.deepEqual(claims(anonymous).access, [], 'anonymous pull is off: a token that allows nothing');
    const wrong = await form('/oauth2/token', { grant_type: 'password', service: SERVICE, username: 'wharf', password: 'wrong' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.json().errors[0].code, 'UNAUTHORIZED');
  });

  test('bad requests are answered in the registry error format', async () => {
    const grant = await form('/oauth2/token', { grant_type: 'client_credentials', service: SERVICE });
    assert.equal(grant.status, 400);
    assert.match(grant.json().errors[0].message, /unsupported grant_type 'client_credentials'/);
    const missing = await form('/oauth2/token', { grant_type: 'refresh_token', service: SERVICE });
    assert.equal(missing.status, 400);
    const scheme = await w.request(`/oauth2/token?service=${SERVICE}`, { headers: { authorization: 'Digest abc' } });
    assert.equal(scheme.status, 401);
    const huge = await w.request('/oauth2/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'scope=' + 'x'.repeat(200_000),
    });
    assert.equal(huge.status, 400);
    assert.match(huge.json().errors[0].message, /larger than/);
  });

  test('an access token opens the registry only for what it carries', async () => {
    const res = await w.request(`/oauth2/token?service=${SERVICE}&scope=registry:catalog:*`, {
      headers: { authorization: basic(puller.appId, puller.secret) },
    });
    const token = res.json<{ access_token: string }>().access_token;
    assert.equal((await w.request('/v2/_catalog', { headers: { authorization: `Bearer ${token}` } })).status, 200);
    const denied = await w.request('/v2/x/manifests/v1', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(denied.status, 401);
    assert.match(denied.headers['www-authenticate']!, /scope="repository:x:pull",error="insufficient_scope"/);
    assert.deepEqual(denied.json().errors[0].detail, [{ Type: 'repository', Name: 'x', Action: 'pull', Identity: puller.appId }]);
    const forged = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const bad = await w.request('/v2/_catalog', { headers: { authorization: `Bearer ${forged}` } });
    assert.equal(bad.status, 401);
    assert.match(bad.headers['www-authenticate']!, /error="invalid_token"/);
  });
});

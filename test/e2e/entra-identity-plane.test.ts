/**
 * The identity plane through the wire: a secure Wharf's bootstrap owner signs in with
 * @azure/identity's ClientSecretCredential (Wharf as authority host), gets an RS256 token with
 * Entra's claims that verifies against the published JWKS; wrong, unknown and expired
 * credentials fail with Entra's AADSTS codes in the SDK's error; OIDC discovery answers in the
 * v2, v1 and ADFS shapes; ManagedIdentityCredential gets tokens from the IMDS-compatible
 * endpoint; users sign in with the password grant and refresh; failed sign-ins are throttled.
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { Agent } from 'undici';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import { IdentityDirectory } from '../../src/identity/directory.js';
import { SecretHasher } from '../../src/kernel/secrets.js';
import { openMetadataStore } from '../../src/storage/metadata/open.js';
import { bootstrapOwnerFile, managedIdentityCredential, readBootstrapOwner, servicePrincipalCredential, type BootstrapOwner } from '../helpers/azure-sdk.js';
import { restartWharf, startWharf, type WharfServer } from '../helpers/wharf-server.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

async function sdkError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail('expected the SDK call to fail');
}

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** Asserts Entra's error body shape and returns it. */
function entraError(res: { status: number; json<T>(): T; text(): string }, status: number, code: number, error: string) {
  assert.equal(res.status, status, res.text());
  const body = res.json<{ error: string; error_description: string; error_codes: number[]; timestamp: string; trace_id: string; correlation_id: string }>();
  assert.equal(body.error, error);
  assert.deepEqual(body.error_codes, [code]);
  assert.match(
    body.error_description,
    new RegExp(
      `^AADSTS${code}: .+\\r\\nTrace ID: [0-9a-f-]{36}\\r\\nCorrelation ID: [0-9a-f-]{36}\\r\\nTimestamp: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ$`,
    ),
  );
  assert.match(body.trace_id, GUID);
  assert.match(body.correlation_id, GUID);
  assert.match(body.timestamp, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
  return body;
}

describe('identity plane', () => {
  let server: WharfServer;
  let owner: BootstrapOwner;

  before(async () => {
    // Info level: a log line per request, so the secret checks below grep something real.
    server = await startWharf({ secure: true, args: ['--log-level', 'info'] });
    owner = readBootstrapOwner(server);
  });
  after(async () => server?.stop());

  it("writes the bootstrap owner's credentials to a private file", () => {
    const file = bootstrapOwnerFile(server);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(dirname(file)).mode & 0o777, 0o700);
    assert.match(owner.tenantId, GUID);
    assert.match(owner.clientId, GUID);
    assert.match(owner.subscriptionId, GUID);
    assert.equal(owner.resourceGroup, 'wharf');
    assert.equal(owner.authorityHost, null);
    assert.ok(owner.clientSecret.length >= 32);
  });

  it("gives ClientSecretCredential an RS256 token with Entra's claims, verifiable with the JWKS", async () => {
    const resource = server.baseUrl;
    const token = await servicePrincipalCredential(server, owner).getToken(`${resource}/.default`);
    const claims = decodeJwt(token.token);
    assert.equal(claims.aud, resource);
    assert.equal(claims.iss, `${server.baseUrl}/${owner.tenantId}/v2.0`);
    assert.equal(claims.tid, owner.tenantId);
    assert.equal(claims.appid, owner.clientId);
    assert.equal(claims.azp, owner.clientId);
    assert.equal(claims.idtyp, 'app');
    assert.equal(claims.ver, '2.0');
    assert.match(String(claims.oid), GUID);
    assert.equal(claims.sub, claims.oid);
    assert.equal(claims.exp! - claims.iat!, 3600);
    assert.ok(Math.abs(token.expiresOnTimestamp - claims.exp! * 1000) < 5000);

    const discovery = (await server.request(`/${owner.tenantId}/v2.0/.well-known/openid-configuration`)).json<{ jwks_uri: string }>();
    const jwks = await server.request(new URL(discovery.jwks_uri).pathname);
    assert.equal(jwks.status, 200);
    const keySet = jwks.json<JSONWebKeySet>();
    assert.ok(keySet.keys.length >= 1);
    assert.ok(keySet.keys.every((k) => k.kty === 'RSA' && k.alg === 'RS256' && !('d' in k)));
    const { protectedHeader } = await jwtVerify(token.token, createLocalJWKSet(keySet), { issuer: claims.iss, audience: resource, algorithms: ['RS256'] });
    assert.equal(protectedHeader.alg, 'RS256');
    // The same keys are published at the ADFS and v1 addresses.
    assert.deepEqual((await server.request('/adfs/discovery/keys')).json(), keySet);
    assert.deepEqual((await server.request(`/${owner.tenantId}/discovery/keys`)).json(), keySet);
  });

  it('fails a wrong secret with AADSTS7000215 and an unknown client id with AADSTS700016', async () => {
    const scope = `${server.baseUrl}/.default`;
    const wrong = await sdkError(servicePrincipalCredential(server, { ...owner, clientSecret: 'not-the-secret' }).getToken(scope));
    assert.match(wrong, /AADSTS7000215: Invalid client secret provided/);
    const unknownId = '11111111-2222-3333-4444-555555555555';
    const unknown = await sdkError(servicePrincipalCredential(server, { ...owner, clientId: unknownId }).getToken(scope));
    assert.match(unknown, new RegExp(`AADSTS700016: Application with identifier '${unknownId}' was not found in the directory '${owner.tenantId}'`));
  });

  it('serves OIDC discovery in the v2, v1 and ADFS shapes, and instance discovery', async () => {
    const v2 = await server.request(`/${owner.tenantId}/v2.0/.well-known/openid-configuration`);
    assert.equal(v2.status, 200);
    const doc = v2.json<Record<string, unknown>>();
    assert.equal(doc.issuer, `${server.baseUrl}/${owner.tenantId}/v2.0`);
    assert.equal(doc.token_endpoint, `${server.baseUrl}/${owner.tenantId}/oauth2/v2.0/token`);
    assert.equal(doc.authorization_endpoint, `${server.baseUrl}/${owner.tenantId}/oauth2/v2.0/authorize`);
    assert.equal(doc.device_authorization_endpoint, `${server.baseUrl}/${owner.tenantId}/oauth2/v2.0/devicecode`);
    assert.equal(doc.jwks_uri, `${server.baseUrl}/${owner.tenantId}/discovery/v2.0/keys`);
    assert.deepEqual(doc.id_token_signing_alg_values_supported, ['RS256']);
    assert.ok(Array.isArray(doc.response_types_supported) && Array.isArray(doc.subject_types_supported));
    assert.equal(doc.cloud_instance_name, '127.0.0.1');
    assert.ok('tenant_region_scope' in doc);

    // The aliases stand for the installation's tenant; their issuer keeps Entra's placeholder.
    const organizations = (await server.request('/organizations/v2.0/.well-known/openid-configuration')).json<Record<string, unknown>>();
    assert.equal(organizations.issuer, `${server.baseUrl}/{tenantid}/v2.0`);
    assert.equal(organizations.token_endpoint, `${server.baseUrl}/organizations/oauth2/v2.0/token`);

    const v1 = (await server.request(`/${owner.tenantId}/.well-known/openid-configuration`)).json<Record<string, unknown>>();
    assert.equal(v1.issuer, `${server.baseUrl}/${owner.tenantId}/`);
    assert.equal(v1.token_endpoint, `${server.baseUrl}/${owner.tenantId}/oauth2/token`);

    const adfs = await server.request('/adfs/.well-known/openid-configuration');
    assert.equal(adfs.status, 200);
    const adfsDoc = adfs.json<Record<string, unknown>>();
    assert.equal(adfsDoc.issuer, `${server.baseUrl}/adfs`);
    assert.equal(adfsDoc.token_endpoint, `${server.baseUrl}/adfs/oauth2/token`);
    assert.equal(adfsDoc.jwks_uri, `${server.baseUrl}/adfs/discovery/keys`);

    // az's MSAL drops the port from authorization_endpoint: the answer uses the request's own origin.
    const endpoint = encodeURIComponent(`https://127.0.0.1/${owner.tenantId}/oauth2/v2.0/authorize`);
    const instance = await server.request(`/common/discovery/instance?authorization_endpoint=${endpoint}&api-version=1.1`);
    assert.equal(instance.status, 200);
    const instanceDoc = instance.json<{ tenant_discovery_endpoint: string; metadata: { aliases: string[] }[] }>();
    assert.equal(instanceDoc.tenant_discovery_endpoint, `${server.baseUrl}/${owner.tenantId}/v2.0/.well-known/openid-configuration`);
    assert.deepEqual(instanceDoc.metadata[0]!.aliases, [server.host]);
    entraError(await server.request('/common/discovery/instance?api-version=1.1'), 400, 50049, 'invalid_instance');

    const unknownTenant = await server.request('/99999999-9999-9999-9999-999999999999/v2.0/.well-known/openid-configuration');
    const body = entraError(unknownTenant, 400, 90002, 'invalid_tenant');
    assert.match(body.error_description, /Tenant '99999999-9999-9999-9999-999999999999' not found/);
  });

  it('answers the v1 and ADFS token endpoints (HTTP Basic client credentials) with their issuers', async () => {
    const basic = `Basic ${Buffer.from(`${owner.clientId}:${owner.clientSecret}`).toString('base64')}`;
    const v1 = await server.request(`/${owner.tenantId}/oauth2/token`, {
      method: 'POST',
      headers: { ...FORM, Authorization: basic },
      body: form({ grant_type: 'client_credentials', resource: 'https://management.core.windows.net/' }),
    });
    assert.equal(v1.status, 200, v1.text());
    const v1Body = v1.json<Record<string, string>>();
    assert.equal(v1Body.token_type, 'Bearer');
    assert.equal(v1Body.resource, 'https://management.core.windows.net/');
    assert.match(v1Body.expires_in!, /^\d+$/);
    assert.match(v1Body.expires_on!, /^\d+$/);
    assert.equal(v1.headers['cache-control'], 'no-store, no-cache');
    const v1Claims = decodeJwt(v1Body.access_token!);
    assert.equal(v1Claims.iss, `${server.baseUrl}/${owner.tenantId}/`);
    assert.equal(v1Claims.aud, 'https://management.core.windows.net/');
    assert.equal(v1Claims.ver, '1.0');

    // What az sends against an ADFS-shaped authority.
    const adfs = await server.request('/adfs/oauth2/token', {
      method: 'POST',
      headers: FORM,
      body: form({
        client_id: owner.clientId,
        grant_type: 'client_credentials',
        client_info: '1',
        client_secret: owner.clientSecret,
        claims: '{"access_token": {"xms_cc": {"values": ["CP1"]}}}',
        scope: 'https://management.core.windows.net//.default',
      }),
    });
    assert.equal(adfs.status, 200, adfs.text());
    const adfsBody = adfs.json<{ token_type: string; expires_in: number; ext_expires_in: number; access_token: string }>();
    assert.deepEqual(Object.keys(adfsBody).sort(), ['access_token', 'expires_in', 'ext_expires_in', 'token_type']);
    assert.equal(typeof adfsBody.expires_in, 'number');
    const adfsClaims = decodeJwt(adfsBody.access_token);
    assert.equal(adfsClaims.iss, `${server.baseUrl}/adfs`);
    assert.equal(adfsClaims.aud, 'https://management.core.windows.net/');
    assert.equal(adfsClaims.tid, owner.tenantId);
  });

  it("refuses malformed token requests with Entra's codes", async () => {
    const post = (body: Record<string, string>, tenant = owner.tenantId) =>
      server.request(`/${tenant}/oauth2/v2.0/token`, { method: 'POST', headers: FORM, body: form(body) });
    const credentials = { client_id: owner.clientId, client_secret: owner.clientSecret };
    entraError(await post({ ...credentials, grant_type: 'authorization_code', scope: 'https://x/.default' }), 400, 70003, 'unsupported_grant_type');
    entraError(await post({ ...credentials, grant_type: 'client_credentials' }), 400, 900144, 'invalid_request');
    entraError(await post({ ...credentials, grant_type: 'client_credentials', scope: 'https://x/read' }), 400, 1002012, 'invalid_scope');
    entraError(await post({ ...credentials, grant_type: 'client_credentials', scope: '/.default' }), 400, 70011, 'invalid_scope');
    entraError(await post({ client_id: owner.clientId, grant_type: 'client_credentials', scope: 'https://x/.default' }), 401, 7000218, 'invalid_client');
    entraError(
      await post({ client_secret: owner.clientSecret, grant_type: 'client_credentials', scope: 'https://x/.default' }),
      400,
      900144,
      'invalid_request',
    );
    entraError(await post({ ...credentials, scope: 'https://x/.default' }), 400, 900144, 'invalid_request');
    entraError(await post({ ...credentials, grant_type: 'client_credentials', scope: 'https://x/.default' }, 'nosuchtenant'), 400, 90002, 'invalid_tenant');
    // The aliases reach the installation's tenant.
    const viaAlias = await post({ ...credentials, grant_type: 'client_credentials', scope: 'https://x/.default' }, 'organizations');
    assert.equal(viaAlias.status, 200, viaAlias.text());
    assert.equal(decodeJwt(viaAlias.json<{ access_token: string }>().access_token).iss, `${server.baseUrl}/${owner.tenantId}/v2.0`);
  });

  it("gives ManagedIdentityCredential a token for the host's identity from the IMDS endpoint", async () => {
    const raw = await server.request('/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com', {
      headers: { Metadata: 'true' },
    });
    assert.equal(raw.status, 200, raw.text());
    const imds = raw.json<Record<string, string>>();
    assert.match(imds.client_id!, GUID);
    assert.equal(imds.resource, 'https://management.azure.com');
    assert.equal(imds.token_type, 'Bearer');
    assert.match(imds.expires_on!, /^\d+$/);

    const token = await managedIdentityCredential(server).getToken('https://management.azure.com/.default');
    const claims = decodeJwt(token.token);
    assert.equal(claims.appid, imds.client_id);
    assert.equal(claims.idtyp, 'app');
    assert.equal(claims.tid, owner.tenantId);
    assert.equal(claims.aud, 'https://management.azure.com');
    assert.equal(claims.iss, `${server.baseUrl}/${owner.tenantId}/`);

    const repeated = await server.request('/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://a&resource=https://b', {
      headers: { Metadata: 'true' },
    });
    assert.equal(repeated.status, 200, repeated.text());
    assert.equal(repeated.json<{ resource: string }>().resource, 'https://a');
    const noHeader = await server.request('/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://x');
    assert.equal(noHeader.status, 400);
    assert.match(noHeader.json<{ error_description: string }>().error_description, /metadata header/i);
    const unknown = await server.request(
      '/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://x&client_id=11111111-2222-3333-4444-555555555555',
      { headers: { Metadata: 'true' } },
    );
    assert.equal(unknown.status, 400);
    assert.deepEqual(unknown.json<{ error: string }>().error, 'invalid_request');
    assert.match(unknown.json<{ error_description: string }>().error_description, /Identity not found/);
  });

  it('never logs the secrets it was sent', () => {
    assert.match(server.logs(), /"route":"identity\.token\.v2"/);
    assert.ok(!server.logs().includes(owner.clientSecret));
    assert.ok(!server.logs().includes('not-the-secret'));
  });

  describe("after changes made to the stopped server's store", () => {
    let builderClientId: string;
    let expiredSecret: string;
    const password = 'correct horse battery staple';

    before(async () => {
      await server.stop();
      const store = await openMetadataStore({ driver: 'sqlite', path: join(server.dataDir, 'metadata.sqlite') });
      try {
        const directory = new IdentityDirectory(store, owner.tenantId, new SecretHasher());
        const principal = await directory.findApplication(owner.clientId);
        assert.ok(principal);
        const old = await directory.addClientSecret(principal.objectId, {
          displayName: 'old',
          startAt: new Date(Date.now() - 3 * 86400_000),
          endAt: new Date(Date.now() - 86400_000),
        });
        expiredSecret = old.secret;
        await directory.createUser({ userName: 'Alice@wharf.localhost', displayName: 'Alice', password });
        builderClientId = (await directory.createManagedIdentity({ displayName: 'builder' })).appId!;
      } finally {
        await store.close();
      }
      server = await restartWharf(server);
    });

    it('fails an expired secret with AADSTS7000222 while the current one still works', async () => {
      const scope = `${server.baseUrl}/.default`;
      const expired = await sdkError(servicePrincipalCredential(server, { ...owner, clientSecret: expiredSecret }).getToken(scope));
      assert.match(expired, new RegExp(`AADSTS7000222: The provided client secret keys for app '${owner.clientId}' are expired`));
      const current = await servicePrincipalCredential(server, owner).getToken(scope);
      assert.equal(decodeJwt(current.token).appid, owner.clientId);
    });

    it('signs a user in with the password grant and refreshes the session', async () => {
      const clientId = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';
      const signIn = await server.request(`/${owner.tenantId}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: FORM,
        body: form({
          grant_type: 'password',
          client_id: clientId,
          username: 'alice@wharf.localhost',
          password,
          scope: 'https://containerregistry.azure.net/.default openid profile offline_access',
          client_info: '1',
        }),
      });
      assert.equal(signIn.status, 200, signIn.text());
      const tokens = signIn.json<Record<string, string>>();
      const claims = decodeJwt(tokens.access_token!);
      assert.equal(claims.idtyp, 'user');
      assert.equal(claims.upn, 'alice@wharf.localhost');
      assert.equal(claims.preferred_username, 'alice@wharf.localhost');
      assert.equal(claims.unique_name, 'alice@wharf.localhost');
      assert.equal(claims.azp, clientId);
      assert.equal(claims.aud, 'https://containerregistry.azure.net');
      const idToken = decodeJwt(tokens.id_token!);
      assert.equal(idToken.aud, clientId);
      assert.equal(idToken.oid, claims.oid);
      assert.deepEqual(JSON.parse(Buffer.from(tokens.client_info!, 'base64url').toString()), { uid: claims.oid, utid: owner.tenantId });
      assert.ok(tokens.refresh_token);
      // A refresh token is not an access token: its audience is its own.
      assert.notEqual(decodeJwt(tokens.refresh_token!).aud, 'https://containerregistry.azure.net');

      const refreshed = await server.request(`/${owner.tenantId}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: FORM,
        body: form({
          grant_type: 'refresh_token',
          client_id: clientId,
          refresh_token: tokens.refresh_token!,
          scope: 'https://management.azure.com//.default openid',
        }),
      });
      assert.equal(refreshed.status, 200, refreshed.text());
      const again = refreshed.json<Record<string, string>>();
      assert.equal(decodeJwt(again.access_token!).aud, 'https://management.azure.com/');
      assert.equal(decodeJwt(again.access_token!).oid, claims.oid);

      const otherClient = await server.request(`/${owner.tenantId}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: FORM,
        body: form({ grant_type: 'refresh_token', client_id: owner.clientId, refresh_token: tokens.refresh_token! }),
      });
      entraError(otherClient, 400, 70000, 'invalid_grant');
      const forged = await server.request(`/${owner.tenantId}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: FORM,
        body: form({ grant_type: 'refresh_token', client_id: clientId, refresh_token: tokens.access_token! }),
      });
      entraError(forged, 400, 9002313, 'invalid_grant');
    });

    it('refuses a wrong password with AADSTS50126 and an unknown user with AADSTS50034', async () => {
      const post = (username: string, pw: string) =>
        server.request(`/${owner.tenantId}/oauth2/v2.0/token`, {
          method: 'POST',
          headers: FORM,
          body: form({ grant_type: 'password', client_id: '04b07795-8ddb-461a-bbee-02f9e1bf7b46', username, password: pw, scope: 'https://x/.default' }),
        });
      entraError(await post('alice@wharf.localhost', 'wrong password'), 400, 50126, 'invalid_grant');
      entraError(await post('bob@wharf.localhost', password), 400, 50034, 'invalid_grant');
    });

    it('never logs the secrets and passwords it was sent', () => {
      assert.match(server.logs(), /"route":"identity\.token\.v2"/);
      for (const secret of [owner.clientSecret, expiredSecret, password, 'wrong password']) assert.ok(!server.logs().includes(secret), secret);
    });

    it('gives ManagedIdentityCredential a user-assigned identity named by client id', async () => {
      const token = await managedIdentityCredential(server, { clientId: builderClientId }).getToken('https://management.azure.com/.default');
      const claims = decodeJwt(token.token);
      assert.equal(claims.appid, builderClientId);
      assert.equal(claims.idtyp, 'app');
    });
  });
});

describe('identity plane throttling', () => {
  let server: WharfServer;
  before(async () => {
    server = await startWharf({ secure: true });
  });
  after(async () => server?.stop());

  it('locks an identity for the address that failed 10 times, even for the right secret, but not for other addresses', async () => {
    const owner = readBootstrapOwner(server);
    const elsewhere = new Agent({ localAddress: '127.0.0.2', connect: { ca: readFileSync(server.caFile!, 'utf8') } });
    const attempt = (secret: string, dispatcher?: Agent) =>
      server.request(`/${owner.tenantId}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: FORM,
        body: form({ grant_type: 'client_credentials', client_id: owner.clientId, client_secret: secret, scope: 'https://x/.default' }),
        ...(dispatcher ? { dispatcher } : {}),
      });
    try {
      for (let i = 0; i < 10; i++) entraError(await attempt(`wrong-${i}`), 401, 7000215, 'invalid_client');
      const limited = await attempt('wrong-10');
      const body = entraError(limited, 400, 50053, 'invalid_grant');
      assert.match(body.error_description, /account is locked/);
      assert.match(limited.headers['retry-after'] ?? '', /^\d+$/);
      assert.ok(Number(limited.headers['retry-after']) <= 60);
      entraError(await attempt(owner.clientSecret), 400, 50053, 'invalid_grant');
      // A stranger's failures do not lock the owner out: from an address that has not failed, the secret works.
      assert.equal((await attempt(owner.clientSecret, elsewhere)).status, 200);
    } finally {
      await elsewhere.close();
    }
  });
});

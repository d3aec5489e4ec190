/**
 * IdentityPlane.verifyAccessToken and redeemRefreshToken, which the ACR token server
 * (/oauth2/exchange) and the management plane call: every way a token can be refused, and
 * the claims of an accepted one. Runs on a real SQLite store and key ring; tokens come from
 * the plane's own issuer, or are forged with the same keys to prove the issuer, audience and
 * claim checks do not lean on the signature alone.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateKeyPair, SignJWT } from 'jose';
import { ensureScaffold, type ArmDefaults } from '../../src/domain/scaffold.js';
import { configSchema } from '../../src/kernel/config.js';
import { SecretHasher, Sealer } from '../../src/kernel/secrets.js';
import { KeyRing } from '../../src/identity/key-ring.js';
import { AccessTokenRejected, IdentityPlane } from '../../src/identity/identity-plane.js';
import { TokenIssuer } from '../../src/identity/token-issuer.js';
import { openMetadataStore } from '../../src/storage/metadata/open.js';
import type { IdentityRecord, MetadataStore } from '../../src/storage/metadata/store.js';
import { tempDir } from '../helpers/tmp.js';

const ORIGIN = 'https://login.wharf.localhost:8443';

async function rejection(promise: Promise<unknown>): Promise<AccessTokenRejected> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AccessTokenRejected, String(error));
    return error;
  }
  assert.fail('expected the token to be refused');
}

describe('identity plane token verification', () => {
  let store: MetadataStore;
  let keys: KeyRing;
  let arm: ArmDefaults;
  let plane: IdentityPlane;
  let app: IdentityRecord;
  let user: IdentityRecord;

  before(async () => {
    store = await openMetadataStore({ driver: 'sqlite', path: join(tempDir('identity-verify'), 'metadata.sqlite') });
    arm = await ensureScaffold(store);
    keys = await new KeyRing(store, new Sealer(randomBytes(32))).init();
    const config = configSchema.parse({});
    plane = new IdentityPlane({ store, keys, arm, config, secrets: new SecretHasher() });
    app = await plane.directory.createServicePrincipal({ displayName: 'ci' });
    user = await plane.directory.createUser({ userName: 'dev@wharf.localhost', password: 'long enough password' });
  });
  after(async () => store?.close());

  it('accepts its own tokens in every flavor, comparing audiences without the trailing slash', async () => {
    for (const flavor of ['v2', 'v1', 'adfs'] as const) {
      const { token, jwtId, expiresOn } = await plane.issuer.accessToken(app, { origin: ORIGIN, flavor, resource: 'https://management.azure.com/' });
      const claims = await plane.verifyAccessToken(token, ['https://management.azure.com']);
      assert.deepEqual(claims, {
        tenantId: arm.tenantId,
        objectId: app.objectId,
        type: 'ServicePrincipal',
        appId: app.appId,
        name: app.appId,
        audience: 'https://management.azure.com/',
        jwtId,
        expiresAt: expiresOn,
        credential: null,
      });
    }
    const { token } = await plane.issuer.accessToken(user, { origin: ORIGIN, flavor: 'v2', resource: 'https://x', clientAppId: 'cli' });
    const claims = await plane.verifyAccessToken(token, 'any');
    assert.equal(claims.type, 'User');
    assert.equal(claims.name, 'dev@wharf.localhost');
    assert.equal(claims.appId, null);
  });

  it('refuses another audience, naming it', async () => {
    const { token } = await plane.issuer.accessToken(app, { origin: ORIGIN, flavor: 'v2', resource: 'https://management.azure.com' });
    const error = await rejection(plane.verifyAccessToken(token, ['wharf.localhost', 'https://wharf.localhost']));
    assert.equal(error.reason, 'wrong-audience');
    assert.equal(
      error.message,
      "the token's audience 'https://management.azure.com' is not accepted here (expected 'wharf.localhost' or 'https://wharf.localhost')",
    );
  });

  it('refuses an expired token', async () => {
    const stale = new TokenIssuer(keys, -120);
    const { token } = await stale.accessToken(app, { origin: ORIGIN, flavor: 'v2', resource: 'https://x' });
    const error = await rejection(plane.verifyAccessToken(token, 'any'));
    assert.equal(error.reason, 'expired');
    assert.equal(error.message, 'the token has expired');
  });

  it('refuses a refresh token where an access token is expected', async () => {
    const refresh = await plane.issuer.refreshToken(user, {
      origin: ORIGIN,
      flavor: 'v2',
      clientId: 'cli',
      resource: 'https://x',
      scope: 'https://x/.default',
      credential: null,
    });
    const error = await rejection(plane.verifyAccessToken(refresh, 'any'));
    assert.equal(error.reason, 'wrong-audience');
  });

  it('refuses tokens of other issuers even when signed with the same keys', async () => {
    for (const issuer of ['wharf.localhost', 'https://sts.windows.net/x/', `${ORIGIN}/${arm.tenantId}/oauth2`, `${ORIGIN}/adfs/x`]) {
      const token = await keys.sign({ tid: arm.tenantId, oid: app.objectId, idtyp: 'app', appid: app.appId }, { issuer, audience: 'https://x', lifetime: 600 });
      const error = await rejection(plane.verifyAccessToken(token, 'any'));
      assert.equal(error.reason, 'wrong-issuer', issuer);
    }
    // The issuer's tenant must be the token's.
    const otherTenant = '00000000-1111-2222-3333-444444444444';
    const mismatched = await keys.sign(
      { tid: arm.tenantId, oid: app.objectId, idtyp: 'app', appid: app.appId },
      { issuer: `${ORIGIN}/${otherTenant}/v2.0`, audience: 'https://x', lifetime: 600 },
    );
    assert.equal((await rejection(plane.verifyAccessToken(mismatched, 'any'))).reason, 'wrong-issuer');
    // ACR-style tokens from the same key ring lack the identity plane's claims.
    const bare = await keys.sign({ tid: arm.tenantId, oid: app.objectId }, { issuer: `${ORIGIN}/${arm.tenantId}/v2.0`, audience: 'https://x', lifetime: 600 });
    assert.equal((await rejection(plane.verifyAccessToken(bare, 'any'))).reason, 'malformed');
  });

  /** A token with the plane's claims, signed by a key this server does not hold. */
  async function forgedToken(kid: string): Promise<string> {
    const { privateKey } = await generateKeyPair('RS256');
    return new SignJWT({ tid: arm.tenantId, oid: app.objectId, idtyp: 'app', appid: app.appId })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(`${ORIGIN}/${arm.tenantId}/v2.0`)
      .setAudience('https://x')
      .setIssuedAt()
      .setExpirationTime('10m')
      .setJti('j')
      .sign(privateKey);
  }

  it('does not reload the key ring for every token with an unknown kid', async () => {
    const forged = await forgedToken('made-up');
    const list = store.signingKeys.list.bind(store.signingKeys);
    let loads = 0;
    store.signingKeys.list = () => {
      loads++;
      return list();
    };
    try {
      for (let i = 0; i < 200; i++) {
        await assert.rejects(keys.verify(forged, { issuer: `${ORIGIN}/${arm.tenantId}/v2.0`, audience: 'https://x' }));
      }
    } finally {
      store.signingKeys.list = list;
    }
    assert.ok(loads <= 1, `200 tokens with an unknown kid reloaded the key ring ${loads} times`);
  });

  it('refuses a token signed by a key it does not hold, or not a JWT at all', async () => {
    const forged = await forgedToken('not-ours');
    assert.equal((await rejection(plane.verifyAccessToken(forged, 'any'))).reason, 'bad-signature');
    assert.equal((await rejection(plane.verifyAccessToken('not.a.jwt', 'any'))).reason, 'malformed');
  });

  it('refuses the token of an identity deleted since, and redeems refresh tokens of live users only', async () => {
    const gone = await plane.directory.createServicePrincipal({ displayName: 'gone' });
    const { token } = await plane.issuer.accessToken(gone, { origin: ORIGIN, flavor: 'v2', resource: 'https://x' });
    const departing = await plane.directory.createUser({ userName: 'leaver@wharf.localhost', password: 'long enough password' });
    const signIn = await plane.directory.authenticateUser(null, 'leaver@wharf.localhost', 'long enough password');
    assert.ok(signIn.ok);
    const refresh = await plane.issuer.refreshToken(departing, {
      origin: ORIGIN,
      flavor: 'v2',
      clientId: 'cli',
      resource: 'https://x',
      scope: 'https://x/.default',
      credential: signIn.credential,
    });
    const redeemed = await plane.redeemRefreshToken(refresh);
    assert.equal(redeemed.type, 'User');
    assert.equal(redeemed.name, 'leaver@wharf.localhost');
    assert.equal(redeemed.audience, 'https://x');

    await store.identities.delete(gone.objectId);
    await store.identities.delete(departing.objectId);
    const error = await rejection(plane.verifyAccessToken(token, 'any'));
    assert.equal(error.reason, 'unknown-identity');
    assert.equal(error.message, `application '${gone.appId}' no longer exists`);
    assert.equal((await rejection(plane.redeemRefreshToken(refresh))).reason, 'unknown-identity');
    const { token: access } = await plane.issuer.accessToken(user, { origin: ORIGIN, flavor: 'v2', resource: 'https://x' });
    assert.equal((await rejection(plane.redeemRefreshToken(access))).reason, 'malformed');
  });
});

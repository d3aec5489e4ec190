/**
 * A credential that does not expire (the admin password, a token password, a client secret),
 * given to `docker login`, `podman login` or `skopeo login`, keeps working past the refresh-token
 * lifetime: docker keeps the password in config.json (Wharf gives it no refresh token to keep
 * instead), and podman and skopeo read what docker left. The server runs with
 * auth.refreshTokenMinutes = 30, then again with its clock 45 minutes on
 * (test/helpers/clock-shift.ts). Expired refresh tokens say how long they live here, in the
 * caller's language, and name the sign-in they came from.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { ClientSandbox, containersTls, ok } from '../helpers/clients.js';
import { buildImageLayout } from '../helpers/oci-layout.js';
import { identityToken, ROLE, WharfAdmin } from '../helpers/wharf-admin.js';
import { tempDir } from '../helpers/tmp.js';
import { runWharfCli } from '../helpers/wharf-cli.js';
import { restartWharf, startWharf, type WharfServer } from '../helpers/wharf-server.js';

const CLOCK_SHIFT = fileURLToPath(new URL('../helpers/clock-shift.js', import.meta.url));
const LOGIN_SERVER = 'wharf.localhost';
const NULL_GUID = '00000000-0000-0000-0000-000000000000';
const IMAGE = 'lasting/app:v1';

let w: WharfServer;
let admin: WharfAdmin;
const image = buildImageLayout({ layers: 1, layerSize: 2048 });

/** Who signs in, and the sandboxes (each its own docker config and auth.json) they signed in from. */
let adminPassword: string;
let tokenPassword: string;
let sp: { appId: string; objectId: string; secret: string };
const dockerAdmin = new ClientSandbox();
const dockerToken = new ClientSandbox();
const dockerSp = new ClientSandbox();
const podmanToken = new ClientSandbox();
const skopeoSp = new ClientSandbox();
const dockerAz = new ClientSandbox();
/** Refresh tokens obtained before the clock moves, by how they were obtained. */
const refresh: Record<'az' | 'wharf' | 'sdk' | 'password', string> = { az: '', wharf: '', sdk: '', password: '' };

const dockerEnv = () => ({ SSL_CERT_FILE: w.caFile! });
const dockerLogin = (c: ClientSandbox, user: string, password: string) =>
  c.docker(['login', '-u', user, '-p', password, w.host], { env: dockerEnv(), timeoutMs: 60_000 });
const dockerInspect = (c: ClientSandbox) => c.docker(['manifest', 'inspect', `${w.host}/${IMAGE}`], { env: dockerEnv(), timeoutMs: 60_000 });
const skopeoInspect = (c: ClientSandbox) => c.skopeo(['inspect', '--tls-verify=true', '--cert-dir', w.caDir!, `docker://${w.host}/${IMAGE}`]);

function dockerEntry(c: ClientSandbox): { auth?: string; identitytoken?: string } {
  const config = JSON.parse(readFileSync(join(c.env.DOCKER_CONFIG!, 'config.json'), 'utf8')) as {
    auths?: Record<string, { auth?: string; identitytoken?: string }>;
  };
  return config.auths?.[w.host] ?? {};
}

function assertKeepsPassword(c: ClientSandbox, user: string, password: string): void {
  const entry = dockerEntry(c);
  assert.equal(entry.identitytoken, undefined, 'docker must keep the password, not a refresh token that expires before it');
  assert.equal(Buffer.from(entry.auth ?? '', 'base64').toString('utf8'), `${user}:${password}`);
}

async function exchange(userAgent: string): Promise<string> {
  const aad = await identityToken(w, { tenantId: admin.owner.tenantId, clientId: sp.appId, clientSecret: sp.secret });
  const res = await w.request('/oauth2/exchange', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': userAgent },
    body: new URLSearchParams({ grant_type: 'access_token', service: LOGIN_SERVER, tenant: admin.owner.tenantId, access_token: aad }).toString(),
  });
  assert.equal(res.status, 200, res.text());
  return res.json<{ refresh_token: string }>().refresh_token;
}

const redeem = (token: string, language?: string) =>
  w.request('/oauth2/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(language ? { 'accept-language': language } : {}) },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      service: LOGIN_SERVER,
      scope: `repository:${IMAGE.split(':')[0]}:pull`,
      refresh_token: token,
    }).toString(),
  });

before(async () => {
  w = await startWharf({ secure: true, config: { auth: { refreshTokenMinutes: 30 } } });
  admin = new WharfAdmin(w);
  adminPassword = await admin.enableAdmin();
  tokenPassword = await admin.createToken('lasting-token', ['repositories/lasting/app/content/read']);
  sp = await admin.createServicePrincipal('lasting-sp');
  await admin.assignRole(sp.objectId, ROLE.AcrPull);
  ok(
    await new ClientSandbox().skopeo([
      'copy',
      '--dest-tls-verify=true',
      '--dest-cert-dir',
      w.caDir!,
      '--dest-creds',
      `wharf:${adminPassword}`,
      image.ref,
      `docker://${w.host}/${IMAGE}`,
    ]),
  );

  // Every sign-in, while the clock is right.
  ok(await dockerLogin(dockerAdmin, 'wharf', adminPassword));
  ok(await dockerLogin(dockerToken, 'lasting-token', tokenPassword));
  ok(await dockerLogin(dockerSp, sp.appId, sp.secret));
  ok(await podmanToken.podman(['login', '--cert-dir', w.caDir!, '-u', 'lasting-token', '-p', tokenPassword, w.host]));
  ok(await skopeoSp.skopeo(['login', '--cert-dir', w.caDir!, '-u', sp.appId, '-p', sp.secret, w.host]));
  // az acr login: /oauth2/exchange (python-requests), then docker login with the null GUID.
  refresh.az = await exchange('python-requests/2.28.1');
  ok(await dockerLogin(dockerAz, NULL_GUID, refresh.az));
  // wharf login --registry … --expose-token: the real CLI's exchange.
  const cli = await runWharfCli(tempDir('wharf-home'), ['login', '--data', w.dataDir, '--server', w.baseUrl, '--registry', 'wharf', '--expose-token']);
  assert.equal(cli.code, 0, cli.stderr);
  refresh.wharf = (JSON.parse(cli.stdout) as { accessToken: string }).accessToken;
  refresh.sdk = await exchange('azsdk-js-containerregistry/1.1.0 core-rest-pipeline/1.10.0 Node/v20');
  const offline = await w.request('/oauth2/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', service: LOGIN_SERVER, username: 'wharf', password: adminPassword, access_type: 'offline' }).toString(),
  });
  assert.equal(offline.status, 200, offline.text());
  refresh.password = offline.json<{ refresh_token: string }>().refresh_token;
  assert.ok(refresh.password, 'POST grant_type=password&access_type=offline still asks for a refresh token explicitly');

  // 45 minutes later: every refresh token (30 minutes) has expired, no password has.
  await w.stop();
  w = await restartWharf(w, { env: { NODE_OPTIONS: `--import=${CLOCK_SHIFT}`, WHARF_TEST_CLOCK_SHIFT_MS: String(45 * 60_000) } });
});

after(async () => {
  await w?.stop();
});

describe('docker login with a credential that does not expire keeps working past the refresh-token lifetime', () => {
  test('docker login with the admin password stores `auth`, and docker manifest inspect works 45 minutes on', async () => {
    assertKeepsPassword(dockerAdmin, 'wharf', adminPassword);
    const inspected = JSON.parse(ok(await dockerInspect(dockerAdmin)).stdout) as { config: { digest: string } };
    assert.equal(inspected.config.digest, image.configDigest);
  });

  test('docker login with a token password: skopeo reads the docker config and pulls 45 minutes on', async () => {
    assertKeepsPassword(dockerToken, 'lasting-token', tokenPassword);
    ok(await skopeoInspect(dockerToken));
    ok(await dockerInspect(dockerToken));
  });

  test('docker login with a service principal secret: podman reads the docker config and pulls 45 minutes on', async () => {
    assertKeepsPassword(dockerSp, sp.appId, sp.secret);
    ok(await dockerSp.podman(['pull', ...containersTls(w), `${w.host}/${IMAGE}`]));
  });

  test('podman login with a token password and skopeo login with a client secret work 45 minutes on', async () => {
    ok(await podmanToken.podman(['pull', ...containersTls(w), `${w.host}/${IMAGE}`]));
    ok(await skopeoInspect(skopeoSp));
  });
});

describe('an expired refresh token says how long they live here and which sign-in renews it', () => {
  test('az acr login’s identity token (docker login with the null GUID): docker names the lifetime and az acr login', async () => {
    // az acr login's docker login gets a refresh token back, as with ACR: docker keeps it.
    assert.ok(dockerEntry(dockerAz).identitytoken, 'the null GUID login is given a refresh token to keep');
    const r = await dockerInspect(dockerAz);
    assert.notEqual(r.code, 0, r.stdout);
    assert.match(r.stderr, /refresh token has expired \(they live 30 minutes on this registry\): sign in again: az acr login -n wharf/, r.stderr);
  });

  test('the lifetime is the configured one, in the caller’s language, and the sign-in is the one used', async () => {
    const cases: [keyof typeof refresh, string, RegExp][] = [
      ['az', 'en', /they live 30 minutes on this registry\): sign in again: az acr login -n wharf \(/],
      ['wharf', 'fr-FR', /leur durée de validité est de 30 minutes\) : reconnectez-vous : wharf registry-login -n wharf \(/],
      ['sdk', 'sv', /gäller de i 30 minuter\): logga in igen: az acr login -n wharf \(/],
      ['password', 'pl', /w tym rejestrze: 30 minut\): zaloguj się ponownie: docker login localhost:\d+ -u wharf \(/],
      ['password', 'pt-BR', /eles valem por 30 minutos\): entre novamente: docker login localhost:\d+ -u wharf \(/],
    ];
    for (const [origin, language, expected] of cases) {
      const res = await redeem(refresh[origin], language);
      assert.equal(res.status, 401, `${origin}: ${res.text()}`);
      assert.match(res.json<{ errors: { message: string }[] }>().errors[0]!.message, expected, `${origin} in ${language}`);
    }
    assert.doesNotMatch((await redeem(refresh.az)).text(), /3 hours/);
  });

  test('the expired token with the null GUID as a skopeo credential gives the same words', async () => {
    const r = await new ClientSandbox().skopeo([
      'inspect',
      '--tls-verify=true',
      '--cert-dir',
      w.caDir!,
      '--creds',
      `${NULL_GUID}:${refresh.wharf}`,
      `docker://${w.host}/${IMAGE}`,
    ]);
    assert.notEqual(r.code, 0, r.stdout);
    assert.match(r.stderr, /refresh token has expired \(they live 30 minutes on this registry\): sign in again: wharf registry-login -n wharf/, r.stderr);
  });
});

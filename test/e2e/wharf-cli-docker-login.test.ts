/**
 * `wharf login --registry` and `wharf registry-login` leave the registry's ACR refresh token in
 * the Docker config as an identity token (what `az acr login` leaves through docker login), and
 * docker, skopeo and podman then pull with nothing else: no --creds, no auth.json entry. The
 * registry's login server is 127.0.0.1:<port>, so the clients' image references name the same
 * host the Docker config entry is keyed by. Deleting the identity revokes the token: each client
 * then fails with its usual unauthorized error.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ClientSandbox, containersTls, ok as clientOk, type ClientResult } from '../helpers/clients.js';
import { eventually } from '../helpers/eventually.js';
import { buildImageLayout } from '../helpers/oci-layout.js';
import { tempDir } from '../helpers/tmp.js';
import { runWharfCli, type CliResult } from '../helpers/wharf-cli.js';
import { freePort, startWharf, type WharfServer } from '../helpers/wharf-server.js';

const NULL_GUID = '00000000-0000-0000-0000-000000000000';

function describeRun(args: string[], result: CliResult): string {
  return `wharf ${args.join(' ')} → exit ${result.code}\n--- stdout:\n${result.stdout}\n--- stderr:\n${result.stderr}`;
}

interface DockerConfig {
  auths: Record<string, { auth?: string; identitytoken?: string }>;
  [key: string]: unknown;
}

describe('wharf login stores the ACR refresh token for docker, skopeo and podman', () => {
  let server: WharfServer;
  let loginServer: string;
  let ownerHome: string;
  let puller: { appId: string; password: string; tenant: string };
  let subscription: string;
  const image = buildImageLayout({ tag: 'v1' });
  /** The puller's client sandbox: its DOCKER_CONFIG and HOME are where wharf writes. */
  const clients = new ClientSandbox();
  const configFile = join(clients.env.DOCKER_CONFIG!, 'config.json');
  const pullerHome = tempDir('wharf-home-puller');

  async function owner(args: string[], env: Record<string, string> = {}): Promise<string> {
    const result = await runWharfCli(ownerHome, args, { env });
    assert.equal(result.code, 0, describeRun(args, result));
    return result.stdout;
  }
  const sandboxEnv = (sandbox: ClientSandbox) => ({ DOCKER_CONFIG: sandbox.env.DOCKER_CONFIG!, HOME: sandbox.env.HOME! });
  const skopeoInspect = (sandbox: ClientSandbox): Promise<ClientResult> =>
    sandbox.skopeo(['inspect', '--cert-dir', server.caDir!, `docker://${loginServer}/team/app:v1`]);
  const dockerInspect = (sandbox: ClientSandbox): Promise<ClientResult> =>
    sandbox.docker(['manifest', 'inspect', `${loginServer}/team/app:v1`], { env: { SSL_CERT_FILE: server.caFile! } });
  const podmanPull = (sandbox: ClientSandbox): Promise<ClientResult> => sandbox.podman(['pull', ...containersTls(server), `${loginServer}/team/app:v1`]);

  before(async () => {
    const port = await freePort();
    loginServer = `127.0.0.1:${port}`;
    server = await startWharf({ secure: true, port, config: { registries: [{ name: 'wharf', loginServer }] } });
    ownerHome = tempDir('wharf-home-owner');
    // The owner signs in to the registry too, and pushes with the token wharf stored.
    const pusher = new ClientSandbox();
    await owner(['login', '--data', server.dataDir, '--server', server.baseUrl, '--registry', 'wharf'], sandboxEnv(pusher));
    clientOk(await pusher.skopeo(['copy', '--dest-cert-dir', server.caDir!, image.ref, `docker://${loginServer}/team/app:v1`]));

    puller = JSON.parse(await owner(['sp', 'create', '--name', 'puller', '--role', 'AcrPull', '-r', 'wharf', '-o', 'json']));
    // Reader lets the puller read the registry's login server in the management API, as az needs.
    await owner(['role', 'assignment', 'create', '--assignee', puller.appId, '--role', 'Reader', '-r', 'wharf']);
    subscription = (JSON.parse(await owner(['show', '-n', 'wharf', '-o', 'json'])) as { id: string }).id.split('/')[2]!;
    // An existing Docker config: its other entries and settings must survive.
    writeFileSync(configFile, JSON.stringify({ auths: { 'other.example:5000': { auth: 'dXNlcjpwYXNz' } }, psFormat: 'table {{.ID}}' }));
    chmodSync(configFile, 0o644);
  });
  after(async () => server?.stop());

  it('wharf login --registry writes the identity token, keeps the other entries, and makes the file private', async () => {
    const args = [
      'login',
      '--server',
      server.baseUrl,
      '--ca-file',
      server.caFile!,
      '--tenant',
      puller.tenant,
      '--client-id',
      puller.appId,
      '--client-secret-stdin',
      '--subscription',
      subscription,
      '--registry',
      'wharf',
    ];
    // The role assignments reach the token server within a few seconds.
    const result = await eventually(async () => {
      const r = await runWharfCli(pullerHome, args, { input: puller.password, env: sandboxEnv(clients) });
      assert.equal(r.code, 0, describeRun(args, r));
      return r;
    });
    assert.match(result.stdout, /^Logged in to /m);
    assert.match(
      result.stdout,
      new RegExp(`^Login Succeeded: ${loginServer.replace(/\./g, '\\.')}\\. Its ACR refresh token is in ${configFile.replace(/[.]/g, '\\.')}`, 'm'),
    );
    assert.equal(result.stdout.includes(puller.password), false);

    const config = JSON.parse(readFileSync(configFile, 'utf8')) as DockerConfig;
    assert.equal(statSync(configFile).mode & 0o777, 0o600);
    assert.deepEqual(config.auths['other.example:5000'], { auth: 'dXNlcjpwYXNz' });
    assert.equal(config.psFormat, 'table {{.ID}}');
    const entry = config.auths[loginServer]!;
    assert.equal(entry.auth, Buffer.from(`${NULL_GUID}:`).toString('base64'));
    assert.match(entry.identitytoken ?? '', /^[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.equal(result.stdout.includes(entry.identitytoken!), false, 'the token is stored, not printed');
    const claims = JSON.parse(Buffer.from(entry.identitytoken!.split('.')[1]!, 'base64url').toString('utf8')) as { aud: string };
    assert.equal(claims.aud, loginServer);
  });

  it('skopeo, podman and docker pull with only the stored identity token', async () => {
    const inspected = JSON.parse(clientOk(await skopeoInspect(clients)).stdout) as { Digest: string };
    assert.equal(inspected.Digest, image.manifestDigest);

    clientOk(await podmanPull(clients));
    const local = JSON.parse(clientOk(await clients.podman(['image', 'inspect', `${loginServer}/team/app:v1`])).stdout) as { Digest: string }[];
    assert.equal(local[0]!.Digest, image.manifestDigest);

    const manifest = JSON.parse(clientOk(await dockerInspect(clients)).stdout) as { config: { digest: string } };
    assert.equal(manifest.config.digest, image.configDigest);
  });

  it('without a stored token the same pulls are refused', async () => {
    const empty = new ClientSandbox();
    const refused = await skopeoInspect(empty);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /unauthorized/i);
  });

  it('registry-login --expose-token prints the token as az does and leaves the Docker config alone', async () => {
    const before = readFileSync(configFile, 'utf8');
    const result = await runWharfCli(pullerHome, ['registry-login', '-n', 'wharf', '--expose-token'], { env: sandboxEnv(clients) });
    assert.equal(result.code, 0, describeRun(['registry-login', '--expose-token'], result));
    const exposed = JSON.parse(result.stdout) as { accessToken: string; loginServer: string };
    assert.deepEqual(Object.keys(exposed).sort(), ['accessToken', 'loginServer']);
    assert.equal(exposed.loginServer, loginServer);
    assert.match(result.stderr, new RegExp(`docker login ${loginServer.replace(/\./g, '\\.')} -u ${NULL_GUID}`));
    assert.equal(readFileSync(configFile, 'utf8'), before);
    // The exposed token is a password for the null GUID, as with az acr login --expose-token.
    const fresh = new ClientSandbox();
    clientOk(
      await fresh.skopeo(['inspect', '--cert-dir', server.caDir!, '--creds', `${NULL_GUID}:${exposed.accessToken}`, `docker://${loginServer}/team/app:v1`]),
    );

    const skipped = await runWharfCli(pullerHome, ['registry-login', '-n', 'wharf', '--no-docker-config'], { env: sandboxEnv(clients) });
    assert.equal(skipped.code, 0, describeRun(['registry-login', '--no-docker-config'], skipped));
    assert.equal(readFileSync(configFile, 'utf8'), before);
  });

  it('registry-login writes ~/.docker/config.json when DOCKER_CONFIG is not set', async () => {
    const home = tempDir('docker-home');
    const result = await runWharfCli(pullerHome, ['registry-login'], { env: { HOME: home, DOCKER_CONFIG: '' } });
    assert.equal(result.code, 0, describeRun(['registry-login'], result));
    const file = join(home, '.docker', 'config.json');
    assert.ok(existsSync(file));
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(join(home, '.docker')).mode & 0o777, 0o700);
    const config = JSON.parse(readFileSync(file, 'utf8')) as DockerConfig;
    assert.deepEqual(Object.keys(config.auths), [loginServer]);
  });

  it('refuses to overwrite a Docker config that is not JSON', async () => {
    const broken = new ClientSandbox();
    const file = join(broken.env.DOCKER_CONFIG!, 'config.json');
    writeFileSync(file, '{"auths": ');
    const result = await runWharfCli(pullerHome, ['registry-login', '-n', 'wharf'], { env: sandboxEnv(broken) });
    assert.equal(result.code, 1, describeRun(['registry-login'], result));
    assert.match(result.stderr, /the Docker config .*config\.json is not valid JSON .* it was left unchanged/);
    assert.equal(readFileSync(file, 'utf8'), '{"auths": ');
  });

  it('a revoked refresh token (its identity deleted) gives each client its usual unauthorized error', async () => {
    await owner(['sp', 'delete', '--id', puller.appId]);
    const skopeo = await eventually(async () => {
      const r = await skopeoInspect(clients);
      assert.notEqual(r.code, 0, r.stdout);
      return r;
    });
    assert.match(skopeo.stderr, /unauthorized: authentication required/i);
    const podman = await podmanPull(clients);
    assert.notEqual(podman.code, 0);
    assert.match(podman.stderr, /unauthorized: authentication required/i);
    const docker = await dockerInspect(clients);
    assert.notEqual(docker.code, 0);
    assert.match(docker.stderr, /unauthorized: authentication required/i);
  });
});

describe('an expired stored refresh token', () => {
  let server: WharfServer;
  let loginServer: string;
  const clients = new ClientSandbox();
  const home = tempDir('wharf-home-expiry');
  /** ACR refresh tokens live 6 s here (auth.refreshTokenMinutes), so expiry can be waited for. */
  const LIFETIME_MS = 6000;
  /** Wharf accepts tokens up to 2 s past their expiry (clock tolerance). */
  const CLOCK_TOLERANCE_MS = 2000;

  before(async () => {
    const port = await freePort();
    loginServer = `127.0.0.1:${port}`;
    server = await startWharf({
      secure: true,
      port,
      config: { registries: [{ name: 'wharf', loginServer }], auth: { refreshTokenMinutes: LIFETIME_MS / 60_000 } },
    });
  });
  after(async () => server?.stop());

  it('while the token is fresh skopeo gets past authentication; once it expired skopeo and docker get unauthorized; registry-login renews it', async () => {
    const env = { DOCKER_CONFIG: clients.env.DOCKER_CONFIG!, HOME: clients.env.HOME! };
    const login = await runWharfCli(home, ['login', '--data', server.dataDir, '--server', server.baseUrl, '--registry', 'wharf'], { env });
    assert.equal(login.code, 0, describeRun(['login'], login));
    const issuedAt = Date.now();
    // No image is needed: with a good token the registry answers "manifest unknown", past authentication.
    const inspect = () => clients.skopeo(['inspect', '--cert-dir', server.caDir!, `docker://${loginServer}/team/app:v1`]);
    const fresh = await inspect();
    assert.notEqual(fresh.code, 0);
    assert.match(fresh.stderr, /manifest unknown/i);

    await new Promise((r) => setTimeout(r, Math.max(0, issuedAt + LIFETIME_MS + CLOCK_TOLERANCE_MS + 500 - Date.now())));
    const skopeo = await inspect();
    assert.notEqual(skopeo.code, 0, skopeo.stdout);
    assert.match(skopeo.stderr, /unauthorized: authentication required/i);
    const docker = await clients.docker(['manifest', 'inspect', `${loginServer}/team/app:v1`], { env: { SSL_CERT_FILE: server.caFile! } });
    assert.notEqual(docker.code, 0, docker.stdout);
    assert.match(docker.stderr, /unauthorized: authentication required/i);

    const renewed = await runWharfCli(home, ['registry-login'], { env });
    assert.equal(renewed.code, 0, describeRun(['registry-login'], renewed));
    const again = await inspect();
    assert.match(again.stderr, /manifest unknown/i);

    // wharf login --expose-token: stdout is only the token's JSON; the sign-in message goes to stderr.
    const exposed = await runWharfCli(home, ['login', '--data', server.dataDir, '--server', server.baseUrl, '--expose-token'], { env });
    assert.equal(exposed.code, 0, describeRun(['login', '--expose-token'], exposed));
    assert.equal(JSON.parse(exposed.stdout).loginServer, loginServer);
    assert.match(exposed.stderr, /^Logged in to /m);
  });
});

/**
 * Defaults that reach every client: a fresh server started with the defaults (on a free port,
 * default domain, no hosts file or DNS) gives its default registry the login server
 * `localhost:<port>`, and az (acr login, repository list, import), docker login, skopeo and
 * podman all work with exactly the ARM `loginServer`, as does the credential `wharf login
 * --registry` stores. Registries never take an address silently: two registries claiming one
 * address stop the start with both named, an ARM create of a clashing name is refused, and a 401
 * names the registry the request resolved to. check-health fails loudly when the ARM login
 * server is not where Wharf is served (publicPort 443 with nothing on 443).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Report } from '../../src/cli/checks/report.js';
import { AzSandbox, type AzResult } from '../helpers/az.js';
import { ClientSandbox, ok as clientOk, type ClientResult } from '../helpers/clients.js';
import { eventually } from '../helpers/eventually.js';
import { buildImageLayout } from '../helpers/oci-layout.js';
import { tempDir } from '../helpers/tmp.js';
import { WharfAdmin } from '../helpers/wharf-admin.js';
import { runWharfCli, type CliResult } from '../helpers/wharf-cli.js';
import { freePort, startWharf, type WharfServer } from '../helpers/wharf-server.js';

function shown(r: AzResult | CliResult | ClientResult, what = 'command' in r ? String(r.command) : 'run'): string {
  return `${what} → ${r.code}\n--- stdout:\n${r.stdout}\n--- stderr:\n${r.stderr}`;
}

describe('a fresh server on the defaults: every client reaches the default registry at the ARM loginServer', () => {
  let server: WharfServer;
  let admin: WharfAdmin;
  let loginServer: string;
  let adminPassword: string;
  const image = buildImageLayout({ layers: 1, tag: 'v1' });
  const clients = new ClientSandbox();

  before(async () => {
    server = await startWharf({ secure: true });
    admin = new WharfAdmin(server);
    adminPassword = await admin.enableAdmin();
    const registry = await admin.ok<{ properties: { loginServer: string } }>('GET', admin.registryId);
    loginServer = registry.properties.loginServer;
  });
  after(async () => server?.stop());

  it("ARM's loginServer is localhost:<port>, and the start-up output lists it", () => {
    assert.equal(loginServer, `localhost:${server.port}`);
    assert.match(server.stdout(), new RegExp(`^  wharf \\(default\\): login server localhost:${server.port}$`, 'm'));
  });

  it('docker login, skopeo and podman with exactly the ARM loginServer', async () => {
    const pushed = await clients.skopeo([
      'copy',
      '--dest-cert-dir',
      server.caDir!,
      '--dest-creds',
      `wharf:${adminPassword}`,
      image.ref,
      `docker://${loginServer}/hello/world:v1`,
    ]);
    clientOk(pushed);
    const docker = await clients.docker(['login', loginServer, '-u', 'wharf', '-p', adminPassword], { env: { SSL_CERT_FILE: server.caFile! } });
    assert.match(clientOk(docker).stdout, /Login Succeeded/, shown(docker));
    const inspected = await clients.docker(['manifest', 'inspect', `${loginServer}/hello/world:v1`], { env: { SSL_CERT_FILE: server.caFile! } });
    assert.equal(JSON.parse(clientOk(inspected).stdout).config.digest, image.configDigest, shown(inspected));
    // Its own sandbox: podman login refuses to replace the identity token docker login stored.
    const podman = new ClientSandbox();
    clientOk(await podman.podman(['login', '--cert-dir', server.caDir!, '-u', 'wharf', '-p', adminPassword, loginServer]));
    clientOk(await podman.podman(['pull', '--cert-dir', server.caDir!, `${loginServer}/hello/world:v1`]));
  });

  it('az acr login, az acr repository list and az acr import against the default registry, with no hosts file', async () => {
    const owner = admin.owner;
    const { az } = await AzSandbox.signedIn(
      { origin: `https://localhost:${server.port}`, domain: 'localhost', caFile: server.caFile! },
      { appId: owner.clientId, secret: owner.clientSecret, tenantId: owner.tenantId },
    );
    // Without a docker engine az acr login cannot run docker login itself: --expose-token, then
    // the docker login az's own hint prints, with the loginServer az got.
    const login = await az.ok(['acr', 'login', '-n', 'wharf', '--expose-token']);
    assert.equal(login.json.loginServer, loginServer, shown(login));
    const docker = new ClientSandbox();
    const dockerLogin = await docker.docker(['login', login.json.loginServer, '-u', '00000000-0000-0000-0000-000000000000', '-p', login.json.accessToken], {
      env: { SSL_CERT_FILE: server.caFile! },
    });
    assert.match(clientOk(dockerLogin).stdout, /Login Succeeded/, shown(dockerLogin));
    const inspected = await docker.docker(['manifest', 'inspect', `${loginServer}/hello/world:v1`], { env: { SSL_CERT_FILE: server.caFile! } });
    assert.equal(JSON.parse(clientOk(inspected).stdout).config.digest, image.configDigest, shown(inspected));

    const list = await az.ok(['acr', 'repository', 'list', '-n', 'wharf']);
    assert.deepEqual(list.json, ['hello/world'], shown(list));
    await az.ok(['acr', 'import', '-n', 'wharf', '--registry', 'wharf', '--source', 'hello/world:v1', '-t', 'hello/copy:v1']);
    const tags = await az.ok(['acr', 'repository', 'show-tags', '-n', 'wharf', '--repository', 'hello/copy']);
    assert.deepEqual(tags.json, ['v1'], shown(tags));
  });

  it('wharf login --registry wharf stores the credential under the loginServer; skopeo, podman and docker use it', async () => {
    const sandbox = new ClientSandbox();
    const home = tempDir('wharf-home-defaults');
    const result = await runWharfCli(home, ['login', '--data', server.dataDir, '--server', `https://localhost:${server.port}`, '--registry', 'wharf'], {
      env: { DOCKER_CONFIG: sandbox.env.DOCKER_CONFIG!, HOME: sandbox.env.HOME! },
    });
    assert.equal(result.code, 0, shown(result, 'wharf login'));
    assert.match(result.stdout, new RegExp(`^Login Succeeded: localhost:${server.port}\\.`, 'm'));
    const config = JSON.parse(readFileSync(join(sandbox.env.DOCKER_CONFIG!, 'config.json'), 'utf8')) as { auths: Record<string, { identitytoken?: string }> };
    assert.deepEqual(Object.keys(config.auths), [loginServer]);

    const inspected = await sandbox.skopeo(['inspect', '--cert-dir', server.caDir!, `docker://${loginServer}/hello/world:v1`]);
    assert.equal(JSON.parse(clientOk(inspected).stdout).Digest, image.manifestDigest);
    clientOk(await sandbox.podman(['pull', '--cert-dir', server.caDir!, `${loginServer}/hello/world:v1`]));
    const docker = await sandbox.docker(['manifest', 'inspect', `${loginServer}/hello/world:v1`], { env: { SSL_CERT_FILE: server.caFile! } });
    assert.equal(JSON.parse(clientOk(docker).stdout).config.digest, image.configDigest);
  });

  it('a 401 names the registry the request resolved to, from /v2/ and from the token server', async () => {
    const anonymous = await server.request('/v2/', { headers: { host: loginServer } });
    assert.equal(anonymous.status, 401);
    assert.equal(
      anonymous.json<{ errors: { message: string }[] }>().errors[0]!.message,
      `authentication required (registry 'wharf', login server ${loginServer})`,
    );
    const french = await server.request('/v2/', { headers: { host: loginServer, 'accept-language': 'fr' } });
    assert.equal(
      french.json<{ errors: { message: string }[] }>().errors[0]!.message,
      `authentification requise (registre 'wharf', serveur de connexion ${loginServer})`,
    );
    // Data and clients of the old default login server keep working: wharf.localhost still routes to it.
    const old = await server.request('/v2/', { headers: { host: `wharf.localhost:${server.port}` } });
    assert.equal(old.json<{ errors: { message: string }[] }>().errors[0]!.message, `authentication required (registry 'wharf', login server ${loginServer})`);
    const wrong = await server.request(`/oauth2/token?service=${encodeURIComponent(loginServer)}&scope=repository:hello/world:pull`, {
      headers: { host: loginServer, authorization: `Basic ${Buffer.from('wharf:not-the-password').toString('base64')}` },
    });
    assert.equal(wrong.status, 401);
    assert.match(
      wrong.json<{ errors: { message: string }[] }>().errors[0]!.message,
      new RegExp(`invalid username or password \\(registry 'wharf', login server ${loginServer}\\)$`),
    );
  });

  it("an ARM-created registry's loginServer is <name>.<domain>:<port>", async () => {
    const body = { location: 'local', sku: { name: 'Standard' } };
    const created = await admin.call('PUT', admin.registryId.replace(/[^/]+$/, 'freshname'), body);
    assert.equal(created.status, 201, created.text());
    const properties = created.json<{ properties: { loginServer: string } }>().properties;
    assert.equal(properties.loginServer, `freshname.localhost:${server.port}`, 'other registries keep <name>.<domain>, with the port');
  });
});

describe('registries from the config file never take an address silently', () => {
  it("the README's old example (ci at localhost:<port>) stops the start, naming both registries", async () => {
    const port = await freePort();
    await assert.rejects(startWharf({ port, config: { registries: [{ name: 'team' }, { name: 'ci', loginServer: `localhost:${port}` }] } }), (error: Error) => {
      assert.match(error.message, /exited with code 2/);
      assert.match(error.message, /wharf: cannot start: registries 'wharf' and 'ci' claim one address: /);
      assert.ok(error.message.includes(`'ci' claims localhost:${port} (its loginServer)`), error.message);
      assert.ok(error.message.includes("'wharf' claims localhost and every IP address, on any port (it is the default registry)"), error.message);
      assert.ok(
        error.message.includes(`Give 'ci' another loginServer in the config file's registries (listed without one, it answers at ci.localhost:${port})`),
        error.message,
      );
      return true;
    });
  });

  it("an explicit loginServer on another registry's <name>.<domain> stops the start too; a free one starts, and ARM cannot create the claimed name", async () => {
    const port = await freePort();
    await assert.rejects(startWharf({ port, config: { registries: [{ name: 'team' }, { name: 'ci', loginServer: 'team.localhost' }] } }), (error: Error) =>
      /registries '(team|ci)' and '(ci|team)' claim one address/.test(error.message),
    );
    const server = await startWharf({ secure: true, port, config: { registries: [{ name: 'ci', loginServer: `cidemo.localhost:${port}` }] } });
    try {
      assert.match(server.stdout(), new RegExp(`^  ci: login server cidemo\\.localhost:${port}$`, 'm'));
      const admin = new WharfAdmin(server);
      const refused = await admin.call('PUT', admin.registryId.replace(/[^/]+$/, 'cidemo'), { location: 'local', sku: { name: 'Standard' } });
      assert.equal(refused.status, 409, refused.text());
      const error = refused.json<{ error: { code: string; message: string } }>().error;
      assert.equal(error.code, 'AlreadyInUse');
      assert.match(error.message, /The registry DNS name cidemo\.localhost is already in use: 'ci' claims cidemo\.localhost:\d+ \(its loginServer\)/);
      const check = await admin.call(
        'POST',
        admin.registryId.replace(/\/resourceGroups\/.*$/, '/providers/Microsoft.ContainerRegistry/checkNameAvailability'),
        {
          name: 'cidemo',
          type: 'Microsoft.ContainerRegistry/registries',
        },
      );
      assert.equal(check.json<{ nameAvailable: boolean }>().nameAvailable, false, check.text());
    } finally {
      await server.stop();
    }
  });
});

describe('check-health fails loudly when the ARM loginServer is not where Wharf is served', () => {
  let server: WharfServer;
  let home: string;

  before(async () => {
    // publicPort 443 without a redirect: ARM says `localhost`, clients go to 443, nothing is there.
    server = await startWharf({ secure: true, config: { publicPort: 443 } });
    home = tempDir('wharf-home-health');
    const login = await runWharfCli(home, ['login', '--data', server.dataDir, '--server', `https://localhost:${server.port}`]);
    assert.equal(login.code, 0, shown(login, 'wharf login'));
  });
  after(async () => server?.stop());

  it('LOGIN_SERVER_UNREACHABLE_ERROR names the address clients use, in English and Polish', async () => {
    const admin = new WharfAdmin(server);
    const registry = await admin.ok<{ properties: { loginServer: string } }>('GET', admin.registryId);
    assert.equal(registry.properties.loginServer, 'localhost');
    for (const [lang, cause] of [
      ['en', `Connecting to 127.0.0.1:443 failed (ECONNREFUSED), while Wharf answers on port ${server.port}`],
      ['pl', `Połączenie z 127.0.0.1:443 nie powiodło się (ECONNREFUSED), a Wharf odpowiada na porcie ${server.port}`],
    ] as const) {
      const run = await runWharfCli(home, ['check-health', '-n', 'wharf', '--skip-environment', '--lang', lang, '-o', 'json']);
      const report = JSON.parse(run.stdout) as Report;
      const errors = report.findings.filter((f) => f.level === 'error');
      assert.deepEqual(
        errors.map((f) => f.code),
        ['LOGIN_SERVER_UNREACHABLE_ERROR'],
        shown(run, 'check-health'),
      );
      assert.equal(run.code, 1);
      assert.ok(errors[0]!.cause?.includes(cause), errors[0]!.cause);
      assert.ok(errors[0]!.fix?.includes('publicPort'), errors[0]!.fix);
    }
  });

  it('with the login server carrying the listening port again, all checks pass', async () => {
    await server.stop();
    server = await startWharf({ ...server.options, config: {} });
    await eventually(async () => {
      const run = await runWharfCli(home, ['check-health', '-n', 'wharf', '--skip-environment', '-o', 'json']);
      const report = JSON.parse(run.stdout) as Report;
      assert.equal(report.ok, true, shown(run, 'check-health'));
      assert.ok(report.findings.some((f) => f.code === undefined || f.level !== 'error'));
    });
  });
});

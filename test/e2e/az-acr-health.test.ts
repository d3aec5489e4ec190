/**
 * The real Azure CLI (azure-cli 2.45) set up by `wharf az-setup`, then `az provider` and
 * `az acr check-health` against Wharf. check-health resolves the login server with
 * gethostbyname and then calls `https://<loginServer>/v2/`, so a login server with a port always
 * fails its DNS step: this file runs Wharf on 127.0.0.1:443, where the default registry's login
 * server is `localhost` (the ARM endpoint is then https://localhost/); then Wharf on another port
 * behind a TCP forwarder on 443 with `publicPort: 443`, the README's way without root for Wharf.
 * Port 443 is held only while this file's tests run.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AzSandbox, type AzResult } from '../helpers/az.js';
import { eventually } from '../helpers/eventually.js';
import { tempDir } from '../helpers/tmp.js';
import { WharfAdmin } from '../helpers/wharf-admin.js';
import { runWharfCli, type CliResult } from '../helpers/wharf-cli.js';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

/** A plain TCP forwarder from 127.0.0.1:443 to `port` (what a port redirect or a TLS-passing proxy does). */
async function forward443(port: number): Promise<{ close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const proxy: Server = createServer((inbound) => {
    const outbound = connect(port, '127.0.0.1');
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((resolve, reject) => proxy.once('error', reject).listen(443, '127.0.0.1', resolve));
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        proxy.close(() => resolve());
      }),
  };
}

const REGISTRY = 'azhealth';
const LOGIN_SERVER = 'localhost';
const ORIGIN = 'https://localhost';

function output(r: AzResult | CliResult): string {
  return `${'command' in r ? r.command : 'wharf'} → ${r.code}\n--- stdout:\n${r.stdout}\n--- stderr:\n${r.stderr}`;
}

describe('azure-cli 2.45 against Wharf on port 443: wharf az-setup, az provider, az acr check-health', () => {
  let server: WharfServer;
  let admin: WharfAdmin;
  let az: AzSandbox;
  let home: string;

  before(async () => {
    // The default registry: on 443 its login server is `localhost` with no setting at all.
    server = await startWharf({ secure: true, port: 443, config: { defaultRegistry: REGISTRY } });
    admin = new WharfAdmin(server, REGISTRY);
    home = tempDir('wharf-home');
    az = new AzSandbox({ origin: ORIGIN, domain: 'localhost', caFile: server.caFile!, name: 'Wharf' });
  });

  after(async () => {
    await server?.stop();
    if (az) process.stdout.write(`# az commands run (${az.history.length}):\n${az.history.map((c) => `#   ${c}`).join('\n')}\n`);
  });

  it("wharf az-setup prints the offline setup for the profile's server, and --run registers the cloud az signs in to", async () => {
    const login = await runWharfCli(home, ['login', '--data', server.dataDir, '--server', ORIGIN]);
    assert.equal(login.code, 0, output(login));

    const printed = await runWharfCli(home, ['az-setup']);
    assert.equal(printed.code, 0, output(printed));
    const lines = printed.stdout.split('\n');
    for (const line of [
      `export REQUESTS_CA_BUNDLE=${server.caFile}`,
      `az cloud register -n Wharf --cloud-config '{"endpoints":{"resourceManager":"https://localhost/","activeDirectory":"https://localhost/adfs",` +
        '"activeDirectoryResourceId":"https://management.core.windows.net/","activeDirectoryGraphResourceId":"https://graph.windows.net/",' +
        '"management":"https://management.core.windows.net/","microsoftGraphResourceId":"https://localhost/"},' +
        `"suffixes":{"acrLoginServerEndpoint":".localhost","storageEndpoint":"localhost"}}'`,
      'az cloud set -n Wharf',
      `az login --service-principal -u '<app-id>' -p '<client-secret>' --tenant ${admin.owner.tenantId}`,
    ]) {
      assert.ok(lines.includes(line), `missing line: ${line}\n${output(printed)}`);
    }
    assert.ok(!printed.stdout.includes(admin.owner.clientSecret), 'the profile secret is never printed');

    // --run does it in az's own configuration (the sandbox's AZURE_CONFIG_DIR).
    const ran = await runWharfCli(home, ['az-setup', '--run'], { env: az.env, timeoutMs: 90_000 });
    assert.equal(ran.code, 0, output(ran));
    assert.match(ran.stdout, /Registered and selected the az cloud 'Wharf' for https:\/\/localhost\./, output(ran));
    const cloud = await az.ok(['cloud', 'show', '-n', 'Wharf']);
    assert.equal(cloud.json.isActive, true, output(cloud));
    assert.equal(cloud.json.endpoints.resourceManager, 'https://localhost/', output(cloud));
    assert.equal(cloud.json.endpoints.activeDirectory, 'https://localhost/adfs', output(cloud));
    assert.equal(cloud.json.suffixes.acrLoginServerEndpoint, '.localhost', output(cloud));
    assert.equal(cloud.json.endpoints.microsoftGraphResourceId, 'https://localhost/', output(cloud));

    const owner = admin.owner;
    const subscriptions = await az.login({ appId: owner.clientId, secret: owner.clientSecret, tenantId: owner.tenantId });
    assert.deepEqual(
      subscriptions.map((s) => s.id),
      [owner.subscriptionId],
    );
  });

  it('az provider register / show -n Microsoft.ContainerRegistry', async () => {
    await az.ok(['provider', 'register', '-n', 'Microsoft.ContainerRegistry', '--wait']);
    const shown = await az.ok(['provider', 'show', '-n', 'Microsoft.ContainerRegistry']);
    assert.equal(shown.json.namespace, 'Microsoft.ContainerRegistry', output(shown));
    assert.equal(shown.json.registrationState, 'Registered', output(shown));
    assert.ok(
      shown.json.resourceTypes.some((t: { resourceType: string }) => t.resourceType === 'registries'),
      output(shown),
    );
  });

  it('az acr check-health --ignore-errors: every connectivity check of the login server localhost is OK', async () => {
    const health = await az.run(['acr', 'check-health', '-n', REGISTRY, '--ignore-errors', '--yes']);
    assert.equal(health.code, 0, output(health));
    for (const line of [
      'DNS lookup to localhost at IP 127.0.0.1 : OK',
      'Challenge endpoint https://localhost/v2/ : OK',
      "Fetch refresh token for registry 'localhost' : OK",
      "Fetch access token for registry 'localhost' : OK",
    ]) {
      assert.ok(health.stderr.includes(`WARNING: ${line}\n`), `missing '${line}'\n${output(health)}`);
    }
    assert.doesNotMatch(health.stderr, /CONNECTIVITY_|LOGIN_SERVER_ERROR|UNEXPECTED_ERROR/, output(health));
  });

  it('az acr check-health on a registry whose firewall denies 127.0.0.1: CONNECTIVITY_FORBIDDEN_ERROR', async () => {
    const denied = await admin.patchNetwork({ networkRuleSet: { defaultAction: 'Deny', ipRules: [{ action: 'Allow', value: '127.0.0.2' }] } }, { force: true });
    assert.equal(denied.status, 200, denied.text());
    await eventually(async () => assert.equal((await server.request('/v2/', { headers: { host: LOGIN_SERVER } })).status, 403));

    const health = await az.run(['acr', 'check-health', '-n', REGISTRY, '--ignore-errors', '--yes']);
    assert.equal(health.code, 0, output(health));
    assert.ok(health.stderr.includes('WARNING: DNS lookup to localhost at IP 127.0.0.1 : OK\n'), output(health));
    assert.match(
      health.stderr,
      /An error occurred: CONNECTIVITY_FORBIDDEN_ERROR\nLooks like you don't have access to registry 'localhost'\. To see configured firewall rules, run 'az acr show --query networkRuleSet --name azhealth'\./,
      output(health),
    );
    // A 403 stops the token checks.
    assert.doesNotMatch(health.stderr, /Fetch refresh token/, output(health));
  });
});

describe('azure-cli 2.45: az acr check-health through a forwarder on 443, with Wharf on another port and publicPort 443', () => {
  let server: WharfServer;
  let forwarder: { close(): Promise<void> } | undefined;

  before(async () => {
    server = await startWharf({ secure: true, config: { publicPort: 443 } });
    forwarder = await forward443(server.port);
  });
  after(async () => {
    await forwarder?.close();
    await server?.stop();
  });

  it("ARM's loginServer is localhost, and az acr check-health -n wharf passes every connectivity check", async () => {
    const admin = new WharfAdmin(server);
    const shown = await admin.ok<{ properties: { loginServer: string } }>('GET', admin.registryId);
    assert.equal(shown.properties.loginServer, 'localhost');
    const owner = admin.owner;
    const { az } = await AzSandbox.signedIn(
      { origin: ORIGIN, domain: 'localhost', caFile: server.caFile! },
      { appId: owner.clientId, secret: owner.clientSecret, tenantId: owner.tenantId },
    );
    const health = await az.run(['acr', 'check-health', '-n', 'wharf', '--ignore-errors', '--yes']);
    assert.equal(health.code, 0, output(health));
    for (const line of [
      'DNS lookup to localhost at IP 127.0.0.1 : OK',
      'Challenge endpoint https://localhost/v2/ : OK',
      "Fetch access token for registry 'localhost' : OK",
    ]) {
      assert.ok(health.stderr.includes(`WARNING: ${line}\n`), `missing '${line}'\n${output(health)}`);
    }
    assert.doesNotMatch(health.stderr, /CONNECTIVITY_|LOGIN_SERVER_ERROR|UNEXPECTED_ERROR/, output(health));
  });
});

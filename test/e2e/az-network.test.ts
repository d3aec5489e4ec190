/**
 * The real Azure CLI (azure-cli 2.45) against Wharf's network features, as the network guide's
 * readers use it: `az acr network-rule list/add/remove`, the lock-out protection seen through
 * `az acr update --default-action Deny`, the firewall symptom of `az acr login` ("Looks like
 * you don't have access to registry …") and its cure, a private endpoint reached through a
 * private hosts file and the stale DNS record left after it is deleted ("Could not connect to
 * the registry login server …"), `az acr show-endpoints` with dedicated data endpoints, and
 * `az provider register/show` in a second subscription.
 *
 * One server on a port chosen up front, so that the registry can be declared in config with the
 * explicit login server `aznet.wharf.test:<port>`: az always talks to `https://<loginServer>/v2/`,
 * the name resolves through az's private hosts file, and the port is the same for the public
 * listener (127.0.0.1) and a private endpoint's (its own address). az is slow (1–3 s a command):
 * the file runs about 20 commands.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { Agent } from 'undici';
import { AzSandbox } from '../helpers/az.js';
import { request } from '../helpers/http.js';
import { WharfAdmin } from '../helpers/wharf-admin.js';
import { freePort, startWharf, type WharfServer } from '../helpers/wharf-server.js';
import { eventually } from '../helpers/eventually.js';

const DOMAIN = 'wharf.test';
const REGISTRY = 'aznet';
/** Host routing and the gate cache registry settings for up to 2 s. */
const SETTLE_MS = 2100;

function output(r: { command: string; code: number | null; stdout: string; stderr: string }): string {
  return `${r.command} → ${r.code}\n--- stdout:\n${r.stdout}\n--- stderr:\n${r.stderr}`;
}

describe('azure-cli 2.45 against Wharf: network rules, firewall and private endpoint symptoms', () => {
  let server: WharfServer;
  let admin: WharfAdmin;
  let az: AzSandbox;
  let loginServer: string;
  let region: string;
  let secondSubscription: string;
  let probe: Agent;
  /** az's view of DNS: the login server's name on the public listener. */
  let publicHosts: string;

  before(async () => {
    const port = await freePort();
    loginServer = `${REGISTRY}.${DOMAIN}:${port}`;
    server = await startWharf({ secure: true, port, domain: DOMAIN, config: { registries: [{ name: REGISTRY, loginServer }] } });
    admin = new WharfAdmin(server, REGISTRY);
    const registry = await admin.ok<{ location: string; properties: { loginServer: string } }>('PATCH', admin.registryId, { sku: { name: 'Premium' } });
    assert.equal(registry.properties.loginServer, loginServer);
    region = registry.location.toLowerCase();
    // The second subscription exists before az signs in: az lists subscriptions only at login.
    const alias = await admin.ok<{ properties: { subscriptionId: string } }>('PUT', '/providers/Microsoft.Subscription/aliases/aznet-two', {
      properties: { displayName: 'az network two', workload: 'Production' },
    });
    secondSubscription = alias.properties.subscriptionId;
    probe = new Agent({ connect: { ca: readFileSync(server.caFile!, 'utf8'), checkServerIdentity: () => undefined }, keepAliveTimeout: 500 });
    publicHosts = `127.0.0.1 ${REGISTRY}.${DOMAIN}`;

    const owner = admin.owner;
    const signedIn = await AzSandbox.signedIn(
      { origin: `https://localhost:${port}`, domain: DOMAIN, caFile: server.caFile! },
      { appId: owner.clientId, secret: owner.clientSecret, tenantId: owner.tenantId },
    );
    az = signedIn.az;
    const seen = signedIn.subscriptions.map((s) => s.id).sort();
    assert.deepEqual(seen, [owner.subscriptionId, secondSubscription].sort(), JSON.stringify(signedIn.subscriptions));
    await az.useSubscription(owner.subscriptionId);
  });

  after(async () => {
    await probe?.close();
    await server?.stop();
    if (az) process.stdout.write(`# az commands run (${az.history.length}):\n${az.history.map((c) => `#   ${c}`).join('\n')}\n`);
  });

  it('az acr network-rule list / add / remove', async () => {
    const empty = await az.ok(['acr', 'network-rule', 'list', '-n', REGISTRY]);
    assert.deepEqual(empty.json, { ipRules: [], virtualNetworkRules: [] }, output(empty));

    await az.ok(['acr', 'network-rule', 'add', '-n', REGISTRY, '--ip-address', '127.0.0.2']);
    const listed = await az.ok(['acr', 'network-rule', 'list', '-n', REGISTRY]);
    assert.deepEqual(listed.json, { ipRules: [{ action: 'Allow', ipAddressOrRange: '127.0.0.2' }], virtualNetworkRules: [] }, output(listed));
    // Saved with default action Allow: the rule alone denies nobody.
    const saved = await admin.ok('GET', admin.registryId);
    assert.deepEqual(saved.properties.networkRuleSet, { defaultAction: 'Allow', ipRules: [{ action: 'Allow', value: '127.0.0.2' }], virtualNetworkRules: [] });

    const removed = await az.ok(['acr', 'network-rule', 'remove', '-n', REGISTRY, '--ip-address', '127.0.0.2']);
    // remove prints the whole registry, as az does.
    assert.deepEqual(removed.json?.networkRuleSet, { defaultAction: 'Allow', ipRules: [], virtualNetworkRules: [] }, output(removed));
    assert.deepEqual((await admin.ok('GET', admin.registryId)).properties.networkRuleSet.ipRules, []);
  });

  it('az acr update --default-action Deny is refused by the lock-out protection, and nothing is saved', async () => {
    const refused = await az.run(['acr', 'update', '-n', REGISTRY, '--default-action', 'Deny']);
    assert.notEqual(refused.code, 0, output(refused));
    assert.match(
      refused.stderr,
      /\(NetworkAccessLockout\) The new network settings of registry 'aznet' would deny your own address '127\.0\.0\.1': /,
      output(refused),
    );
    assert.match(refused.stderr, /repeat the request with the query parameter force=true/, output(refused));
    assert.equal((await admin.ok('GET', admin.registryId)).properties.networkRuleSet.defaultAction, 'Allow');
  });

  it('az acr login shows the firewall symptom while 127.0.0.1 is denied, and logs in once an IP rule admits it', async () => {
    const denied = await admin.patchNetwork({ networkRuleSet: { defaultAction: 'Deny', ipRules: [{ action: 'Allow', value: '127.0.0.2' }] } }, { force: true });
    assert.equal(denied.status, 200, denied.text());
    await sleep(SETTLE_MS);
    const firewall = await az.run(['acr', 'login', '-n', REGISTRY, '--expose-token'], { hosts: publicHosts });
    assert.notEqual(firewall.code, 0, output(firewall));
    assert.ok(
      firewall.stderr.includes(
        `Looks like you don't have access to registry '${loginServer}'. To see configured firewall rules, run 'az acr show --query networkRuleSet --name ${REGISTRY}'.`,
      ),
      output(firewall),
    );

    const allowed = await admin.patchNetwork({
      networkRuleSet: {
        defaultAction: 'Deny',
        ipRules: [
          { action: 'Allow', value: '127.0.0.2' },
          { action: 'Allow', value: '127.0.0.1' },
        ],
      },
    });
    assert.equal(allowed.status, 200, allowed.text());
    await sleep(SETTLE_MS);
    const login = await az.ok(['acr', 'login', '-n', REGISTRY, '--expose-token'], { hosts: publicHosts });
    assert.equal(login.json?.loginServer, loginServer, output(login));
    assert.match(login.json?.accessToken ?? '', /^[\w-]+\.[\w-]+\.[\w-]+$/, output(login));
  });

  it('az acr show-endpoints lists the dedicated data endpoint after az acr update --data-endpoint-enabled', async () => {
    await az.ok(['acr', 'update', '-n', REGISTRY, '--data-endpoint-enabled', 'true']);
    const endpoints = await az.ok(['acr', 'show-endpoints', '-n', REGISTRY]);
    assert.deepEqual(endpoints.json, { loginServer, dataEndpoints: [{ region, endpoint: `${REGISTRY}.${region}.data.${DOMAIN}` }] }, output(endpoints));
  });

  it('a private endpoint: az acr login through it, "Could not connect" with its stale DNS record, the firewall text on the public address', async () => {
    const vnet = await admin.putVirtualNetwork('az-vnet', ['127.0.11.0/24'], [{ name: 'pe', addressPrefix: '127.0.11.0/24' }]);
    const peId = admin.resourceId('Microsoft.Network/privateEndpoints', 'az-pe');
    await admin.ok('PUT', peId, admin.privateEndpointBody(`${vnet}/subnets/pe`));
    const pe = await admin.ok<{
      properties: {
        customDnsConfigs: { fqdn: string; ipAddresses: string[] }[];
        privateLinkServiceConnections: { properties: { privateLinkServiceConnectionState: { status: string } } }[];
      };
    }>('GET', peId);
    assert.equal(pe.properties.privateLinkServiceConnections[0]?.properties.privateLinkServiceConnectionState.status, 'Approved', JSON.stringify(pe));
    const address = pe.properties.customDnsConfigs.find((c) => c.fqdn.startsWith(`${REGISTRY}.${DOMAIN}`))?.ipAddresses[0] ?? '';
    assert.match(address, /^127\.0\.11\.\d+$/, JSON.stringify(pe.properties.customDnsConfigs));
    const disabled = await admin.patchNetwork({ publicNetworkAccess: 'Disabled' }, { force: true });
    assert.equal(disabled.status, 200, disabled.text());
    await sleep(SETTLE_MS);
    // The endpoint's listener is up (a challenge), the public one refuses everyone.
    const host = { host: loginServer };
    await eventually(async () => assert.equal((await request(`https://${address}:${server.port}/v2/`, { dispatcher: probe, headers: host })).status, 401));
    assert.equal((await request(`${server.baseUrl}/v2/`, { dispatcher: probe, headers: host })).status, 403);

    const privateHosts = `${address} ${REGISTRY}.${DOMAIN}`;
    const viaEndpoint = await az.ok(['acr', 'login', '-n', REGISTRY, '--expose-token'], { hosts: privateHosts });
    assert.equal(viaEndpoint.json?.loginServer, loginServer, output(viaEndpoint));
    assert.ok(viaEndpoint.json?.accessToken, output(viaEndpoint));

    // Deleting the endpoint closes its listener; the hosts record still points at it.
    await admin.ok('DELETE', peId);
    await eventually(async () => {
      const closed = await request(`https://${address}:${server.port}/v2/`, { dispatcher: probe, headers: host, timeoutMs: 2000 }).then(
        (res) => `answered ${res.status}`,
        (error: Error & { code?: string; cause?: { code?: string } }) => error.cause?.code ?? error.code ?? error.message,
      );
      assert.equal(closed, 'ECONNREFUSED');
    });
    const stale = await az.run(['acr', 'login', '-n', REGISTRY, '--expose-token'], { hosts: privateHosts });
    assert.notEqual(stale.code, 0, output(stale));
    assert.ok(
      stale.stderr.includes(
        `Could not connect to the registry login server '${loginServer}'. Please verify that the registry exists and the URL 'https://${loginServer}/v2/' is reachable from your environment.`,
      ),
      output(stale),
    );

    const publicPath = await az.run(['acr', 'login', '-n', REGISTRY, '--expose-token'], { hosts: publicHosts });
    assert.notEqual(publicPath.code, 0, output(publicPath));
    assert.ok(publicPath.stderr.includes(`Looks like you don't have access to registry '${loginServer}'.`), output(publicPath));
  });

  it('az provider register / show Microsoft.ContainerRegistry in a second subscription', async () => {
    const before = await az.ok([
      'provider',
      'show',
      '--namespace',
      'Microsoft.ContainerRegistry',
      '--subscription',
      secondSubscription,
      '--query',
      'registrationState',
      '-o',
      'tsv',
    ]);
    assert.equal(before.stdout.trim(), 'NotRegistered', output(before));
    await az.ok(['provider', 'register', '--namespace', 'Microsoft.ContainerRegistry', '--subscription', secondSubscription, '--wait']);
    const shown = await az.ok(['provider', 'show', '--namespace', 'Microsoft.ContainerRegistry', '--subscription', secondSubscription]);
    assert.equal(shown.json?.namespace, 'Microsoft.ContainerRegistry', output(shown));
    assert.equal(shown.json?.registrationState, 'Registered', output(shown));
    assert.equal(shown.json?.id, `/subscriptions/${secondSubscription}/providers/Microsoft.ContainerRegistry`, output(shown));
  });
});

/**
 * Every symptom of the network troubleshooting guide (docs/en/troubleshoot-network.md and its
 * translations under docs/, which follow ACR's "Troubleshoot network issues with registry"), reproduced against a real Wharf
 * with a real client, asserting the client's own error text, then fixed the way the guide says
 * and the same client succeeding. Login servers are under `wharf.test` (not `.localhost`), so
 * name resolution behaves as it does for `myregistry.azurecr.io`; clients that need names run
 * with a private /etc/hosts and a resolver nobody answers (helpers/private-resolver.ts).
 * Everything listens on and connects to loopback addresses only.
 *
 * Seed symptom (quoted)                                      → describe › test
 * « Impossibilité d'envoyer ou d'extraire des images et affichage de l'erreur
 *   `dial tcp: lookup myregistry.azurecr.io`. »                → virtual network access › `dial tcp: lookup <login server>`…
 * « … affichage de l'erreur `Client.Timeout exceeded while
 *   awaiting headers`. »                                       → client firewall and proxy › `Client.Timeout exceeded while awaiting headers`…
 * « … affichage de l'erreur Azure CLI `Could not connect to
 *   the registry login server`. »                              → not in this file (az is mapped elsewhere)
 * « Impossibilité d'extraire des images du registre vers Azure
 *   Container Service ou un autre service Azure. »             → service access › …an Azure service cannot pull… / registered as trusted services…
 * « Impossibilité d'accéder au registre derrière un proxy HTTPS
 *   et réception de l'erreur `Error response from daemon: login
 *   attempt failed with status: 403 Forbidden` »               → public network access rules › `login attempt failed with status: 403 Forbidden`…
 * « … ou `Error response from daemon: Get <registry>:
 *   proxyconnect tcp: EOF Login failed` »                      → client firewall and proxy › `proxyconnect tcp: EOF`…
 * « Impossibilité de configurer les paramètres de réseau virtuel
 *   et réception de l'erreur `Failed to save firewall and
 *   virtual network settings for container registry` »         → virtual network access › `Failed to save firewall and virtual network settings…`
 * « Impossibilité de consulter ou d'afficher des paramètres du
 *   registre dans le portail Azure ou de gérer le registre à
 *   l'aide d'Azure CLI. »                                      → public network access rules › registry content cannot be viewed from a denied address…
 * « Impossibilité d'ajouter ou de modifier des paramètres de
 *   réseau virtuel ou des règles d'accès public. »             → public network access rules › network rules cannot be added or changed…
 * « La solution ACR Tasks ne peut pas envoyer ou extraire des
 *   images. »                                                  → service access › ACR Tasks cannot push or pull… / registered as trusted services…
 * « Azure Security Center ne peut pas analyser les images
 *   figurant dans le registre… »                               → service access › …Security Center cannot scan… / registered as trusted services…
 * Guide text of the causes, not symptoms: « Si un point de terminaison de service est configuré
 * pour le registre, vérifiez qu'une règle de réseau est ajoutée au registre qui autorise l'accès à
 * partir de ce sous-réseau » and « la désactivation de l'accès au réseau public a également pour
 * effet de désactiver l'accès via le point de terminaison de service » → virtual network access ›
 * a subnet rule admits its clients only while… / disabling public network access also disables…
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ContainerRegistryManagementClient } from '@azure/arm-containerregistry';
import { ContainerRegistryClient, ContainerRegistryContentClient, KnownContainerRegistryAudience, type OciImageManifest } from '@azure/container-registry';
import type { TokenCredential } from '@azure/identity';
import { managedIdentityCredential, ownerCredential, sdkClientOptions, servicePrincipalCredential } from '../helpers/azure-sdk.js';
import { startClientProxy, type ClientProxy } from '../helpers/client-proxies.js';
import { ClientSandbox, ok, type ClientResult } from '../helpers/clients.js';
import { MEDIA } from '../helpers/contract.js';
import { sha256 } from '../helpers/http.js';
import { buildImageLayout, resolveTag } from '../helpers/oci-layout.js';
import { privateResolver } from '../helpers/private-resolver.js';
import { tempDir } from '../helpers/tmp.js';
import { ROLE, WharfAdmin } from '../helpers/wharf-admin.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';
import { eventually } from '../helpers/eventually.js';
import { runWharfCli } from '../helpers/wharf-cli.js';

const DOMAIN = 'wharf.test';
const LOGIN_HOST = `wharf.${DOMAIN}`;
const HELP = 'docs/network-access.md#firewall';
const FIREWALL = (ip: string) => `client with IP '${ip}' is not allowed access. Refer ${HELP} to grant access.`;
const SAVE_FAILED = "Failed to save firewall and virtual network settings for container registry 'wharf'. Error: ";
const PREMIUM_RULES = 'Network rules are only supported for managed registries in Premium SKU.';
const AUDIENCE = KnownContainerRegistryAudience.AzureResourceManagerPublicCloud;
const CLIENT_TIMEOUT_MS = 60_000;

const image = buildImageLayout({ layers: 1, layerSize: 2048 });

// ------------------------------------------------------------------ small local helpers

/** The client failed (not by our timeout) and printed `text` on stderr. */
function failedWith(r: ClientResult, text: string | RegExp): void {
  assert.notEqual(r.code, 0, `expected ${r.command} to fail\n--- stdout:\n${r.stdout}\n--- stderr:\n${r.stderr}`);
  assert.equal(r.timedOut, false, `${r.command} hung until the test's timeout\n${r.stderr}`);
  if (typeof text === 'string') assert.ok(r.stderr.includes(text), `expected stderr of ${r.command} to contain\n  ${text}\n--- stderr:\n${r.stderr}`);
  else assert.match(r.stderr, text);
}

interface RestErrorLike {
  name: string;
  statusCode?: number;
  code?: string;
  message: string;
}

/** The SDK's error of a call that must fail. */
async function rejection(call: () => Promise<unknown>): Promise<RestErrorLike> {
  try {
    await call();
  } catch (error) {
    return error as RestErrorLike;
  }
  return assert.fail('expected the call to fail');
}

async function collect<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterator) items.push(item);
  return items;
}

/** `docker login` with the admin user; the CLI has no engine here, so it logs in itself. */
function dockerLogin(clients: ClientSandbox, server: string, password: string, env: Record<string, string> = {}): Promise<ClientResult> {
  return clients.docker(['login', server, '-u', 'wharf', '-p', password], { timeoutMs: CLIENT_TIMEOUT_MS, env });
}

/** A started, secure Wharf under DOMAIN whose default registry is Premium, with its admin user on. */
async function premiumWharf(): Promise<{ w: WharfServer; admin: WharfAdmin; password: string }> {
  const w = await startWharf({ secure: true, domain: DOMAIN });
  const admin = new WharfAdmin(w);
  await admin.ok('PATCH', admin.registryId, { sku: { name: 'Premium' } });
  const password = await admin.enableAdmin();
  return { w, admin, password };
}

function managementClient(w: WharfServer, credential: TokenCredential, agent?: HttpsAgent): ContainerRegistryManagementClient {
  return new ContainerRegistryManagementClient(credential, new WharfAdmin(w).owner.subscriptionId, {
    endpoint: w.baseUrl,
    ...(agent ? { agent } : sdkClientOptions(w)),
  });
}

/** Network rules saved over ARM whatever they do to the caller (force skips the lock-out check). */
async function setRules(admin: WharfAdmin, properties: Record<string, unknown>): Promise<void> {
  await admin.ok('PATCH', `${admin.registryId}?force=true`, { properties });
}

// ------------------------------------------------------------------ client firewall and proxy

describe("client firewall and proxy (« Configurer l'accès au pare-feu du client »)", () => {
  let w: WharfServer;
  let password: string;
  let loginServer: string;
  const proxies: ClientProxy[] = [];

  before(async () => {
    ({ w, password } = await premiumWharf());
    loginServer = `${LOGIN_HOST}:${w.port}`;
  });
  after(async () => {
    for (const proxy of proxies) await proxy.close();
    await w?.stop();
  });

  test('`Client.Timeout exceeded while awaiting headers`: docker login through a proxy that never answers; without the proxy it logs in', async () => {
    const silent = await startClientProxy('silent');
    proxies.push(silent);
    // The name resolves to the registry; the proxy swallows the CONNECT that carries it.
    const resolver = privateResolver(`127.0.0.1 ${LOGIN_HOST}\n`);
    // docker's login client gives up after 15 s. Go's http.Client then races its own timer
    // against the request context's deadline (both at 15 s): when the context wins, the text
    // is `context deadline exceeded` alone. GOMAXPROCS=1 makes that rare; three logins in
    // parallel cost no more time, and each must fail with one of the two timeout texts.
    const started = Date.now();
    const attempts = await Promise.all(
      [1, 2, 3].map(() =>
        dockerLogin(new ClientSandbox(), loginServer, password, { ...resolver.env(), HTTPS_PROXY: silent.url(), SSL_CERT_FILE: w.caFile!, GOMAXPROCS: '1' }),
      ),
    );
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 14_000, `docker gave up after ${elapsed} ms, before its 15 s login timeout`);
    for (const attempt of attempts) {
      failedWith(attempt, `Get "https://${loginServer}/v2/": `);
      assert.match(attempt.stderr, /Client\.Timeout exceeded while awaiting headers|context deadline exceeded/);
    }
    assert.ok(
      attempts.some((a) => a.stderr.includes('Client.Timeout exceeded while awaiting headers')),
      attempts.map((a) => a.stderr).join('\n---\n'),
    );
    assert.ok(silent.accepted() >= 3, 'every login went to the proxy');

    // The fix: a client that does not go through the broken proxy.
    const direct = ok(await dockerLogin(new ClientSandbox(), loginServer, password, { ...resolver.env(), SSL_CERT_FILE: w.caFile! }));
    assert.match(direct.stdout, /Login Succeeded/);
  });

  test("`proxyconnect tcp: EOF`: docker login with an https:// proxy URL the proxy does not speak; with the proxy's real scheme it logs in", async () => {
    const closing = await startClientProxy('closing');
    const tunnel = await startClientProxy('tunnel');
    proxies.push(closing, tunnel);
    // Behind a proxy the client does not resolve the registry itself: no hosts entry at all.
    const resolver = privateResolver('');
    const clients = new ClientSandbox();
    const env = { ...resolver.env(), SSL_CERT_FILE: w.caFile! };

    const refused = await dockerLogin(clients, loginServer, password, { ...env, HTTPS_PROXY: closing.url('https') });
    failedWith(refused, `Get "https://${loginServer}/v2/": proxyconnect tcp: EOF`);
    assert.ok(closing.accepted() >= 1);

    const through = ok(await dockerLogin(clients, loginServer, password, { ...env, HTTPS_PROXY: tunnel.url('http') }));
    assert.match(through.stdout, /Login Succeeded/);
    assert.ok(tunnel.connects.includes(loginServer), `CONNECT targets: ${tunnel.connects.join(', ')}`);
  });
});

// ------------------------------------------------------------------ public access rules

describe('public network access rules (« Configurer un accès public à un registre »)', () => {
  let w: WharfServer;
  let admin: WharfAdmin;
  let password: string;
  let loginServer: string;
  let ca: string;
  let owner: ContainerRegistryManagementClient;
  let rg: string;
  const agents: HttpsAgent[] = [];
  const proxies: ClientProxy[] = [];

  /** An https.Agent whose connections leave from `localAddress` (the address Wharf sees), for the SDK pipeline. */
  function agentFrom(localAddress: string): HttpsAgent {
    const agent = new HttpsAgent({ localAddress, ca, keepAlive: false });
    agents.push(agent);
    return agent;
  }

  before(async () => {
    ({ w, admin, password } = await premiumWharf());
    loginServer = `${LOGIN_HOST}:${w.port}`;
    ca = readFileSync(w.caFile!, 'utf8');
    rg = admin.owner.resourceGroup;
    owner = managementClient(w, ownerCredential(w));
    ok(await new ClientSandbox().skopeo(['copy', '--dest-cert-dir', w.caDir!, '--dest-creds', `wharf:${password}`, image.ref, `docker://${w.host}/app:v1`]));
  });
  after(async () => {
    for (const proxy of proxies) await proxy.close();
    for (const agent of agents) agent.destroy();
    await w?.stop();
  });

  test("`login attempt failed with status: 403 Forbidden`: the registry's IP rules leave out the client; an IP rule for it fixes docker and skopeo", async () => {
    await setRules(admin, { networkRuleSet: { defaultAction: 'Deny', ipRules: [{ action: 'Allow', value: '127.0.0.2' }], virtualNetworkRules: [] } });
    const tunnel = await startClientProxy('tunnel');
    proxies.push(tunnel);
    const clients = new ClientSandbox();
    const viaProxyEnv = { ...privateResolver('').env(), HTTPS_PROXY: tunnel.url(), SSL_CERT_FILE: w.caFile! };
    const directEnv = { SSL_CERT_FILE: w.caFile! };
    const ref = `${w.host}/app:v1`;

    // Behind an HTTPS proxy (the seed's case): the registry sees the proxy's address, 127.0.0.1.
    const viaProxy = await dockerLogin(clients, loginServer, password, viaProxyEnv);
    failedWith(viaProxy, `login attempt to https://${loginServer}/v2/ failed with status: 403 Forbidden`);
    // Directly: docker treats 127.0.0.0/8 as an insecure registry, so after the 403 over https it
    // tries plain http on the TLS port, and prints that attempt's EOF last.
    const direct = await dockerLogin(clients, w.host, password, directEnv);
    failedWith(direct, `login attempt to https://${w.host}/v2/ failed with status: 403 Forbidden`);
    assert.ok(direct.stderr.includes(`Get "http://${w.host}/v2/": EOF`), direct.stderr);
    // With bypass AzureServices (the default) an anonymous read is challenged first, so that a
    // trusted service's SDK can authenticate; docker's anonymous token request is then refused,
    // and manifest inspect gives up without showing why.
    const challenged = await clients.docker(['manifest', 'inspect', ref], { timeoutMs: CLIENT_TIMEOUT_MS, env: directEnv });
    assert.notEqual(challenged.code, 0, challenged.stdout);
    // Without the bypass every refused request carries the firewall's message, and docker shows it.
    await setRules(admin, { networkRuleBypassOptions: 'None' });
    const manifest = await clients.docker(['manifest', 'inspect', ref], { timeoutMs: CLIENT_TIMEOUT_MS, env: directEnv });
    failedWith(manifest, `denied: ${FIREWALL('127.0.0.1')}`);
    const inspect = await clients.skopeo(['inspect', '--cert-dir', w.caDir!, '--creds', `wharf:${password}`, `docker://${ref}`]);
    failedWith(inspect, `pinging container registry ${w.host}: invalid status code from registry 403 (Forbidden)`);
    // ContainerRegistryLoginEvents names the refused address and why.
    await eventually(async () => {
      const rows = (await admin.ok<{ value: { CallerIpAddress: string; Reason: string }[] }>('GET', `${admin.registryId}/loginEvents?operationName=Network`))
        .value;
      assert.ok(
        rows.some((r) => r.CallerIpAddress === '127.0.0.1' && /default action Deny, 1 IP rule, .*no rule matches 127\.0\.0\.1/.test(r.Reason)),
        rows.map((r) => `${r.CallerIpAddress} ${r.Reason}`).join('\n'),
      );
    }, 5000);

    // The fix: allow the client's (here the proxy's) address; no force needed, the caller is allowed now.
    await admin.ok('PATCH', admin.registryId, {
      properties: {
        networkRuleSet: {
          defaultAction: 'Deny',
          ipRules: [
            { action: 'Allow', value: '127.0.0.2' },
            { action: 'Allow', value: '127.0.0.1' },
          ],
        },
      },
    });
    await eventually(async () => ok(await dockerLogin(clients, loginServer, password, viaProxyEnv)), 3000);
    assert.match(ok(await dockerLogin(clients, w.host, password, directEnv)).stdout, /Login Succeeded/);
    const shown = JSON.parse(ok(await clients.docker(['manifest', 'inspect', ref], { timeoutMs: CLIENT_TIMEOUT_MS, env: directEnv })).stdout);
    assert.equal(shown.config.digest, image.configDigest);
    const inspected = JSON.parse(ok(await clients.skopeo(['inspect', '--cert-dir', w.caDir!, '--creds', `wharf:${password}`, `docker://${ref}`])).stdout);
    assert.equal(inspected.Digest, image.manifestDigest);
  });

  test('registry content cannot be viewed from a denied address (portal, az acr repository), while its settings still can', async () => {
    await setRules(admin, { networkRuleSet: { defaultAction: 'Deny', ipRules: [{ action: 'Allow', value: '127.0.0.1' }], virtualNetworkRules: [] } });
    // A workstation at 127.0.0.2: both SDK clients' requests leave from that address.
    const workstation = agentFrom('127.0.0.2');
    const content = () => new ContainerRegistryClient(w.baseUrl, ownerCredential(w), { audience: AUDIENCE, agent: workstation });
    const management = managementClient(w, ownerCredential(w), workstation);

    const denied = await rejection(() => collect(content().listRepositoryNames()));
    assert.equal(denied.statusCode, 403, denied.message);
    assert.ok(denied.message.includes(FIREWALL('127.0.0.2')), denied.message);
    // The management plane is not network-restricted: the rules can be read (and fixed) from there.
    const registry = await management.registries.get(rg, 'wharf');
    assert.equal(registry.networkRuleSet?.defaultAction, 'Deny');
    assert.deepEqual(
      registry.networkRuleSet?.ipRules?.map((r) => r.iPAddressOrRange),
      ['127.0.0.1'],
    );

    // The fix, from the workstation itself: allow its address.
    await management.registries.beginUpdateAndWait(rg, 'wharf', {
      networkRuleSet: {
        defaultAction: 'Deny',
        ipRules: [
          { action: 'Allow', iPAddressOrRange: '127.0.0.1' },
          { action: 'Allow', iPAddressOrRange: '127.0.0.2' },
        ],
      },
    });
    const names = await eventually(() => collect(content().listRepositoryNames()));
    assert.ok(names.includes('app'), names.join(', '));
  });

  test('network rules cannot be added or changed: a Standard registry, a Reader, a change that locks the caller out', async () => {
    // Below Premium: ACR's message; upgrading the SKU is the fix.
    assert.equal((await admin.call('PUT', new WharfAdmin(w, 'stdreg').registryId, { location: 'local', sku: { name: 'Standard' } })).status, 201);
    const rules = { networkRuleSet: { defaultAction: 'Deny' as const, ipRules: [{ action: 'Allow' as const, iPAddressOrRange: '127.0.0.1' }] } };
    const standard = await rejection(() => owner.registries.beginUpdateAndWait(rg, 'stdreg', rules));
    assert.equal(standard.statusCode, 400);
    assert.equal(standard.message, PREMIUM_RULES);
    await owner.registries.beginUpdateAndWait(rg, 'stdreg', { sku: { name: 'Premium' } });
    const upgraded = await owner.registries.beginUpdateAndWait(rg, 'stdreg', rules);
    assert.deepEqual(
      upgraded.networkRuleSet?.ipRules?.map((r) => r.iPAddressOrRange),
      ['127.0.0.1'],
    );

    // A caller with only Reader: AuthorizationFailed; Contributor is the fix.
    const operator = await admin.createServicePrincipal('network-operator');
    await admin.assignRole(operator.objectId, ROLE.Reader);
    const asOperator = managementClient(
      w,
      servicePrincipalCredential(w, { tenantId: admin.owner.tenantId, clientId: operator.appId, clientSecret: operator.secret }),
    );
    const change = {
      networkRuleSet: {
        defaultAction: 'Deny' as const,
        ipRules: [
          { action: 'Allow' as const, iPAddressOrRange: '127.0.0.1' },
          { action: 'Allow' as const, iPAddressOrRange: '127.0.0.3' },
        ],
      },
    };
    const reader = await eventually(async () => {
      const error = await rejection(() => asOperator.registries.beginUpdateAndWait(rg, 'wharf', change));
      assert.equal(error.code, 'AuthorizationFailed', error.message);
      return error;
    }, 5000);
    assert.equal(reader.statusCode, 403);
    assert.match(
      reader.message,
      new RegExp(
        `The client '${operator.appId}' with object id '${operator.objectId}' does not have authorization to perform action 'Microsoft\\.ContainerRegistry/registries/write'`,
      ),
    );
    await admin.assignRole(operator.objectId, ROLE.Contributor);
    const changed = await eventually(() => asOperator.registries.beginUpdateAndWait(rg, 'wharf', change), 5000);
    assert.deepEqual(
      changed.networkRuleSet?.ipRules?.map((r) => r.iPAddressOrRange),
      ['127.0.0.1', '127.0.0.3'],
    );

    // A change that would shut out the caller's own address: 409, nothing saved; force saves it.
    const lockout = { networkRuleSet: { defaultAction: 'Deny' as const, ipRules: [{ action: 'Allow' as const, iPAddressOrRange: '127.0.0.3' }] } };
    const refused = await rejection(() => owner.registries.beginUpdateAndWait(rg, 'wharf', lockout));
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.code, 'NetworkAccessLockout');
    assert.ok(refused.message.startsWith("The new network settings of registry 'wharf' would deny your own address '127.0.0.1': "), refused.message);
    assert.match(refused.message, /force=true/);
    assert.deepEqual(
      (await owner.registries.get(rg, 'wharf')).networkRuleSet?.ipRules?.map((r) => r.iPAddressOrRange),
      ['127.0.0.1', '127.0.0.3'],
    );
    const forced = await admin.call('PATCH', `${admin.registryId}?force=true`, {
      properties: { networkRuleSet: { defaultAction: 'Deny', ipRules: [{ action: 'Allow', value: '127.0.0.3' }] } },
    });
    assert.equal(forced.status, 200, forced.text());
    const shutOut = await w.request('/v2/');
    assert.equal(shutOut.status, 403);
    assert.equal(shutOut.json().errors[0].message, FIREWALL('127.0.0.1'));
    // Reopening denies no one: no force needed.
    await owner.registries.beginUpdateAndWait(rg, 'wharf', { networkRuleSet: { defaultAction: 'Allow' } });
    assert.equal((await w.request('/v2/')).status, 401);
  });
});

// ------------------------------------------------------------------ virtual network access

describe("virtual network access (« Configurer l'accès au réseau virtuel »)", () => {
  let w: WharfServer;
  let admin: WharfAdmin;
  let password: string;
  let clientsSubnet: string;
  let endpointsSubnet: string;
  /** WHARF_HOME of the `wharf` CLI, logged in as the bootstrap owner. */
  let home: string;

  /** Runs `wharf …`, which must succeed; its stdout. */
  async function cli(args: string[]): Promise<string> {
    const r = await runWharfCli(home, args);
    assert.equal(r.code, 0, `wharf ${args.join(' ')} → ${r.code}\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  }

  /** Runs `wharf …`, which must fail; its stderr. */
  async function cliFails(args: string[]): Promise<string> {
    const r = await runWharfCli(home, args);
    assert.equal(r.code, 1, `wharf ${args.join(' ')} → ${r.code}\n${r.stdout}\n${r.stderr}`);
    return r.stderr;
  }

  const inspect = (clients: ClientSandbox) => clients.skopeo(['inspect', '--cert-dir', w.caDir!, '--creds', `wharf:${password}`, `docker://${w.host}/app:v1`]);

  before(async () => {
    ({ w, admin, password } = await premiumWharf());
    ok(await new ClientSandbox().skopeo(['copy', '--dest-cert-dir', w.caDir!, '--dest-creds', `wharf:${password}`, image.ref, `docker://${w.host}/app:v1`]));
    // The clients' subnet holds 127.0.0.1, where every client of this test connects from.
    const vnet = await admin.putVirtualNetwork(
      'clients-vnet',
      ['127.0.0.0/16'],
      [
        { name: 'clients', addressPrefix: '127.0.0.0/24', serviceEndpoints: ['Microsoft.ContainerRegistry'] },
        { name: 'endpoints', addressPrefix: '127.0.9.0/24' },
      ],
    );
    clientsSubnet = `${vnet}/subnets/clients`;
    endpointsSubnet = `${vnet}/subnets/endpoints`;
    home = tempDir('wharf-home');
    await cli(['login', '--data', w.dataDir, '--server', w.baseUrl]);
  });
  after(async () => {
    await w?.stop();
  });

  test('`Failed to save firewall and virtual network settings for container registry`: a subnet of a subscription without the resource provider, and a subnet without the service endpoint', async () => {
    // @azure/arm-containerregistry 12 (api-version 2025-11-01) no longer has virtualNetworkRules,
    // so the client here is `wharf network-rule add`, the counterpart of `az acr network-rule add`.
    const alias = await admin.ok<{ properties: { subscriptionId: string } }>('PUT', '/providers/Microsoft.Subscription/aliases/team-net', {
      properties: { displayName: 'Team network', workload: 'Production' },
    });
    const second = alias.properties.subscriptionId;
    await admin.ok('PUT', `/subscriptions/${second}/resourceGroups/team`, { location: 'local' });
    const teamVnet = await admin.putVirtualNetwork(
      'team-vnet',
      ['127.0.20.0/24'],
      [{ name: 'agents', addressPrefix: '127.0.20.0/24', serviceEndpoints: ['Microsoft.ContainerRegistry'] }],
      { resourceGroup: 'team', subscriptionId: second },
    );
    const teamSubnet = `${teamVnet}/subnets/agents`;

    const unregistered = await cliFails(['network-rule', 'add', '-n', 'wharf', '--subnet', teamSubnet]);
    assert.ok(unregistered.includes(`${SAVE_FAILED}Could not validate network rule - `), unregistered);
    assert.ok(unregistered.includes(`az provider register --namespace Microsoft.ContainerRegistry --subscription ${second}`), unregistered);

    const noEndpoint = await cliFails(['network-rule', 'add', '-n', 'wharf', '--subnet', endpointsSubnet]);
    assert.ok(noEndpoint.includes(SAVE_FAILED), noEndpoint);
    assert.match(noEndpoint, /Subnet 'endpoints' of virtual network 'clients-vnet' does not have the service endpoint 'Microsoft\.ContainerRegistry' enabled/);
    const unchanged = await admin.ok<{ properties: { networkRuleSet: { virtualNetworkRules: unknown[] } } }>('GET', admin.registryId);
    assert.deepEqual(unchanged.properties.networkRuleSet.virtualNetworkRules, [], 'nothing was saved');

    // The fix the guide gives: register Microsoft.ContainerRegistry in the subnet's subscription.
    const registered = JSON.parse(
      await cli(['provider', 'register', '--namespace', 'Microsoft.ContainerRegistry', '--subscription', second, '--wait', '--output', 'json']),
    );
    assert.equal(registered.registrationState, 'Registered');
    const saved = JSON.parse(await cli(['network-rule', 'add', '-n', 'wharf', '--subnet', teamSubnet, '--output', 'json']));
    assert.deepEqual(
      saved.virtualNetworkRules.map((r: { id: string }) => r.id.toLowerCase()),
      [teamSubnet.toLowerCase()],
    );
  });

  test('a subnet rule admits its clients only while the subnet has the Microsoft.ContainerRegistry service endpoint', async () => {
    // No IP rule: 127.0.0.1 is admitted by the subnet rule alone (so the lock-out check lets it save).
    await admin.ok('PATCH', admin.registryId, {
      properties: { networkRuleSet: { defaultAction: 'Deny', ipRules: [], virtualNetworkRules: [{ action: 'Allow', id: clientsSubnet }] } },
    });
    const clients = new ClientSandbox();
    ok(await inspect(clients));

    // Someone removes the service endpoint from the subnet: the rule stops admitting.
    await admin.ok('PUT', clientsSubnet, { properties: { addressPrefix: '127.0.0.0/24', serviceEndpoints: [] } });
    await eventually(
      async () => failedWith(await inspect(clients), `pinging container registry ${w.host}: invalid status code from registry 403 (Forbidden)`),
      3000,
    );

    // The fix: the service endpoint back on the subnet.
    await admin.ok('PUT', clientsSubnet, {
      properties: { addressPrefix: '127.0.0.0/24', serviceEndpoints: [{ service: 'Microsoft.ContainerRegistry', locations: ['*'] }] },
    });
    await eventually(async () => ok(await inspect(clients)), 3000);
  });

  test('disabling public network access also disables access through the service endpoint', async () => {
    await setRules(admin, { publicNetworkAccess: 'Disabled' });
    const registry = await admin.ok<{ properties: { publicNetworkAccess: string; networkRuleSet: { virtualNetworkRules: unknown[] } } }>(
      'GET',
      admin.registryId,
    );
    assert.equal(registry.properties.publicNetworkAccess, 'Disabled');
    assert.equal(registry.properties.networkRuleSet.virtualNetworkRules.length, 1, 'the subnet rule is still there');
    await eventually(
      async () => failedWith(await inspect(new ClientSandbox()), `pinging container registry ${w.host}: invalid status code from registry 403 (Forbidden)`),
      3000,
    );
  });

  test('`dial tcp: lookup <login server>`: a private endpoint without DNS records; the records `wharf private-dns` prints fix it', async () => {
    // Public access stays Disabled (previous test): only the private endpoint serves the registry.
    const endpoint = await admin.ok<{
      properties: {
        privateLinkServiceConnections: { properties: { privateLinkServiceConnectionState: { status: string } } }[];
        customDnsConfigs: { fqdn: string; ipAddresses: string[] }[];
      };
    }>('PUT', admin.resourceId('Microsoft.Network/privateEndpoints', 'registry-pe'), admin.privateEndpointBody(endpointsSubnet));
    assert.equal(endpoint.properties.privateLinkServiceConnections[0]?.properties.privateLinkServiceConnectionState.status, 'Approved');
    assert.deepEqual(endpoint.properties.customDnsConfigs.find((c) => c.fqdn === LOGIN_HOST)?.ipAddresses, ['127.0.9.4']);

    const clients = new ClientSandbox();
    const ref = `docker://${LOGIN_HOST}:${w.port}/private/app:v1`;
    const push = (hosts: string) =>
      clients.skopeo(['copy', '--dest-cert-dir', w.caDir!, '--dest-creds', `wharf:${password}`, image.ref, ref], { env: privateResolver(hosts).env() });

    // No DNS record for the login server at all.
    failedWith(await push(''), `dial tcp: lookup ${LOGIN_HOST}`);
    // The public name resolves to the public address, which public access Disabled refuses.
    failedWith(
      await push(`127.0.0.1 ${LOGIN_HOST}\n`),
      `pinging container registry ${LOGIN_HOST}:${w.port}: invalid status code from registry 403 (Forbidden)`,
    );

    // The fix: resolve the login server to the endpoint's private address, as the CLI prints it.
    const hosts = await cli(['private-dns', '-n', 'wharf', '--format', 'hosts']);
    assert.match(hosts, new RegExp(`^127\\.0\\.9\\.4 ${LOGIN_HOST.replace(/\./g, '\\.')}( |$)`, 'm'));
    ok(await push(hosts));
    const pulled = join(tempDir('pulled'), 'layout');
    ok(
      await clients.skopeo(['copy', '--src-cert-dir', w.caDir!, '--src-creds', `wharf:${password}`, ref, `oci:${pulled}:v1`], {
        env: privateResolver(hosts).env(),
      }),
    );
    assert.equal(resolveTag(pulled, 'v1').digest, image.manifestDigest);
  });
});

// ------------------------------------------------------------------ trusted Azure services

describe("service access (« Configurer l'accès au service »): trusted services through the network rules", () => {
  let w: WharfServer;
  let admin: WharfAdmin;
  /** Managed identities: `builder` (AcrPush, ACR Tasks), `scanner` (AcrPull, Security Center), `stranger` (AcrPush, never trusted). */
  const identities: Record<'builder' | 'scanner' | 'stranger', { clientId: string; principalId: string }> = {} as never;

  const contentAs = (who: keyof typeof identities, repository: string) =>
    new ContainerRegistryContentClient(w.baseUrl, repository, managedIdentityCredential(w, { clientId: identities[who].clientId }), {
      audience: AUDIENCE,
      ...sdkClientOptions(w),
    });
  const registryAs = (who: keyof typeof identities) =>
    new ContainerRegistryClient(w.baseUrl, managedIdentityCredential(w, { clientId: identities[who].clientId }), {
      audience: AUDIENCE,
      ...sdkClientOptions(w),
    });

  /** What ACR Tasks does: push a config, a layer and a manifest, then pull the manifest back. */
  async function buildAndPush(who: keyof typeof identities, repository: string): Promise<string> {
    const content = contentAs(who, repository);
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }));
    const layer = Buffer.from(`layer built by ${who}`);
    const uploadedConfig = await content.uploadBlob(config);
    const uploadedLayer = await content.uploadBlob(layer);
    const manifest: OciImageManifest = {
      schemaVersion: 2,
      mediaType: MEDIA.ociManifest,
      config: { mediaType: MEDIA.ociConfig, digest: uploadedConfig.digest, size: config.length },
      layers: [{ mediaType: MEDIA.ociLayerGzip, digest: uploadedLayer.digest, size: layer.length }],
    };
    const { digest } = await content.setManifest(manifest, { tag: 'v1' });
    assert.equal((await content.getManifest('v1')).digest, digest);
    assert.equal(uploadedLayer.digest, sha256(layer));
    return digest;
  }

  function assertFirewall(error: RestErrorLike, what: string): void {
    assert.equal(error.statusCode, 403, `${what}: ${error.message}`);
    assert.ok(error.message.includes(FIREWALL('127.0.0.1')), `${what}: ${error.message}`);
  }

  before(async () => {
    w = await startWharf({ secure: true, domain: DOMAIN });
    admin = new WharfAdmin(w);
    await admin.ok('PATCH', admin.registryId, { sku: { name: 'Premium' } });
    const roles = { builder: ROLE.AcrPush, scanner: ROLE.AcrPull, stranger: ROLE.AcrPush } as const;
    for (const who of ['builder', 'scanner', 'stranger'] as const) {
      const mi = await admin.ok<{ properties: { clientId: string; principalId: string } }>(
        'PUT',
        admin.resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', `${who}-mi`),
        { location: 'local' },
      );
      identities[who] = mi.properties;
      await admin.assignRole(mi.properties.principalId, roles[who]);
    }
    // Selected networks that do not include 127.0.0.1, and no trusted-service bypass.
    await setRules(admin, { networkRuleSet: { defaultAction: 'Deny', ipRules: [{ action: 'Allow', value: '127.0.0.2' }] }, networkRuleBypassOptions: 'None' });
  });
  after(async () => {
    await w?.stop();
  });

  test("ACR Tasks cannot push or pull, an Azure service cannot pull, Security Center cannot scan: the firewall's 403", async () => {
    assertFirewall(await rejection(() => buildAndPush('builder', 'tasks/app')), 'Tasks push');
    assertFirewall(await rejection(() => contentAs('builder', 'tasks/app').getManifest('v1')), 'Tasks pull');
    assertFirewall(await rejection(() => collect(registryAs('scanner').listRepositoryNames())), 'Scanner');
  });

  test('registered as trusted services, with bypass AzureServices, the same identities push, pull and scan', async () => {
    const services = `/subscriptions/${admin.owner.subscriptionId}/providers/Wharf.Network/trustedServices`;
    await admin.ok('PUT', `${services}/tasks`, { properties: { principalId: identities.builder.principalId, serviceType: 'Tasks' } });
    await admin.ok('PUT', `${services}/defender`, { properties: { principalId: identities.scanner.principalId, serviceType: 'Scanner' } });
    // az acr update --allow-trusted-services true (still no rule for 127.0.0.1: force).
    await setRules(admin, { networkRuleBypassOptions: 'AzureServices' });

    // The SDK's first request of each operation carries no credentials; it authenticates after the 401 challenge.
    const passes = <T>(who: string, call: () => Promise<T>) =>
      eventually(call, 5000).catch((error: RestErrorLike) =>
        assert.fail(`the trusted service '${who}' is still refused: ${error.statusCode} ${error.message}`),
      );
    const digest = await passes('tasks', () => buildAndPush('builder', 'tasks/app'));
    assert.equal((await contentAs('builder', 'tasks/app').getManifest('v1')).digest, digest);
    const names = await passes('defender', () => collect(registryAs('scanner').listRepositoryNames()));
    assert.deepEqual(names, ['tasks/app']);
    // ContainerRegistryLoginEvents says which trusted service passed, and why.
    await eventually(async () => {
      const rows = (await admin.ok<{ value: { ResultType: string; Reason: string }[] }>('GET', `${admin.registryId}/loginEvents?operationName=ExchangeToken`))
        .value;
      for (const expected of [
        /is the trusted service 'tasks' \(Tasks\) and bypass AzureServices is on/,
        /is the trusted service 'defender' \(Scanner\) and bypass AzureServices is on/,
      ]) {
        assert.ok(
          rows.some((r) => r.ResultType === 'Succeeded' && expected.test(r.Reason)),
          rows.map((r) => r.Reason).join('\n'),
        );
      }
    }, 5000);
  });

  test('an identity that is not a registered trusted service is still refused with bypass on', async () => {
    const registry = await admin.ok<{ properties: { networkRuleBypassOptions: string } }>('GET', admin.registryId);
    assert.equal(registry.properties.networkRuleBypassOptions, 'AzureServices');
    assertFirewall(await rejection(() => buildAndPush('stranger', 'stranger/app')), 'untrusted identity, push');
    assertFirewall(await rejection(() => contentAs('stranger', 'tasks/app').getManifest('v1')), 'untrusted identity, pull');
  });
});

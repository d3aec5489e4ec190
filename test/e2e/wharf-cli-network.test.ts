/**
 * The `wharf` network-access commands against a real, secure server through the wire: firewall
 * rules, lock-out protection and what-if, virtual networks, subnets and service endpoints, private
 * endpoints and their connections, the private DNS records `wharf private-dns` prints (checked by
 * reaching the registry at the address it names), `show-endpoints`, replications, trusted
 * services, and resource provider registration in a second subscription (ACR's "Could not
 * validate network rule").
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { Agent } from 'undici';
import { request } from '../helpers/http.js';
import { tempDir } from '../helpers/tmp.js';
import { bootstrapOwner, identityToken, type BootstrapOwner } from '../helpers/wharf-admin.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';
import { runWharfCli, type CliResult } from '../helpers/wharf-cli.js';

const REGISTRY = 'netreg';
const LOGIN_SERVER = `${REGISTRY}.localhost`;
/** Loopback prefixes for the virtual network: a private endpoint's listener binds inside them. */
const VNET_PREFIX = '127.0.64.0/18';
const BUILDERS_PREFIX = '127.0.65.0/24';
const ENDPOINTS_PREFIX = '127.0.66.0/24';
const FIRST_ENDPOINT_ADDRESS = '127.0.66.4';
const SECOND_ENDPOINT_ADDRESS = '127.0.66.9';

function describeRun(args: string[], result: CliResult): string {
  return `wharf ${args.join(' ')} → exit ${result.code}\n--- stdout:\n${result.stdout}\n--- stderr:\n${result.stderr}`;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Subnet rules as `Allow <id>`, ids lower-cased: ARM ids compare without case. */
function ruleIds(rules: { action: string; id: string }[]): string[] {
  return rules.map((r) => {
    assert.equal(r.action, 'Allow');
    return r.id.toLowerCase();
  });
}

describe('wharf network access commands', () => {
  let server: WharfServer;
  let owner: BootstrapOwner;
  let home: string;
  let ca: string;
  let location: string;
  const agents: Agent[] = [];

  async function ok(args: string[]): Promise<CliResult> {
    const result = await runWharfCli(home, args);
    assert.equal(result.code, 0, describeRun(args, result));
    return result;
  }

  async function okJson<T = any>(args: string[]): Promise<T> {
    const result = await ok([...args, '--output', 'json']);
    try {
      return JSON.parse(result.stdout) as T;
    } catch {
      return assert.fail(`not JSON: ${describeRun(args, result)}`);
    }
  }

  async function fails(args: string[]): Promise<CliResult> {
    const result = await runWharfCli(home, args);
    assert.equal(result.code, 1, describeRun(args, result));
    return result;
  }

  /** An agent whose connections leave from `localAddress` (the client address the server sees). */
  function agentFrom(localAddress?: string): Agent {
    const agent = new Agent({
      ...(localAddress ? { localAddress } : {}),
      // The certificate is checked against its CA; the Host header names the registry.
      connect: { ca, rejectUnauthorized: true, checkServerIdentity: () => undefined },
      keepAliveTimeout: 1000,
    });
    agents.push(agent);
    return agent;
  }

  /** A data-plane request for the registry, at `address` (default the public listener). */
  function registryRequest(path: string, options: { address?: string; from?: string; authorization?: string } = {}) {
    const url = `https://${options.address ?? '127.0.0.1'}:${server.port}${path}`;
    return request(url, {
      headers: { host: `${LOGIN_SERVER}:${server.port}`, ...(options.authorization ? { authorization: options.authorization } : {}) },
      dispatcher: agentFrom(options.from),
    });
  }

  before(async () => {
    server = await startWharf({ secure: true });
    owner = bootstrapOwner(server);
    ca = readFileSync(server.caFile!, 'utf8');
    home = tempDir('wharf-home-net');
    await ok(['login', '--data', server.dataDir, '--server', server.baseUrl]);
    const created = await okJson(['create', '-n', REGISTRY, '--sku', 'Premium']);
    // Its login server carries the port (clients reach Wharf on another port than 443).
    assert.equal(created.properties.loginServer, `${LOGIN_SERVER}:${server.port}`);
    location = String(created.location).toLowerCase();
  });

  after(async () => {
    for (const agent of agents) await agent.close().catch(() => {});
    await server?.stop();
  });

  it('adds, lists and removes IP rules, as az acr network-rule does', async () => {
    const added = await okJson(['network-rule', 'add', '-n', REGISTRY, '--ip-address', '203.0.113.0/24']);
    assert.deepEqual(added.ipRules, [{ action: 'Allow', value: '203.0.113.0/24' }]);
    assert.equal(added.defaultAction, 'Allow');
    await ok(['network-rule', 'add', '-n', REGISTRY, '--ip-address', '198.51.100.7']);

    const listed = await okJson(['network-rule', 'list', '-n', REGISTRY]);
    assert.deepEqual(
      listed.ipRules.map((r: { value: string }) => r.value),
      ['203.0.113.0/24', '198.51.100.7'],
    );
    const table = await ok(['network-rule', 'list', '-n', REGISTRY, '-o', 'table']);
    assert.match(table.stdout, /^Kind\s+Action\s+Value$/m);
    assert.match(table.stdout, /^ipRule\s+Allow\s+203\.0\.113\.0\/24$/m);

    const duplicate = await fails(['network-rule', 'add', '-n', REGISTRY, '--ip-address', '198.51.100.7/32']);
    assert.match(duplicate.stderr, /already allows 198\.51\.100\.7/);
    const malformed = await fails(['network-rule', 'add', '-n', REGISTRY, '--ip-address', '203.0.113.300']);
    assert.match(malformed.stderr, /Failed to save firewall and virtual network settings for container registry 'netreg'/);

    const removed = await okJson(['network-rule', 'remove', '-n', REGISTRY, '--ip-address', '203.0.113.0/24']);
    assert.deepEqual(removed.ipRules, [{ action: 'Allow', value: '198.51.100.7' }]);
    await ok(['network-rule', 'remove', '-n', REGISTRY, '--ip-address', '198.51.100.7']);
    const absent = await fails(['network-rule', 'remove', '-n', REGISTRY, '--ip-address', '198.51.100.7']);
    assert.match(absent.stderr, /has no IP rule for 198\.51\.100\.7/);
    assert.deepEqual((await okJson(['network-rule', 'list', '-n', REGISTRY])).ipRules, []);
  });

  it('what-if lists the addresses from the login events that a change would shut out, and saves nothing', async () => {
    // Failed logins from two more loopback addresses: each is a login event with its address.
    const badBasic = `Basic ${Buffer.from('mallory:not-a-password').toString('base64')}`;
    for (const from of ['127.0.0.2', '127.0.0.3']) {
      const res = await registryRequest(`/oauth2/token?service=${LOGIN_SERVER}&scope=repository:any:pull`, { from, authorization: badBasic });
      assert.equal(res.status, 401, res.text());
    }
    const args = ['network-rule', 'what-if', '-n', REGISTRY, '--default-action', 'Deny', '--add-ip', '127.0.0.1', '--add-ip', '127.0.0.2'];
    // Login events are written as the requests finish; give them a moment to land.
    let result: any;
    for (let attempt = 0; attempt < 50; attempt++) {
      result = await okJson(args);
      if (result.shutOut.some((s: { callerIpAddress: string }) => s.callerIpAddress === '127.0.0.3')) break;
      await sleep(100);
    }
    assert.equal(result.callerIpAddress, '127.0.0.1');
    assert.equal(result.callerDecision.allowed, true);
    assert.equal(result.days, 7);
    const shut = result.shutOut.find((s: { callerIpAddress: string }) => s.callerIpAddress === '127.0.0.3');
    assert.ok(shut, JSON.stringify(result));
    assert.ok(shut.events >= 1);
    assert.equal(shut.rule, 'defaultAction:Deny');
    assert.ok(!result.shutOut.some((s: { callerIpAddress: string }) => s.callerIpAddress === '127.0.0.2'), JSON.stringify(result));
    assert.ok(result.unaffectedAddresses >= 1);

    const table = await ok([...args, '--days', '3']);
    assert.match(table.stdout, /^Your address 127\.0\.0\.1 keeps access/m);
    assert.match(table.stdout, /^Shut out \(seen in the login events of the last 3 days\):$/m);
    assert.match(table.stdout, /^Address\s+Identities\s+LastSeen\s+Events\s+Rule$/m);
    assert.match(table.stdout, /^127\.0\.0\.3\s+.*\s+\d+\s+defaultAction:Deny$/m);
    assert.doesNotMatch(table.stdout, /^127\.0\.0\.2\s/m);
    assert.match(table.stdout, /^(1 other address seen keeps|\d+ other addresses seen keep) access\.$/m);

    // Without an allowance for 127.0.0.1, the caller's own address is named.
    const self = await ok(['network-rule', 'what-if', '-n', REGISTRY, '--public-network-enabled', 'false']);
    assert.match(self.stdout, /^Your address 127\.0\.0\.1 would be shut out \(publicNetworkAccess:Disabled\)/m);
    assert.match(self.stderr, /Disabling the public endpoint overrides all firewall configurations\./);
    assert.match(self.stdout, /\(publicNetworkAccess:Disabled\): denied by the network rules of registry 'netreg': public network access Disabled;/m);
    // The reason comes from the server in the reader's language, as the sentence around it.
    const french = await ok(['--lang', 'fr', 'network-rule', 'what-if', '-n', REGISTRY, '--public-network-enabled', 'false']);
    assert.match(
      french.stdout,
      /^Votre adresse 127\.0\.0\.1 serait exclue \(publicNetworkAccess:Disabled\) : refusé par les règles réseau du registre 'netreg' : accès au réseau public Disabled ;/m,
    );
    assert.doesNotMatch(french.stdout, /denied by|network rules/);

    const unchanged = await okJson(['show', '-n', REGISTRY]);
    assert.equal(unchanged.properties.networkRuleSet.defaultAction, 'Allow');
    assert.deepEqual(unchanged.properties.networkRuleSet.ipRules, []);
  });

  it('refuses to disable public access when it locks the caller out, and does it with --force', async () => {
    const args = ['update', '-n', REGISTRY, '--public-network-enabled', 'false'];
    const refused = await fails(args);
    assert.match(refused.stderr, /^WARNING: Disabling the public endpoint overrides all firewall configurations\.$/m);
    assert.match(refused.stderr, /NetworkAccessLockout: The new network settings of registry 'netreg' would deny your own address '127\.0\.0\.1'/);
    assert.match(refused.stderr, /add --force/);
    const still = await okJson(['show', '-n', REGISTRY]);
    assert.equal(still.properties.publicNetworkAccess, 'Enabled');
    assert.equal((await registryRequest('/v2/')).status, 401);

    const forced = await okJson([...args, '--force']);
    assert.equal(forced.properties.publicNetworkAccess, 'Disabled');
    assert.equal(forced.properties.networkRuleSet.defaultAction, 'Deny');
    const denied = await registryRequest('/v2/');
    assert.equal(denied.status, 403);
    assert.equal(denied.json().errors[0].code, 'DENIED');
    assert.match(
      denied.json().errors[0].message,
      /^client with IP '127\.0\.0\.1' is not allowed access\. Refer .*network-access\.md#firewall to grant access\.$/,
    );

    // Re-enabling access needs no force: it denies no one.
    const reopened = await okJson(['update', '-n', REGISTRY, '--public-network-enabled', 'true', '--default-action', 'Allow']);
    assert.equal(reopened.properties.publicNetworkAccess, 'Enabled');
    assert.equal(reopened.properties.networkRuleSet.defaultAction, 'Allow');
    assert.equal((await registryRequest('/v2/')).status, 401);
  });

  it('creates virtual networks and subnets, and subnet rules need the service endpoint', async () => {
    const vnet = await okJson([
      'network',
      'vnet',
      'create',
      '-n',
      'netvnet',
      '--address-prefixes',
      VNET_PREFIX,
      '--subnet-name',
      'builders',
      '--subnet-prefixes',
      BUILDERS_PREFIX,
    ]);
    assert.deepEqual(vnet.properties.addressSpace.addressPrefixes, [VNET_PREFIX]);
    assert.deepEqual(
      vnet.properties.subnets.map((s: { name: string }) => s.name),
      ['builders'],
    );
    const endpoints = await okJson([
      'network',
      'vnet',
      'subnet',
      'create',
      '--vnet-name',
      'netvnet',
      '-n',
      'endpoints',
      '--address-prefixes',
      ENDPOINTS_PREFIX,
    ]);
    assert.equal(endpoints.properties.addressPrefix, ENDPOINTS_PREFIX);

    const vnets = await ok(['network', 'vnet', 'list']);
    assert.match(vnets.stdout, new RegExp(`^netvnet\\s+${escape(owner.resourceGroup)}\\s+\\S+\\s+${escape(VNET_PREFIX)}\\s+builders endpoints$`, 'm'));

    // Without the service endpoint the rule is refused, as ACR refuses it.
    const refused = await fails(['network-rule', 'add', '-n', REGISTRY, '--vnet-name', 'netvnet', '--subnet', 'builders']);
    assert.match(
      refused.stderr,
      /Failed to save firewall and virtual network settings for container registry 'netreg'\. Error: .*Microsoft\.ContainerRegistry/,
    );

    const updated = await okJson([
      'network',
      'vnet',
      'subnet',
      'update',
      '--vnet-name',
      'netvnet',
      '-n',
      'builders',
      '--service-endpoints',
      'Microsoft.ContainerRegistry',
    ]);
    assert.deepEqual(
      updated.properties.serviceEndpoints.map((e: { service: string }) => e.service),
      ['Microsoft.ContainerRegistry'],
    );
    assert.equal(updated.properties.addressPrefix, BUILDERS_PREFIX);
    const subnets = await ok(['network', 'vnet', 'subnet', 'list', '--vnet-name', 'netvnet']);
    assert.match(subnets.stdout, new RegExp(`^builders\\s+${escape(BUILDERS_PREFIX)}\\s+Microsoft\\.ContainerRegistry\\s+Succeeded$`, 'm'));

    const rules = await okJson(['network-rule', 'add', '-n', REGISTRY, '--vnet-name', 'netvnet', '--subnet', 'builders']);
    const subnetId = `/subscriptions/${owner.subscriptionId}/resourceGroups/${owner.resourceGroup}/providers/Microsoft.Network/virtualNetworks/netvnet/subnets/builders`;
    assert.deepEqual(ruleIds(rules.virtualNetworkRules), [subnetId.toLowerCase()]);
    const removed = await okJson(['network-rule', 'remove', '-n', REGISTRY, '--subnet', subnetId]);
    assert.deepEqual(removed.virtualNetworkRules, []);

    const cleared = await okJson(['network', 'vnet', 'subnet', 'update', '--vnet-name', 'netvnet', '-n', 'builders', '--service-endpoints', '']);
    assert.deepEqual(cleared.properties.serviceEndpoints, []);
    const shown = await okJson(['network', 'vnet', 'subnet', 'show', '--vnet-name', 'netvnet', '-n', 'builders']);
    assert.deepEqual(shown.properties.serviceEndpoints, []);
  });

  it('creates private endpoints, approves a manual one, and prints the private DNS records clients need', async () => {
    await ok(['update', '-n', REGISTRY, '--data-endpoint-enabled', 'true']);
    const dataHost = `${REGISTRY}.${location}.data.localhost`;

    const endpoint = await okJson([
      'network',
      'private-endpoint',
      'create',
      '-n',
      'netpe',
      '--vnet-name',
      'netvnet',
      '--subnet',
      'endpoints',
      '--registry',
      REGISTRY,
    ]);
    assert.equal(endpoint.properties.privateLinkServiceConnections[0].properties.privateLinkServiceConnectionState.status, 'Approved');
    assert.deepEqual(
      endpoint.properties.customDnsConfigs.map((c: { fqdn: string; ipAddresses: string[] }) => [c.fqdn, c.ipAddresses[0]]),
      [
        [LOGIN_SERVER, FIRST_ENDPOINT_ADDRESS],
        [dataHost, FIRST_ENDPOINT_ADDRESS],
      ],
    );

    const manual = await runWharfCli(home, [
      'network',
      'private-endpoint',
      'create',
      '-n',
      'netpe2',
      '--vnet-name',
      'netvnet',
      '--subnet',
      'endpoints',
      '--registry',
      REGISTRY,
      '--manual-request',
      '--request-message',
      'for the build farm',
      '--ip-address',
      SECOND_ENDPOINT_ADDRESS,
      '-o',
      'json',
    ]);
    assert.equal(manual.code, 0, describeRun(['private-endpoint create netpe2'], manual));
    assert.match(manual.stderr, /waits for approval/);
    const pending = JSON.parse(manual.stdout);
    const connectionName = pending.properties.manualPrivateLinkServiceConnections[0].name;
    assert.equal(pending.properties.manualPrivateLinkServiceConnections[0].properties.privateLinkServiceConnectionState.status, 'Pending');

    const list = await ok(['network', 'private-endpoint', 'list']);
    assert.match(
      list.stdout,
      new RegExp(`^netpe\\s+${escape(owner.resourceGroup)}\\s+endpoints\\s+${escape(FIRST_ENDPOINT_ADDRESS)}\\s+netreg\\s+Approved\\s+Succeeded$`, 'm'),
    );
    assert.match(list.stdout, new RegExp(`^netpe2\\s+.*${escape(SECOND_ENDPOINT_ADDRESS)}\\s+netreg\\s+Pending\\s`, 'm'));
    const connections = await ok(['private-endpoint-connection', 'list', '-r', REGISTRY]);
    assert.match(connections.stdout, new RegExp(`^${escape(connectionName)}\\s+netpe2\\s+Pending\\s`, 'm'));

    // While netpe2 is pending, private-dns prints netpe's records and says netpe2 is skipped.
    const zone = await ok(['private-dns', '-n', REGISTRY]);
    assert.match(zone.stdout, /^\$ORIGIN privatelink\.localhost\.$/m);
    assert.match(zone.stdout, new RegExp(`^netreg\\s+IN\\s+A\\s+${escape(FIRST_ENDPOINT_ADDRESS)}$`, 'm'));
    assert.match(zone.stdout, new RegExp(`^netreg\\.${escape(location)}\\.data\\s+IN\\s+A\\s+${escape(FIRST_ENDPOINT_ADDRESS)}$`, 'm'));
    assert.match(zone.stdout, /^\$ORIGIN localhost\.$/m);
    assert.match(zone.stdout, /^netreg\s+IN\s+CNAME\s+netreg\.privatelink\.localhost\.$/m);
    assert.match(
      zone.stdout,
      new RegExp(`^netreg\\.${escape(location)}\\.data\\s+IN\\s+CNAME\\s+netreg\\.${escape(location)}\\.data\\.privatelink\\.localhost\\.$`, 'm'),
    );
    assert.doesNotMatch(zone.stdout, new RegExp(`IN\\s+A\\s+${escape(SECOND_ENDPOINT_ADDRESS)}`));
    assert.match(zone.stdout, /^; skipped: private endpoint netpe2 \(connection .*\) is Pending, not Approved$/m);
    assert.match(zone.stderr, /skipped: private endpoint netpe2/);

    const approved = await okJson(['private-endpoint-connection', 'approve', '-r', REGISTRY, '-n', connectionName, '--description', 'build farm ok']);
    assert.equal(approved.properties.privateLinkServiceConnectionState.status, 'Approved');
    assert.equal(approved.properties.privateLinkServiceConnectionState.description, 'build farm ok');

    const hosts = await ok(['private-dns', '-n', REGISTRY, '--format', 'hosts']);
    const line = (address: string) => new RegExp(`^${escape(address)} ${escape(LOGIN_SERVER)} ${escape(dataHost)}  # private endpoint `, 'm');
    assert.match(hosts.stdout, line(FIRST_ENDPOINT_ADDRESS));
    assert.match(hosts.stdout, line(SECOND_ENDPOINT_ADDRESS));
    assert.doesNotMatch(hosts.stdout, /skipped/);

    // The records are right: with public access off, the registry answers at the address they name.
    await ok(['update', '-n', REGISTRY, '--public-network-enabled', 'false', '--force']);
    assert.equal((await registryRequest('/v2/')).status, 403);
    const viaEndpoint = await registryRequest('/v2/', { address: FIRST_ENDPOINT_ADDRESS });
    assert.equal(viaEndpoint.status, 401, viaEndpoint.text());
    await ok(['update', '-n', REGISTRY, '--public-network-enabled', 'true', '--default-action', 'Allow']);

    const rejected = await okJson(['private-endpoint-connection', 'reject', '-r', REGISTRY, '-n', connectionName]);
    assert.equal(rejected.properties.privateLinkServiceConnectionState.status, 'Rejected');
    const afterReject = await ok(['private-dns', '-n', REGISTRY, '--format', 'hosts']);
    assert.match(afterReject.stdout, /^# skipped: private endpoint netpe2 \(connection .*\) is Rejected, not Approved$/m);
    await ok(['network', 'private-endpoint', 'delete', '-n', 'netpe2']);
  });

  it('shows the login server and the data endpoint of each region', async () => {
    const endpoints = await ok(['show-endpoints', '-n', REGISTRY]);
    assert.deepEqual(JSON.parse(endpoints.stdout), {
      loginServer: `${LOGIN_SERVER}:${server.port}`,
      dataEndpoints: [{ region: location, endpoint: `${REGISTRY}.${location}.data.localhost` }],
    });
    assert.equal(endpoints.stderr, '');

    const replica = location === 'westeurope' ? 'northeurope' : 'westeurope';
    const replication = await okJson(['replication', 'create', '-r', REGISTRY, '-l', replica]);
    assert.equal(replication.name, replica);
    const replications = await ok(['replication', 'list', '-r', REGISTRY]);
    assert.match(replications.stdout, new RegExp(`^${escape(replica)}\\s+${escape(replica)}\\s+Succeeded`, 'm'));
    const both = JSON.parse((await ok(['show-endpoints', '-n', REGISTRY])).stdout);
    assert.deepEqual(both.dataEndpoints, [
      { region: location, endpoint: `${REGISTRY}.${location}.data.localhost` },
      { region: replica, endpoint: `${REGISTRY}.${replica}.data.localhost` },
    ]);

    // Without dedicated data endpoints, the login server serves blobs, and the command says so.
    await ok(['update', '-n', REGISTRY, '--data-endpoint-enabled', 'false']);
    const plain = await ok(['show-endpoints', '-n', REGISTRY]);
    assert.deepEqual(JSON.parse(plain.stdout).dataEndpoints, [
      { region: location, endpoint: LOGIN_SERVER },
      { region: replica, endpoint: LOGIN_SERVER },
    ]);
    assert.match(plain.stderr, /^WARNING: dedicated data endpoints are disabled for registry netreg: the login server serves blobs itself\./m);
    await ok(['replication', 'delete', '-r', REGISTRY, '-l', replica]);
  });

  it('trusts a managed identity as a trusted service, and turns the bypass off and on', async () => {
    const token = await identityToken(server, owner);
    const identityPath = `/subscriptions/${owner.subscriptionId}/resourceGroups/${owner.resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/builder`;
    const identity = await server.request(`${identityPath}?api-version=2023-01-31`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ location }),
    });
    assert.ok(identity.status === 200 || identity.status === 201, identity.text());
    const principalId = String(identity.json().properties.principalId);

    const added = await okJson(['trusted-service', 'add', '--name', 'builder', '--principal-id', principalId, '--service-type', 'Tasks']);
    assert.equal(added.name, 'builder');
    assert.equal(added.properties.principalId, principalId);
    const listed = await ok(['trusted-service', 'list']);
    assert.match(listed.stdout, new RegExp(`^builder\\s+${escape(principalId)}\\s+Tasks$`, 'm'));
    const unknown = await fails(['trusted-service', 'add', '--name', 'ghost', '--principal-id', '00000000-0000-0000-0000-0000000000aa']);
    assert.match(unknown.stderr, /^wharf: PrincipalNotFound: /m);

    assert.equal((await okJson(['update', '-n', REGISTRY, '--allow-trusted-services', 'false'])).properties.networkRuleBypassOptions, 'None');
    assert.equal((await okJson(['update', '-n', REGISTRY, '--allow-trusted-services', 'true'])).properties.networkRuleBypassOptions, 'AzureServices');
    assert.match((await ok(['trusted-service', 'remove', '--name', 'builder'])).stdout, /^Removed trusted service builder$/m);
    assert.doesNotMatch((await ok(['trusted-service', 'list'])).stdout, /builder/);
  });

  it('registers the resource provider in a second subscription so that its subnets can be used in rules', async () => {
    const alias = await okJson(['subscription', 'create', '-n', 'team-network', '--display-name', 'Team network']);
    const second = String(alias.properties.subscriptionId);
    assert.ok(second && second !== owner.subscriptionId, JSON.stringify(alias));
    const state = await okJson(['provider', 'show', '--namespace', 'Microsoft.ContainerRegistry', '--subscription', second]);
    assert.equal(state.registrationState, 'NotRegistered');
    const providers = await ok(['provider', 'list', '--subscription', second]);
    assert.match(providers.stdout, /^Microsoft\.ContainerRegistry\s+NotRegistered\s+RegistrationRequired$/m);

    // A resource group in the new subscription (no wharf command for groups: the ARM call az makes).
    const token = await identityToken(server, owner);
    const group = await server.request(`/subscriptions/${second}/resourceGroups/team?api-version=2021-04-01`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ location }),
    });
    assert.ok(group.status === 200 || group.status === 201, group.text());
    await ok([
      'network',
      'vnet',
      'create',
      '--subscription',
      second,
      '-g',
      'team',
      '-n',
      'teamvnet',
      '--address-prefixes',
      '10.20.0.0/16',
      '--subnet-name',
      'agents',
      '--subnet-prefixes',
      '10.20.1.0/24',
    ]);
    await ok([
      'network',
      'vnet',
      'subnet',
      'update',
      '--subscription',
      second,
      '-g',
      'team',
      '--vnet-name',
      'teamvnet',
      '-n',
      'agents',
      '--service-endpoints',
      'Microsoft.ContainerRegistry',
    ]);
    const subnetId = `/subscriptions/${second}/resourceGroups/team/providers/Microsoft.Network/virtualNetworks/teamvnet/subnets/agents`;

    const refused = await fails(['network-rule', 'add', '-n', REGISTRY, '--subnet', subnetId]);
    assert.match(
      refused.stderr,
      /Failed to save firewall and virtual network settings for container registry 'netreg'\. Error: Could not validate network rule - The client '.*' with object id '.*' does not have authorization to perform action 'Microsoft\.Network\/virtualNetworks\/taggedTrafficConsumers\/validate\/action'/,
    );
    assert.match(refused.stderr, new RegExp(`az provider register --namespace Microsoft\\.ContainerRegistry --subscription ${escape(second)}`));

    const registered = await okJson(['provider', 'register', '--namespace', 'Microsoft.ContainerRegistry', '--subscription', second, '--wait']);
    assert.equal(registered.registrationState, 'Registered');
    assert.equal(registered.namespace, 'Microsoft.ContainerRegistry');
    const rules = await okJson(['network-rule', 'add', '-n', REGISTRY, '--subnet', subnetId]);
    assert.deepEqual(ruleIds(rules.virtualNetworkRules), [subnetId.toLowerCase()]);
  });
});

/**
 * The management plane of network access through the wire (issue 4): a registry's network
 * properties (IP and VNet rules, public access, bypass, data endpoints) saved all or nothing
 * with ACR's messages, through raw ARM calls and @azure/arm-containerregistry; virtual networks
 * and subnets; resource provider registration across a second subscription made by an alias;
 * lock-out protection and what-if against login events from other loopback addresses; private
 * endpoints (auto-approved and manual), the registry side of their connections and
 * privateLinkResources; replications and data endpoint names; trusted services.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { ContainerRegistryManagementClient } from '@azure/arm-containerregistry';
import { Agent } from 'undici';
import { ownerCredential, sdkClientOptions } from '../helpers/azure-sdk.js';
import { request, type HttpResponse } from '../helpers/http.js';
import { ROLE, WharfAdmin, identityToken } from '../helpers/wharf-admin.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';
import { startPostgres, type PostgresServer } from '../storage/postgres-server.js';

const FIREWALL = (registry: string) => `Failed to save firewall and virtual network settings for container registry '${registry}'. Error: `;
const PREMIUM_RULES = 'Network rules are only supported for managed registries in Premium SKU.';

function armError(res: HttpResponse, status: number, code?: string): { code: string; message: string; target?: string } {
  const body = res.json<{ error?: { code: string; message: string; target?: string } }>();
  assert.equal(res.status, status, `${res.status} ${res.text()}`);
  assert.ok(body?.error, `an ARM error body: ${res.text()}`);
  if (code) assert.equal(body.error.code, code, res.text());
  return body.error;
}

function ok<T = any>(res: HttpResponse, status = 200): T {
  assert.equal(res.status, status, `${res.status} ${res.text()}`);
  return res.json<T>();
}

describe('network access management (ARM)', () => {
  let server: WharfServer;
  let admin: WharfAdmin;
  let std: WharfAdmin;
  let sdk: ContainerRegistryManagementClient;
  let rg: string;
  let ca: string;
  const agents: Agent[] = [];

  /** An agent whose connections come from `localAddress` and accept any Host name (host routing). */
  function from(localAddress: string): Agent {
    const agent = new Agent({ localAddress, connect: { ca, checkServerIdentity: () => undefined }, keepAliveTimeout: 1000 });
    agents.push(agent);
    return agent;
  }

  const hostOf = (registry: string) => `${registry}.localhost:${server.port}`;

  before(async () => {
    // 10.40.0.0/24 may take private endpoints (one whose address this host lacks); 10.41.0.0/24 may not.
    server = await startWharf({ secure: true, env: { WHARF_PRIVATE_ENDPOINT_RANGES: '127.0.0.0/8,10.40.0.0/24' } });
    ca = readFileSync(server.caFile!, 'utf8');
    admin = new WharfAdmin(server, 'netreg');
    std = new WharfAdmin(server, 'stdreg');
    rg = admin.owner.resourceGroup;
    ok(await admin.call('PUT', admin.registryId, { location: 'local', sku: { name: 'Premium' } }), 201);
    ok(await std.call('PUT', std.registryId, { location: 'local', sku: { name: 'Standard' } }), 201);
    sdk = new ContainerRegistryManagementClient(ownerCredential(server), admin.owner.subscriptionId, { endpoint: server.baseUrl, ...sdkClientOptions(server) });
  });
  after(async () => {
    for (const agent of agents) await agent.close().catch(() => {});
    await server?.stop();
  });

  it('shows the defaults and refuses network rules below Premium with ACR message', async () => {
    const registry = await admin.ok('GET', admin.registryId);
    assert.deepEqual(registry.properties.networkRuleSet, { defaultAction: 'Allow', ipRules: [], virtualNetworkRules: [] });
    assert.equal(registry.properties.publicNetworkAccess, 'Enabled');
    assert.equal(registry.properties.networkRuleBypassOptions, 'AzureServices');
    assert.equal(registry.properties.dataEndpointEnabled, false);
    assert.deepEqual(registry.properties.dataEndpointHostNames, []);
    assert.deepEqual(registry.properties.privateEndpointConnections, []);

    const deny = armError(await std.patchNetwork({ networkRuleSet: { defaultAction: 'Deny' } }), 400);
    assert.equal(deny.message, PREMIUM_RULES);
    assert.equal(deny.target, 'properties.networkRuleSet');
    assert.equal(
      armError(await std.patchNetwork({ networkRuleSet: { defaultAction: 'Allow', ipRules: [{ value: '10.0.0.1' }] } }), 400).message,
      PREMIUM_RULES,
    );
    assert.match(
      armError(await std.patchNetwork({ publicNetworkAccess: 'Disabled' }), 400).message,
      /public network access is only supported for managed registries in Premium SKU/,
    );
    assert.match(
      armError(await std.patchNetwork({ dataEndpointEnabled: true }), 400).message,
      /data endpoints are only supported for managed registries in Premium SKU/,
    );
    // The defaults echoed back are fine on any SKU.
    ok(await std.patchNetwork({ networkRuleSet: { defaultAction: 'Allow', ipRules: [], virtualNetworkRules: [] }, networkRuleBypassOptions: 'AzureServices' }));
  });

  it('makes logins from 127.0.0.2 and 127.0.0.1 while the registry is open (for what-if later)', async () => {
    const password = await admin.enableAdmin();
    const basic = `Basic ${Buffer.from(`netreg:${password}`).toString('base64')}`;
    for (const address of ['127.0.0.2', '127.0.0.2', '127.0.0.1']) {
      const res = await request(`${server.baseUrl}/oauth2/token?service=netreg.localhost&scope=repository:app:pull`, {
        headers: { host: hostOf('netreg'), authorization: basic },
        dispatcher: from(address),
      });
      assert.equal(res.status, 200, `token from ${address}: ${res.text()}`);
    }
  });

  it('saves IP rules with the Azure SDK (update with networkRuleSet) and counts them in listUsages', async () => {
    const updated = await sdk.registries.beginUpdateAndWait(rg, 'netreg', {
      networkRuleSet: {
        defaultAction: 'Deny',
        ipRules: [
          { action: 'Allow', iPAddressOrRange: '127.0.0.1' },
          { action: 'Allow', iPAddressOrRange: '10.1.0.0/16' },
        ],
      },
    });
    assert.equal(updated.networkRuleSet?.defaultAction, 'Deny');
    assert.deepEqual(
      updated.networkRuleSet?.ipRules?.map((r) => r.iPAddressOrRange),
      ['127.0.0.1', '10.1.0.0/16'],
    );
    const shown = await sdk.registries.get(rg, 'netreg');
    assert.deepEqual(
      shown.networkRuleSet?.ipRules?.map((r) => r.iPAddressOrRange),
      ['127.0.0.1', '10.1.0.0/16'],
    );
    const usages = await admin.ok<{ value: { name: string; limit: number; currentValue: number }[] }>('GET', `${admin.registryId}/listUsages`);
    assert.deepEqual(
      usages.value.find((u) => u.name === 'IPRules'),
      { name: 'IPRules', limit: 200, currentValue: 2, unit: 'Count' },
    );
    // A PATCH of another property leaves the rules alone (merge).
    const tagged = ok(await admin.call('PATCH', admin.registryId, { tags: { team: 'net' } }));
    assert.equal(tagged.properties.networkRuleSet.ipRules.length, 2);
  });

  it('refuses each malformed rule with the firewall message, and saves nothing when one rule of many is bad', async () => {
    const cases: [string, RegExp][] = [
      ['300.1.2.3', /'300\.1\.2\.3' is not a valid IPv4 IP rule/],
      ['10.0.0.0/33', /'10\.0\.0\.0\/33' has an invalid prefix length '\/33'/],
      ['2001:db8::/32', /'2001:db8::\/32' is an IPv6 IP rule: network rules support IPv4 addresses and CIDR ranges only/],
      ['010.1.1.1', /is not a valid IPv4 IP rule/],
      ['', /the IP rule is empty/],
    ];
    for (const [value, cause] of cases) {
      const error = armError(
        await admin.patchNetwork({ networkRuleSet: { defaultAction: 'Deny', ipRules: [{ value: '127.0.0.1' }, { value }] } }),
        400,
        'BadRequest',
      );
      assert.ok(error.message.startsWith(FIREWALL('netreg')), error.message);
      assert.match(error.message, cause);
    }
    const mixed = [{ value: '127.0.0.1' }, { value: '192.168.0.0/24' }, { value: '10.2.3.4' }, { value: '1.2.3' }, { value: '172.16.0.0/12' }];
    armError(await admin.patchNetwork({ networkRuleSet: { defaultAction: 'Deny', ipRules: mixed } }), 400);
    const after = await admin.ok('GET', admin.registryId);
    assert.deepEqual(
      after.properties.networkRuleSet.ipRules.map((r: { value: string }) => r.value),
      ['127.0.0.1', '10.1.0.0/16'],
    );
    // az's preview shape (ipAddressOrRange) is read too.
    const az = ok(await admin.patchNetwork({ networkRuleSet: { defaultAction: 'Deny', ipRules: [{ action: 'Allow', ipAddressOrRange: '127.0.0.0/24' }] } }));
    assert.deepEqual(az.properties.networkRuleSet.ipRules, [{ action: 'Allow', value: '127.0.0.0/24' }]);
  });

  it('enforces the Premium limit of 200 IP rules', async () => {
    const rules = (n: number) => [
      { value: '127.0.0.1' },
      ...Array.from({ length: n - 1 }, (_, i) => ({ value: `10.3.${Math.floor(i / 250)}.${(i % 250) + 1}` })),
    ];
    const error = armError(await admin.patchNetwork({ networkRuleSet: { defaultAction: 'Deny', ipRules: rules(201) } }), 400);
    assert.equal(error.message, `${FIREWALL('netreg')}201 IP rules were given; the Premium SKU allows at most 200.`);
    const saved = ok(await admin.patchNetwork({ networkRuleSet: { defaultAction: 'Deny', ipRules: rules(200) } }));
    assert.equal(saved.properties.networkRuleSet.ipRules.length, 200);
    const usages = await admin.ok<{ value: { name: string; currentValue: number }[] }>('GET', `${admin.registryId}/listUsages`);
    assert.equal(usages.value.find((u) => u.name === 'IPRules')?.currentValue, 200);
    ok(await admin.patchNetwork({ networkRuleSet: { defaultAction: 'Allow', ipRules: [], virtualNetworkRules: [] } }));
  });

  let svcSubnet: string;
  let plainSubnet: string;

  it('creates, lists, updates and deletes virtual networks and subnets, with their address rules', async () => {
    const vnet = await admin.putVirtualNetwork('vnet1', ['10.20.0.0/16'], [{ name: 'plain', addressPrefix: '10.20.1.0/24' }]);
    plainSubnet = `${vnet}/subnets/plain`;
    svcSubnet = `${vnet}/subnets/svc`;
    const svc = ok(
      await admin.call('PUT', svcSubnet, {
        properties: { addressPrefix: '10.20.2.0/24', serviceEndpoints: [{ service: 'Microsoft.ContainerRegistry', locations: ['*'] }] },
      }),
      201,
    );
    assert.equal(svc.id, svcSubnet);
    assert.deepEqual(
      svc.properties.serviceEndpoints.map((e: { service: string }) => e.service),
      ['Microsoft.ContainerRegistry'],
    );
    const shown = await admin.ok('GET', vnet);
    assert.deepEqual(shown.properties.addressSpace.addressPrefixes, ['10.20.0.0/16']);
    assert.deepEqual(shown.properties.subnets.map((s: { name: string }) => s.name).sort(), ['plain', 'svc']);
    const listed = await admin.ok('GET', `/subscriptions/${admin.owner.subscriptionId}/providers/Microsoft.Network/virtualNetworks`);
    assert.deepEqual(
      listed.value.map((v: { id: string }) => v.id),
      [vnet],
    );
    assert.equal((await admin.ok('GET', `${vnet}/subnets`)).value.length, 2);

    const outside = armError(
      await admin.call('PUT', `${vnet}/subnets/far`, { properties: { addressPrefix: '10.99.0.0/24' } }),
      400,
      'NetcfgSubnetRangeOutsideVnet',
    );
    assert.match(outside.message, /outside the IP address range of virtual network 'vnet1'/);
    armError(await admin.call('PUT', `${vnet}/subnets/clash`, { properties: { addressPrefix: '10.20.1.128/25' } }), 400, 'NetcfgInvalidSubnet');
    armError(await admin.call('PUT', `${vnet}/subnets/bad`, { properties: { addressPrefix: '10.20.3.0' } }), 400, 'InvalidAddressPrefixFormat');
    ok(await admin.call('PUT', `${vnet}/subnets/tmp`, { properties: { addressPrefix: '10.20.9.0/24' } }), 201);
    ok(await admin.call('DELETE', `${vnet}/subnets/tmp`));
    armError(await admin.call('GET', `${vnet}/subnets/tmp`), 404, 'ResourceNotFound');
    assert.equal((await admin.call('DELETE', `${vnet}/subnets/tmp`)).status, 204);
  });

  it('admits a VNet rule only for an existing subnet with the Microsoft.ContainerRegistry service endpoint', async () => {
    const rule = (id: string) => ({
      networkRuleSet: { defaultAction: 'Deny', ipRules: [{ value: '127.0.0.1' }], virtualNetworkRules: [{ action: 'Allow', id }] },
    });
    const plain = armError(await admin.patchNetwork(rule(plainSubnet)), 400);
    assert.ok(plain.message.startsWith(FIREWALL('netreg')), plain.message);
    assert.match(plain.message, /Subnet 'plain' of virtual network 'vnet1' does not have the service endpoint 'Microsoft.ContainerRegistry' enabled/);
    const missing = armError(await admin.patchNetwork(rule(`${plainSubnet}x`)), 400);
    assert.match(missing.message, /Subnet '.*plainx' could not be found/);
    const saved = ok(
      await admin.patchNetwork({
        networkRuleSet: {
          defaultAction: 'Deny',
          ipRules: [{ value: '127.0.0.1' }],
          virtualNetworkRules: [{ action: 'Allow', virtualNetworkResourceId: svcSubnet }],
        },
      }),
    );
    const savedRules = saved.properties.networkRuleSet.virtualNetworkRules as { action: string; id: string }[];
    // ARM ids compare case-insensitively; the fixed segments keep ARM's spelling.
    assert.deepEqual(
      savedRules.map((r) => ({ action: r.action, id: r.id.toLowerCase() })),
      [{ action: 'Allow', id: svcSubnet.toLowerCase() }],
    );
    assert.match(savedRules[0]!.id, /\/resourceGroups\/.+\/providers\/Microsoft\.Network\/virtualNetworks\/.+\/subnets\//);
    const usages = await admin.ok<{ value: { name: string; currentValue: number }[] }>('GET', `${admin.registryId}/listUsages`);
    assert.equal(usages.value.find((u) => u.name === 'VNetRules')?.currentValue, 1);
    ok(await admin.patchNetwork({ networkRuleSet: { defaultAction: 'Allow', ipRules: [], virtualNetworkRules: [] } }));
  });

  it('needs Microsoft.ContainerRegistry registered in the subnet subscription (a second subscription made by an alias)', async () => {
    const alias = ok(
      await admin.call('PUT', '/providers/Microsoft.Subscription/aliases/teamtwo', { properties: { displayName: 'Team two', workload: 'Production' } }),
      201,
    );
    const second: string = alias.properties.subscriptionId;
    assert.match(second, /^[0-9a-f-]{36}$/);
    assert.equal(ok(await admin.call('GET', '/providers/Microsoft.Subscription/aliases/teamtwo')).properties.subscriptionId, second);
    assert.equal(
      ok(await admin.call('PUT', '/providers/Microsoft.Subscription/aliases/teamtwo', { properties: { displayName: 'Team two' } })).properties.subscriptionId,
      second,
    );

    const provider = (sub: string, ns = 'Microsoft.ContainerRegistry') => `/subscriptions/${sub}/providers/${ns}`;
    assert.equal((await admin.ok('GET', provider(second))).registrationState, 'NotRegistered');
    assert.equal((await admin.ok('GET', provider(admin.owner.subscriptionId))).registrationState, 'Registered');
    assert.equal((await admin.ok('GET', provider(second, 'Microsoft.Network'))).registrationState, 'Registered');
    const all = await admin.ok('GET', `/subscriptions/${second}/providers`);
    assert.ok(all.value.some((p: { namespace: string }) => p.namespace === 'Microsoft.ContainerRegistry'));
    armError(await admin.call('GET', provider(second, 'Microsoft.Nothing')), 404, 'InvalidResourceNamespace');

    ok(await admin.call('PUT', `/subscriptions/${second}/resourceGroups/net2`, { location: 'local' }), 201);
    const refused = armError(
      await admin.call('PUT', `/subscriptions/${second}/resourceGroups/net2/providers/Microsoft.ContainerRegistry/registries/tworeg`, {
        location: 'local',
        sku: { name: 'Premium' },
      }),
      409,
      'MissingSubscriptionRegistration',
    );
    assert.match(refused.message, /not registered to use namespace 'Microsoft.ContainerRegistry'/);
    const vnet = await admin.putVirtualNetwork(
      'vnet2',
      ['10.30.0.0/16'],
      [{ name: 'svc', addressPrefix: '10.30.1.0/24', serviceEndpoints: ['Microsoft.ContainerRegistry'] }],
      {
        resourceGroup: 'net2',
        subscriptionId: second,
      },
    );
    const rule = { networkRuleSet: { defaultAction: 'Allow', virtualNetworkRules: [{ action: 'Allow', id: `${vnet}/subnets/svc` }] } };
    const error = armError(await admin.patchNetwork(rule), 400);
    assert.equal(
      error.message.slice(0, error.message.indexOf(' or the scope is invalid.')),
      `${FIREWALL('netreg')}Could not validate network rule - The client '${admin.owner.clientId}' with object id '${await callerObjectId()}' does not have authorization to perform action 'Microsoft.Network/virtualNetworks/taggedTrafficConsumers/validate/action' over scope '${vnet}/taggedTrafficConsumers/Microsoft.ContainerRegistry'`,
    );
    assert.ok(error.message.endsWith(`az provider register --namespace Microsoft.ContainerRegistry --subscription ${second}`), error.message);

    assert.equal(ok(await admin.call('POST', `${provider(second)}/register`)).registrationState, 'Registered');
    ok(await admin.patchNetwork(rule));
    ok(await admin.patchNetwork({ networkRuleSet: { defaultAction: 'Allow', ipRules: [], virtualNetworkRules: [] } }));
    // Unregistering while registries exist is refused; without registries it works.
    armError(await admin.call('POST', `${provider(admin.owner.subscriptionId)}/unregister`), 409, 'Conflict');
    assert.equal(ok(await admin.call('POST', `${provider(second)}/unregister`)).registrationState, 'NotRegistered');
  });

  async function callerObjectId(): Promise<string> {
    const token = await identityToken(server, admin.owner);
    return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')).oid as string;
  }

  it('refuses a change that would shut out the caller (409 NetworkAccessLockout) unless forced', async () => {
    const lockout = { networkRuleSet: { defaultAction: 'Deny', ipRules: [{ value: '10.9.9.9' }] } };
    const error = armError(await admin.patchNetwork(lockout), 409, 'NetworkAccessLockout');
    assert.match(error.message, /would deny your own address '(::ffff:)?127\.0\.0\.1'/);
    assert.match(error.message, /force=true/);
    assert.equal((await admin.ok('GET', admin.registryId)).properties.networkRuleSet.defaultAction, 'Allow');
    armError(await admin.patchNetwork({ publicNetworkAccess: 'Disabled' }), 409, 'NetworkAccessLockout');

    const forced = ok(await admin.patchNetwork(lockout, { force: true }));
    assert.equal(forced.properties.networkRuleSet.defaultAction, 'Deny');
    // The management plane is not behind the gate: the owner can open it again.
    ok(await admin.patchNetwork({ networkRuleSet: { defaultAction: 'Allow', ipRules: [], virtualNetworkRules: [] } }));
    const header = await server.request(`${admin.registryId}?api-version=2023-07-01`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${await identityToken(server, admin.owner)}`, 'content-type': 'application/json', 'x-wharf-force': 'true' },
      body: JSON.stringify({ properties: lockout }),
    });
    assert.equal(header.status, 200, header.text());
    ok(await admin.patchNetwork({ networkRuleSet: { defaultAction: 'Allow', ipRules: [], virtualNetworkRules: [] } }));
  });

  it('what-if lists the addresses and identities from the login events that a change would shut out', async () => {
    // The audit trail is written in batches: wait until the 127.0.0.2 logins are there.
    for (let i = 0; i < 40; i++) {
      const events = await admin.ok('GET', `${admin.registryId}/loginEvents?callerIpAddress=127.0.0.2`);
      if (events.value.length >= 2) break;
      await sleep(250);
    }
    const body = { properties: { networkRuleSet: { defaultAction: 'Deny', ipRules: [{ value: '127.0.0.1' }] } } };
    const answer = ok(await admin.call('POST', `${admin.registryId}/networkRuleWhatIf?days=7`, body));
    assert.equal(answer.days, 7);
    assert.equal(answer.callerDecision.allowed, true);
    assert.match(answer.callerDecision.rule, /^ipRule:127\.0\.0\.1/);
    const shut = answer.shutOut.find((s: { callerIpAddress: string }) => /127\.0\.0\.2$/.test(s.callerIpAddress));
    assert.ok(shut, JSON.stringify(answer));
    assert.deepEqual(shut.identities, ['netreg']);
    assert.ok(shut.events >= 2);
    assert.equal(shut.rule, 'defaultAction:Deny');
    assert.match(shut.reason, /127\.0\.0\.2/);
    assert.ok(answer.unaffectedAddresses >= 1);
    assert.equal(
      answer.shutOut.some((s: { callerIpAddress: string }) => /127\.0\.0\.1$/.test(s.callerIpAddress)),
      false,
    );
    // Nothing was saved; bad input is refused as a save would be.
    assert.equal((await admin.ok('GET', admin.registryId)).properties.networkRuleSet.defaultAction, 'Allow');
    armError(await admin.call('POST', `${admin.registryId}/networkRuleWhatIf?days=0`, body), 400, 'InvalidParameter');
    armError(
      await admin.call('POST', `${admin.registryId}/networkRuleWhatIf`, {
        properties: { networkRuleSet: { defaultAction: 'Deny', ipRules: [{ value: '1.2.3.400' }] } },
      }),
      400,
      'BadRequest',
    );
  });

  let peSubnet: string;

  it('creates private endpoints: auto-approved for a registry writer, Pending for manual requests and for others', async () => {
    const vnet = await admin.putVirtualNetwork('pevnet', ['127.0.10.0/24'], [{ name: 'pe', addressPrefix: '127.0.10.0/24' }]);
    peSubnet = `${vnet}/subnets/pe`;
    const peId = (name: string, group = rg) => admin.resourceId('Microsoft.Network/privateEndpoints', name, group);

    const auto = ok(await admin.call('PUT', peId('pe-auto'), admin.privateEndpointBody(peSubnet)), 201);
    const autoConnection = auto.properties.privateLinkServiceConnections[0];
    assert.equal(autoConnection.properties.privateLinkServiceConnectionState.status, 'Approved');
    assert.match(autoConnection.name, /^pe-auto\.[0-9a-f]{8}$/);
    assert.equal(auto.properties.ipConfigurations[0].properties.privateIPAddress, '127.0.10.4');
    assert.deepEqual(auto.properties.customDnsConfigs, [
      { fqdn: 'netreg.localhost', ipAddresses: ['127.0.10.4'] },
      { fqdn: 'netreg.local.data.localhost', ipAddresses: ['127.0.10.4'] },
    ]);
    assert.equal(auto.properties.listener.port, server.port);
    assert.equal(auto.properties.provisioningState, 'Succeeded', JSON.stringify(auto.properties.error));

    const manual = ok(await admin.call('PUT', peId('pe-manual'), admin.privateEndpointBody(peSubnet, { manual: true, requestMessage: 'for ci' })), 201);
    const manualConnection = manual.properties.manualPrivateLinkServiceConnections[0];
    assert.equal(manualConnection.properties.privateLinkServiceConnectionState.status, 'Pending');
    assert.equal(manual.properties.ipConfigurations[0].properties.privateIPAddress, '127.0.10.5');

    const fixed = ok(await admin.call('PUT', peId('pe-fixed'), admin.privateEndpointBody(peSubnet, { address: '127.0.10.20', manual: true })), 201);
    assert.equal(fixed.properties.ipConfigurations[0].properties.privateIPAddress, '127.0.10.20');
    armError(await admin.call('PUT', peId('pe-far'), admin.privateEndpointBody(peSubnet, { address: '127.0.11.9' })), 400, 'PrivateIPAddressNotInSubnet');
    armError(await admin.call('PUT', peId('pe-dup'), admin.privateEndpointBody(peSubnet, { address: '127.0.10.20' })), 400, 'PrivateIPAddressInUse');
    armError(await admin.call('PUT', peId('pe-res'), admin.privateEndpointBody(peSubnet, { address: '127.0.10.2' })), 400, 'PrivateIPAddressIsReserved');
    // An address this host doesn't have: saved, but its listener can't bind, and the endpoint says so.
    const farVnet = await admin.putVirtualNetwork('farvnet', ['10.40.0.0/24'], [{ name: 'pe', addressPrefix: '10.40.0.0/24' }]);
    const unbound = ok(await admin.call('PUT', peId('pe-unbound'), admin.privateEndpointBody(`${farVnet}/subnets/pe`)), 201);
    assert.equal(unbound.properties.ipConfigurations[0].properties.privateIPAddress, '10.40.0.4');
    assert.equal(unbound.properties.provisioningState, 'Failed', JSON.stringify(unbound.properties));
    assert.match(unbound.properties.error.message, /EADDRNOTAVAIL|address/i);
    ok(await admin.call('DELETE', peId('pe-unbound')));
    ok(await admin.call('DELETE', farVnet));
    const standard = armError(await admin.call('PUT', peId('pe-std'), admin.privateEndpointBody(peSubnet, { registryId: std.registryId })), 400);
    assert.equal(standard.message, 'Private endpoints are only supported for managed registries in Premium SKU.');

    // A network contributor without write on the registry: its automatic request waits for approval.
    ok(await admin.call('PUT', `/subscriptions/${admin.owner.subscriptionId}/resourceGroups/netops`, { location: 'local' }), 201);
    const opsVnet = await admin.putVirtualNetwork('opsvnet', ['127.0.12.0/24'], [{ name: 'pe', addressPrefix: '127.0.12.0/24' }], { resourceGroup: 'netops' });
    const operator = await admin.createServicePrincipal('net-operator');
    await admin.assignRole(operator.objectId, ROLE.Contributor, `/subscriptions/${admin.owner.subscriptionId}/resourceGroups/netops`);
    await admin.assignRole(operator.objectId, ROLE.Reader);
    const token = await identityToken(server, { tenantId: admin.owner.tenantId, clientId: operator.appId, clientSecret: operator.secret });
    const asOperator = (method: string, path: string, body?: unknown) =>
      server.request(`${path}?api-version=2023-07-01`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    // Joining a subnet needs write on its network.
    armError(await asOperator('PUT', peId('pe-ops', 'netops'), admin.privateEndpointBody(peSubnet)), 403, 'AuthorizationFailed');
    const theirs = ok(await asOperator('PUT', peId('pe-ops', 'netops'), admin.privateEndpointBody(`${opsVnet}/subnets/pe`)), 201);
    assert.equal(theirs.properties.privateLinkServiceConnections[0].properties.privateLinkServiceConnectionState.status, 'Pending');
    assert.equal(theirs.properties.ipConfigurations[0].properties.privateIPAddress, '127.0.12.4');
    // Reader on the registry can't approve it, nor create network resources outside its scope.
    const connections = (await admin.ok('GET', `${admin.registryId}/privateEndpointConnections`)).value as { name: string }[];
    const opsConnection = connections.find((c) => c.name.startsWith('pe-ops.'))!;
    armError(
      await asOperator('PUT', `${admin.registryId}/privateEndpointConnections/${opsConnection.name}`, {
        properties: { privateLinkServiceConnectionState: { status: 'Approved' } },
      }),
      403,
      'AuthorizationFailed',
    );
    armError(
      await asOperator('PUT', admin.resourceId('Microsoft.Network/virtualNetworks', 'elsewhere'), {
        location: 'local',
        properties: { addressSpace: { addressPrefixes: ['10.50.0.0/16'] } },
      }),
      403,
      'AuthorizationFailed',
    );

    const registry = await admin.ok('GET', admin.registryId);
    const states = Object.fromEntries(
      registry.properties.privateEndpointConnections.map((c: any) => [
        c.properties.privateEndpoint.id.split('/').pop(),
        c.properties.privateLinkServiceConnectionState.status,
      ]),
    );
    assert.deepEqual(states, { 'pe-auto': 'Approved', 'pe-manual': 'Pending', 'pe-fixed': 'Pending', 'pe-ops': 'Pending' });
    const usages = await admin.ok<{ value: { name: string; currentValue: number }[] }>('GET', `${admin.registryId}/listUsages`);
    assert.equal(usages.value.find((u) => u.name === 'PrivateEndpointConnections')?.currentValue, 4);
    const subnet = await admin.ok('GET', peSubnet);
    assert.equal(subnet.properties.privateEndpoints.length, 3);
    armError(await admin.call('DELETE', peSubnet), 400, 'InUseSubnetCannotBeDeleted');
  });

  it('serves the registry through an approved private endpoint listener', async () => {
    const res = await request(`https://127.0.10.4:${server.port}/v2/`, { headers: { host: hostOf('netreg') }, dispatcher: from('127.0.0.1') });
    assert.equal(res.status, 401, res.text());
  });

  it('approves, rejects and disconnects connections from the registry side (raw ARM and the SDK)', async () => {
    const connections = (await admin.ok('GET', `${admin.registryId}/privateEndpointConnections`)).value as any[];
    const byEndpoint = (name: string) => connections.find((c) => c.properties.privateEndpoint.id.endsWith(`/${name}`))!;
    const manual = byEndpoint('pe-manual');
    const approved = ok(
      await admin.call('PUT', `${admin.registryId}/privateEndpointConnections/${manual.name}`, {
        properties: { privateLinkServiceConnectionState: { status: 'Approved', description: 'ok for ci' } },
      }),
    );
    assert.deepEqual(approved.properties.privateLinkServiceConnectionState, { status: 'Approved', description: 'ok for ci', actionsRequired: 'None' });
    const endpoint = await admin.ok('GET', admin.resourceId('Microsoft.Network/privateEndpoints', 'pe-manual'));
    assert.equal(endpoint.properties.manualPrivateLinkServiceConnections[0].properties.privateLinkServiceConnectionState.status, 'Approved');

    const fixed = byEndpoint('pe-fixed');
    const rejected = await sdk.privateEndpointConnections.beginCreateOrUpdateAndWait(rg, 'netreg', fixed.name, {
      privateLinkServiceConnectionState: { status: 'Rejected', description: 'no' },
    });
    assert.equal(rejected.privateLinkServiceConnectionState?.status, 'Rejected');
    armError(
      await admin.call('PUT', `${admin.registryId}/privateEndpointConnections/${fixed.name}`, {
        properties: { privateLinkServiceConnectionState: { status: 'Disconnected' } },
      }),
      400,
      'InvalidParameter',
    );

    await sdk.privateEndpointConnections.beginDeleteAndWait(rg, 'netreg', fixed.name);
    const gone = await admin.ok('GET', admin.resourceId('Microsoft.Network/privateEndpoints', 'pe-fixed'));
    assert.equal(gone.properties.manualPrivateLinkServiceConnections[0].properties.privateLinkServiceConnectionState.status, 'Disconnected');
    armError(await admin.call('GET', `${admin.registryId}/privateEndpointConnections/${fixed.name}`), 404, 'PrivateEndpointConnectionNotFound');
    const listed = [];
    for await (const c of sdk.privateEndpointConnections.list(rg, 'netreg')) listed.push(c.name);
    assert.equal(listed.length, 3);
    assert.ok(!listed.includes(fixed.name));

    const links = await admin.ok('GET', `${admin.registryId}/privateLinkResources`);
    assert.deepEqual(links.value[0].properties, {
      groupId: 'registry',
      requiredMembers: ['registry', 'registry_data_local'],
      requiredZoneNames: ['privatelink.localhost'],
    });
    assert.equal((await admin.ok('GET', `${admin.registryId}/privateLinkResources/registry`)).name, 'registry');
    armError(await admin.call('GET', `${admin.registryId}/privateLinkResources/other`), 404);

    ok(await admin.call('DELETE', admin.resourceId('Microsoft.Network/privateEndpoints', 'pe-fixed')));
    armError(await admin.call('GET', admin.resourceId('Microsoft.Network/privateEndpoints', 'pe-fixed')), 404, 'ResourceNotFound');
    const pes = await admin.ok('GET', `/subscriptions/${admin.owner.subscriptionId}/providers/Microsoft.Network/privateEndpoints`);
    assert.deepEqual(pes.value.map((p: { name: string }) => p.name).sort(), ['pe-auto', 'pe-manual', 'pe-ops']);
  });

  it('adds replications and data endpoint names; the home region is listed and kept', async () => {
    const enabled = ok(await admin.patchNetwork({ dataEndpointEnabled: true }));
    assert.deepEqual(enabled.properties.dataEndpointHostNames, ['netreg.local.data.localhost']);
    const replica = await sdk.replications.beginCreateAndWait(rg, 'netreg', 'westeurope', { location: 'westeurope' });
    assert.equal(replica.location, 'westeurope');
    assert.equal(replica.regionEndpointEnabled, true);
    const names = [];
    for await (const r of sdk.replications.list(rg, 'netreg')) names.push(r.name);
    assert.deepEqual(names, ['local', 'westeurope']);
    const registry = await admin.ok('GET', admin.registryId);
    assert.deepEqual(registry.properties.dataEndpointHostNames, ['netreg.local.data.localhost', 'netreg.westeurope.data.localhost']);
    const links = await admin.ok('GET', `${admin.registryId}/privateLinkResources`);
    assert.deepEqual(links.value[0].properties.requiredMembers, ['registry', 'registry_data_local', 'registry_data_westeurope']);
    const endpoint = await admin.ok('GET', admin.resourceId('Microsoft.Network/privateEndpoints', 'pe-auto'));
    assert.ok(endpoint.properties.customDnsConfigs.some((c: { fqdn: string }) => c.fqdn === 'netreg.westeurope.data.localhost'));

    armError(await admin.call('DELETE', `${admin.registryId}/replications/local`), 400, 'BadRequest');
    armError(await admin.call('PUT', `${admin.registryId}/replications/ab`, { location: 'eastus' }), 400, 'InvalidResourceName');
    armError(await admin.call('PUT', `${admin.registryId}/replications/westeurope2`, { location: 'westeurope' }), 409, 'ReplicationAlreadyExists');
    const standard = armError(await std.call('PUT', `${std.registryId}/replications/eastus`, { location: 'eastus' }), 400);
    assert.equal(standard.message, 'Geo-replication is only supported for managed registries in Premium SKU.');

    const downgrade = armError(await admin.call('PATCH', admin.registryId, { sku: { name: 'Standard' } }), 400);
    assert.match(downgrade.message, /cannot move to the Standard SKU: it has dedicated data endpoints enabled, 3 private endpoint connections, 1 replication/);
    assert.equal((await admin.ok('GET', admin.registryId)).sku.name, 'Premium');

    await sdk.replications.beginDeleteAndWait(rg, 'netreg', 'westeurope');
    assert.deepEqual((await admin.ok('GET', admin.registryId)).properties.dataEndpointHostNames, ['netreg.local.data.localhost']);
  });

  it('registers trusted services: managed identities only, by a subscription Owner', async () => {
    const identity = await admin.ok('PUT', admin.resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'builder'), { location: 'local' });
    const principalId: string = identity.properties.principalId;
    const path = `/subscriptions/${admin.owner.subscriptionId}/providers/Wharf.Network/trustedServices`;
    const created = ok(await admin.call('PUT', `${path}/builds`, { properties: { principalId, serviceType: 'Tasks' } }), 201);
    assert.deepEqual([created.name, created.properties.principalId, created.properties.serviceType], ['builds', principalId, 'Tasks']);
    assert.deepEqual(
      (await admin.ok('GET', path)).value.map((s: { name: string }) => s.name),
      ['builds'],
    );
    assert.equal((await admin.ok('GET', `${path}/builds`)).properties.serviceType, 'Tasks');

    const sp = await admin.createServicePrincipal('not-a-service');
    const notManaged = armError(
      await admin.call('PUT', `${path}/sp`, { properties: { principalId: sp.objectId, serviceType: 'Scanner' } }),
      400,
      'InvalidParameter',
    );
    assert.match(notManaged.message, /only managed identities can be trusted services/);
    armError(
      await admin.call('PUT', `${path}/ghost`, { properties: { principalId: '00000000-0000-0000-0000-000000000001', serviceType: 'Scanner' } }),
      400,
      'PrincipalNotFound',
    );

    await admin.assignRole(sp.objectId, ROLE.Contributor, `/subscriptions/${admin.owner.subscriptionId}`);
    const token = await identityToken(server, { tenantId: admin.owner.tenantId, clientId: sp.appId, clientSecret: sp.secret });
    const res = await server.request(`${path}/theirs?api-version=2023-07-01`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { principalId, serviceType: 'Scanner' } }),
    });
    armError(res, 403, 'AuthorizationFailed');

    ok(await admin.call('DELETE', `${path}/builds`));
    armError(await admin.call('GET', `${path}/builds`), 404);
  });

  it("gives private endpoints only addresses in network.privateEndpointRanges, never the public listener's", async () => {
    const peId = (name: string) => admin.resourceId('Microsoft.Network/privateEndpoints', name);
    const outside = await admin.putVirtualNetwork('outsidevnet', ['10.41.0.0/24'], [{ name: 'pe', addressPrefix: '10.41.0.0/24' }]);
    const automatic = armError(
      await admin.call('PUT', peId('pe-outside'), admin.privateEndpointBody(`${outside}/subnets/pe`)),
      400,
      'PrivateIPAddressNotAllowed',
    );
    assert.match(automatic.message, /^Subnet 'pe' \(10\.41\.0\.0\/24\) has no address a private endpoint may use on this server: /);
    assert.match(automatic.message, /config network\.privateEndpointRanges: 127\.0\.0\.0\/8, 10\.40\.0\.0\/24; environment WHARF_PRIVATE_ENDPOINT_RANGES/);
    const fixed = armError(
      await admin.call('PUT', peId('pe-outside'), admin.privateEndpointBody(`${outside}/subnets/pe`, { address: '10.41.0.9' })),
      400,
      'PrivateIPAddressNotAllowed',
    );
    assert.match(
      fixed.message,
      /^Private IP address 10\.41\.0\.9 is outside the ranges private endpoints may use on this server \(config network\.privateEndpointRanges/,
    );
    assert.equal(fixed.target, 'properties.ipConfigurations[0].properties.privateIPAddress');
    armError(await admin.call('GET', peId('pe-outside')), 404, 'ResourceNotFound');

    // A subnet around the public listener's address: 127.0.0.1 is refused (before being one of Azure's reserved
    // addresses), and allocation never yields it.
    const wide = await admin.putVirtualNetwork('widevnet', ['127.0.0.0/8'], [{ name: 'pe', addressPrefix: '127.0.0.0/8' }]);
    const listener = armError(
      await admin.call('PUT', peId('pe-wide'), admin.privateEndpointBody(`${wide}/subnets/pe`, { address: '127.0.0.1', manual: true })),
      400,
      'PrivateIPAddressNotAllowed',
    );
    assert.match(listener.message, /^Private IP address 127\.0\.0\.1 is the address of Wharf's public listener/);
    assert.equal(listener.target, 'properties.ipConfigurations[0].properties.privateIPAddress');
    const allocated = ok(await admin.call('PUT', peId('pe-wide'), admin.privateEndpointBody(`${wide}/subnets/pe`, { manual: true })), 201);
    assert.equal(allocated.properties.ipConfigurations[0].properties.privateIPAddress, '127.0.0.4');
    // The public listener is still public: its requests reach authentication, not the Pending endpoint's refusal.
    assert.equal((await request(`${server.baseUrl}/v2/`, { headers: { host: hostOf('netreg') }, dispatcher: from('127.0.0.1') })).status, 401);
    ok(await admin.call('DELETE', peId('pe-wide')));
    ok(await admin.call('DELETE', wide));
    ok(await admin.call('DELETE', outside));
  });

  it('a trusted service passes only the network rules of registries in the subscription it is registered in', async () => {
    const alias = ok(
      await admin.call('PUT', '/providers/Microsoft.Subscription/aliases/teamthree', { properties: { displayName: 'Team three', workload: 'Production' } }),
      201,
    );
    const subB: string = alias.properties.subscriptionId;
    assert.equal(ok(await admin.call('POST', `/subscriptions/${subB}/providers/Microsoft.ContainerRegistry/register`)).registrationState, 'Registered');
    ok(await admin.call('PUT', `/subscriptions/${subB}/resourcegroups/trustb`, { location: 'local' }), 201);
    const inA = admin.resourceId('Microsoft.ContainerRegistry/registries', 'trusta');
    const inB = admin.resourceId('Microsoft.ContainerRegistry/registries', 'trustb', 'trustb', subB);
    ok(await admin.call('PUT', inA, { location: 'local', sku: { name: 'Premium' } }), 201);
    ok(await admin.call('PUT', inB, { location: 'local', sku: { name: 'Premium' } }), 201);

    // A managed identity that may pull from both registries, registered as a trusted service in subscription A.
    const identity = await admin.ok('PUT', admin.resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'cross-mi'), { location: 'local' });
    const { principalId, clientId } = identity.properties as { principalId: string; clientId: string };
    await admin.assignRole(principalId, ROLE.AcrPull, inA);
    await admin.assignRole(principalId, ROLE.AcrPull, inB);
    const servicesOf = (subscriptionId: string) => `/subscriptions/${subscriptionId}/providers/Wharf.Network/trustedServices`;
    ok(await admin.call('PUT', `${servicesOf(admin.owner.subscriptionId)}/xbuilds`, { properties: { principalId, serviceType: 'Tasks' } }), 201);
    assert.deepEqual((await admin.ok('GET', servicesOf(subB))).value, [], "subscription B lists none of A's trusted services");
    armError(await admin.call('GET', `${servicesOf(subB)}/xbuilds`), 404, 'TrustedServiceNotFound');
    assert.deepEqual(
      (await admin.ok('GET', servicesOf(admin.owner.subscriptionId))).value.map((s: { name: string }) => s.name),
      ['xbuilds'],
    );

    // 127.0.0.3 is denied by both registries; bypass AzureServices lets trusted services through.
    const client = from('127.0.0.3');
    const serviceOf = async (registry: string) =>
      /service="([^"]+)"/.exec(
        (await request(`${server.baseUrl}/v2/`, { headers: { host: hostOf(registry) }, dispatcher: client })).headers['www-authenticate'] ?? '',
      )![1]!;
    const services = { trusta: await serviceOf('trusta'), trustb: await serviceOf('trustb') };
    const rules = { networkRuleSet: { defaultAction: 'Deny', ipRules: [{ action: 'Allow', value: '127.0.0.2' }] }, networkRuleBypassOptions: 'AzureServices' };
    for (const id of [inA, inB]) ok(await admin.patchNetwork(rules, { force: true, registryId: id }));
    await sleep(3200); // role grants are cached for up to 3 s

    const miToken = async () => {
      const res = await server.request(
        `/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${encodeURIComponent('https://management.azure.com/')}&client_id=${clientId}`,
        {
          headers: { metadata: 'true' },
        },
      );
      assert.equal(res.status, 200, res.text());
      return res.json<{ access_token: string }>().access_token;
    };
    const token = await miToken();
    const exchange = (registry: 'trusta' | 'trustb') =>
      request(`${server.baseUrl}/oauth2/exchange`, {
        method: 'POST',
        headers: { host: hostOf(registry), 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=access_token&service=${services[registry]}&access_token=${token}`,
        dispatcher: client,
      });
    const denied = (res: HttpResponse, why: string) => {
      assert.equal(res.status, 403, `${why}: ${res.status} ${res.text()}`);
      assert.deepEqual(
        res.json(),
        { errors: [{ code: 'DENIED', message: "client with IP '127.0.0.3' is not allowed access. Refer docs/network-access.md#firewall to grant access." }] },
        why,
      );
    };

    const passed = await exchange('trusta');
    assert.equal(passed.status, 200, passed.text());
    denied(await exchange('trustb'), "a trusted service of subscription A, at subscription B's registry");
    const reasons = async () =>
      (await admin.ok('GET', `${inB}/loginEvents?operationName=Network`)).value.map((row: { Reason: string }) => row.Reason) as string[];
    let seen: string[] = [];
    for (let i = 0; i < 50 && !seen.some((r) => /is a trusted service of another subscription, not of the registry's$/.test(r)); i++) {
      await sleep(100);
      seen = await reasons();
    }
    assert.ok(
      seen.some((r) => /is a trusted service of another subscription, not of the registry's$/.test(r)),
      seen.join('\n'),
    );

    // Registered in B too, it passes there; removed from A, it no longer passes in A (B's registration stays).
    ok(await admin.call('PUT', `${servicesOf(subB)}/xbuilds`, { properties: { principalId, serviceType: 'Tasks' } }), 201);
    assert.equal((await exchange('trustb')).status, 200);
    ok(await admin.call('DELETE', `${servicesOf(admin.owner.subscriptionId)}/xbuilds`));
    denied(await exchange('trusta'), 'after its registration in A was deleted');
    assert.equal((await exchange('trustb')).status, 200);
    assert.equal((await admin.ok('GET', `${servicesOf(subB)}/xbuilds`)).name, 'xbuilds');

    ok(await admin.call('DELETE', `${servicesOf(subB)}/xbuilds`));
    denied(await exchange('trustb'), "after B's registration was deleted too");
    ok(await admin.call('DELETE', inA));
    ok(await admin.call('DELETE', inB));
  });

  it('deleting the registry disconnects its private endpoints; then they and their subnet can go', async () => {
    ok(await admin.call('DELETE', admin.registryId));
    const endpoint = await admin.ok('GET', admin.resourceId('Microsoft.Network/privateEndpoints', 'pe-auto'));
    assert.equal(endpoint.properties.privateLinkServiceConnections[0].properties.privateLinkServiceConnectionState.status, 'Disconnected');
    for (const [name, group] of [
      ['pe-auto', rg],
      ['pe-manual', rg],
      ['pe-ops', 'netops'],
    ] as const) {
      ok(await admin.call('DELETE', admin.resourceId('Microsoft.Network/privateEndpoints', name, group)));
    }
    ok(await admin.call('DELETE', peSubnet));
  });
});

describe('private endpoint addresses under concurrent requests (PostgreSQL: requests interleave)', () => {
  let postgres: PostgresServer;
  let server: WharfServer;
  let admin: WharfAdmin;
  let subnet: string;
  const peId = (name: string) => admin.resourceId('Microsoft.Network/privateEndpoints', name);

  before(async () => {
    postgres = await startPostgres();
    server = await startWharf({ secure: true, args: ['--postgres', await postgres.createDatabase('peconflicts')] });
    admin = new WharfAdmin(server, 'racereg');
    ok(await admin.call('PUT', admin.registryId, { location: 'local', sku: { name: 'Premium' } }), 201);
    const vnet = await admin.putVirtualNetwork('racevnet', ['127.0.30.0/24'], [{ name: 'pe', addressPrefix: '127.0.30.0/24' }]);
    subnet = `${vnet}/subnets/pe`;
  });
  after(async () => {
    await server?.stop();
    await postgres?.stop();
  });

  it('two endpoints allocated at once each get their own address (a conflict is retried once)', async () => {
    for (let round = 0; round < 3; round++) {
      const names = [`pe-auto${round}a`, `pe-auto${round}b`];
      const results = await Promise.all(names.map((name) => admin.call('PUT', peId(name), admin.privateEndpointBody(subnet, { manual: true }))));
      const addresses = results.map((res) => ok(res, 201).properties.ipConfigurations[0].properties.privateIPAddress as string);
      assert.notEqual(addresses[0], addresses[1], addresses.join(' '));
      for (const name of names) ok(await admin.call('DELETE', peId(name)));
    }
  });

  it('the loser of a race for a static address gets 409 Conflict naming the holder (or 400 when the winner was already saved), never a 500', async () => {
    let conflicts = 0;
    for (let round = 0; round < 10 && conflicts === 0; round++) {
      const address = `127.0.30.${100 + round}`;
      const names = [0, 1, 2, 3].map((i) => `pe-static${round}-${i}`);
      const results = await Promise.all(names.map((name) => admin.call('PUT', peId(name), admin.privateEndpointBody(subnet, { address, manual: true }))));
      const winners = names.filter((_, i) => results[i]!.status === 201);
      assert.equal(winners.length, 1, results.map((r) => `${r.status} ${r.text()}`).join('\n'));
      for (const res of results) {
        if (res.status === 201) continue;
        if (res.status === 400) {
          armError(res, 400, 'PrivateIPAddressInUse');
          continue;
        }
        const error = armError(res, 409, 'PrivateIPAddressInUse');
        assert.match(
          error.message,
          new RegExp(`^Private IP address ${address.replace(/\./g, '\\.')}:${server.port} is in use by private endpoint '${winners[0]}'`),
        );
        conflicts++;
      }
      ok(await admin.call('DELETE', peId(winners[0]!)));
    }
    assert.ok(conflicts > 0, 'no request lost a race in 10 rounds of 4 concurrent requests');
  });
});

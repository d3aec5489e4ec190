/**
 * A registry's VNet rule admits the address prefixes its subnet declares, so the subnet is part
 * of the registry's security boundary (through the wire, review of issue 4):
 * - adding a rule needs the right to join the subnet (ARM's joinViaServiceEndpoint action);
 * - changing the prefixes of a subnet that a rule names needs write on that registry, not only
 *   on the network (a network contributor can't open a registry by widening a subnet);
 * - a subnet or network that a rule names can't be deleted (409), whoever asks;
 * - a subnet prefix must be /8 or longer.
 * The gate is checked from 127.0.0.2: denied while the subnet is narrow, admitted once the
 * registry's owner widens it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Agent } from 'undici';
import { request, type HttpResponse } from '../helpers/http.js';
import { ROLE, WharfAdmin, identityToken } from '../helpers/wharf-admin.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

const JOIN = 'Microsoft.Network/virtualNetworks/subnets/joinViaServiceEndpoint/action';
const REGISTRY_WRITE = 'Microsoft.ContainerRegistry/registries/write';

function armError(res: HttpResponse, status: number, code: string): { code: string; message: string } {
  assert.equal(res.status, status, `${res.status} ${res.text()}`);
  const body = res.json<{ error?: { code: string; message: string } }>();
  assert.ok(body?.error, `an ARM error body: ${res.text()}`);
  assert.equal(body.error.code, code, res.text());
  return body.error;
}

function ok<T = any>(res: HttpResponse, status = 200): T {
  assert.equal(res.status, status, `${res.status} ${res.text()}`);
  return res.json<T>();
}

type Call = (method: string, path: string, body?: unknown) => Promise<HttpResponse>;

describe('subnets named by registry network rules', () => {
  let server: WharfServer;
  let admin: WharfAdmin;
  let agent: Agent;
  /** Contributor on resource group 'netops' (holding the network), Reader on the registry. */
  let asOperator: Call;
  /** Contributor on the registry only. */
  let asRegistryAdmin: Call;
  let registryAdminId: string;
  let opsVnet: string;
  let svcSubnet: string;

  const subnetBody = (addressPrefix: string, serviceEndpoint = true) => ({
    properties: { addressPrefix, serviceEndpoints: serviceEndpoint ? [{ service: 'Microsoft.ContainerRegistry', locations: ['*'] }] : [] },
  });
  const vnetBody = (space: string[], svcPrefix?: string) => ({
    location: 'local',
    properties: {
      addressSpace: { addressPrefixes: space },
      ...(svcPrefix ? { subnets: [{ name: 'svc', ...subnetBody(svcPrefix) }] } : {}),
    },
  });
  const ruleSet = (...subnets: string[]) => ({
    networkRuleSet: { defaultAction: 'Deny', ipRules: [{ value: '127.0.0.1' }], virtualNetworkRules: subnets.map((id) => ({ action: 'Allow', id })) },
  });
  const savedRules = async () =>
    ((await admin.ok('GET', admin.registryId)).properties.networkRuleSet.virtualNetworkRules as { id: string }[]).map((r) => r.id.toLowerCase()).sort();

  async function principal(name: string, grants: [string, string][]): Promise<{ call: Call; objectId: string }> {
    const sp = await admin.createServicePrincipal(name);
    for (const [role, scope] of grants) await admin.assignRole(sp.objectId, role, scope);
    const token = await identityToken(server, { tenantId: admin.owner.tenantId, clientId: sp.appId, clientSecret: sp.secret });
    const call: Call = (method, path, body) =>
      server.request(`${path}?api-version=2023-07-01`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    return { call, objectId: sp.objectId };
  }

  /** GET /v2/ on the registry from 127.0.0.2: 403 DENIED by the gate, or 401 once past it. */
  async function v2From2(): Promise<number> {
    const res = await request(`${server.baseUrl}/v2/`, { headers: { host: `guardreg.localhost:${server.port}` }, dispatcher: agent });
    if (res.status === 403) assert.equal(res.json<{ errors: { code: string }[] }>().errors[0]!.code, 'DENIED', res.text());
    return res.status;
  }

  before(async () => {
    server = await startWharf({ secure: true });
    agent = new Agent({
      localAddress: '127.0.0.2',
      connect: { ca: readFileSync(server.caFile!, 'utf8'), checkServerIdentity: () => undefined },
      keepAliveTimeout: 1000,
    });
    admin = new WharfAdmin(server, 'guardreg');
    ok(await admin.call('PUT', admin.registryId, { location: 'local', sku: { name: 'Premium' } }), 201);
    const subscription = `/subscriptions/${admin.owner.subscriptionId}`;
    ok(await admin.call('PUT', `${subscription}/resourceGroups/netops`, { location: 'local' }), 201);
    opsVnet = admin.resourceId('Microsoft.Network/virtualNetworks', 'opsvnet', 'netops');
    svcSubnet = `${opsVnet}/subnets/svc`;
    ok(await admin.call('PUT', opsVnet, vnetBody(['127.0.0.0/8'], '127.0.20.0/24')), 201);
    asOperator = (
      await principal('net-operator', [
        [ROLE.Contributor, `${subscription}/resourceGroups/netops`],
        [ROLE.Reader, admin.registryId],
      ])
    ).call;
    const registryAdmin = await principal('registry-admin', [[ROLE.Contributor, admin.registryId]]);
    asRegistryAdmin = registryAdmin.call;
    registryAdminId = registryAdmin.objectId;
  });
  after(async () => {
    await agent?.close().catch(() => {});
    await server?.stop();
  });

  it('the owner adds a rule for the subnet; 127.0.0.2 is outside it and denied', async () => {
    ok(await admin.patchNetwork(ruleSet(svcSubnet)));
    assert.deepEqual(await savedRules(), [svcSubnet.toLowerCase()]);
    assert.equal(await v2From2(), 403);
  });

  it('a network contributor without registry write cannot widen the subnet (subnet PUT or VNet PUT); nothing is saved', async () => {
    const bySubnet = armError(await asOperator('PUT', svcSubnet, subnetBody('127.0.0.0/16')), 403, 'AuthorizationFailed');
    assert.match(bySubnet.message, new RegExp(`perform action '${REGISTRY_WRITE}' over scope '${admin.registryId.replace(/[/.]/g, '\\$&')}'`, 'i'));
    assert.match(
      bySubnet.message,
      /Subnet '.*\/subnets\/svc' is used by the network rules of registry 'guardreg'; changing its address prefixes changes who that registry admits\./i,
    );
    armError(await asOperator('PUT', opsVnet, vnetBody(['127.0.0.0/8'], '127.0.0.0/8')), 403, 'AuthorizationFailed');
    // Recreating the subnet under the same id with other prefixes (VNet PUT) is a change too.
    const recreated = {
      location: 'local',
      properties: { addressSpace: { addressPrefixes: ['127.0.0.0/8'] }, subnets: [{ name: 'SVC', ...subnetBody('127.0.0.0/12') }] },
    };
    armError(await asOperator('PUT', opsVnet, recreated), 403, 'AuthorizationFailed');

    assert.equal((await admin.ok('GET', svcSubnet)).properties.addressPrefix, '127.0.20.0/24');
    const vnet = await admin.ok('GET', opsVnet);
    assert.deepEqual(
      vnet.properties.subnets.map((s: { name: string }) => s.name),
      ['svc'],
    );
    assert.equal(await v2From2(), 403);
  });

  it('the network contributor may still do what does not change the prefixes', async () => {
    // Same prefixes (spelled as a list), service endpoint removed then added back; address space grown.
    ok(await asOperator('PUT', svcSubnet, { properties: { addressPrefixes: ['127.0.20.0/24'], serviceEndpoints: [] } }));
    ok(await asOperator('PUT', svcSubnet, subnetBody('127.0.20.0/24')));
    ok(await asOperator('PUT', opsVnet, vnetBody(['127.0.0.0/8', '10.70.0.0/16'], '127.0.20.0/24')));
    // A subnet no rule names is the network's own business.
    ok(await asOperator('PUT', `${opsVnet}/subnets/other`, subnetBody('10.70.1.0/24')), 201);
    ok(await asOperator('PUT', `${opsVnet}/subnets/other`, subnetBody('10.70.0.0/16')));
    ok(await asOperator('DELETE', `${opsVnet}/subnets/other`));
    assert.equal(await v2From2(), 403);
  });

  it('a subnet or network that a rule names cannot be deleted, not even by the owner (409)', async () => {
    const subnet = armError(await asOperator('DELETE', svcSubnet), 409, 'InUseSubnetCannotBeDeleted');
    assert.match(subnet.message, /Subnet 'svc' of virtual network 'opsvnet' is in use by the virtual network rules of registry 'guardreg'/);
    armError(await admin.call('DELETE', svcSubnet), 409, 'InUseSubnetCannotBeDeleted');
    armError(await admin.call('DELETE', opsVnet), 409, 'InUseSubnetCannotBeDeleted');
    // Dropping it from the inline subnets of a VNet PUT is a delete too.
    armError(
      await admin.call('PUT', opsVnet, { location: 'local', properties: { addressSpace: { addressPrefixes: ['127.0.0.0/8'] }, subnets: [] } }),
      409,
      'InUseSubnetCannotBeDeleted',
    );
    ok(await admin.call('GET', svcSubnet));
  });

  it('the registry owner can widen the subnet, and then 127.0.0.2 is admitted', async () => {
    const widened = ok(await admin.call('PUT', svcSubnet, subnetBody('127.0.0.0/16')));
    assert.equal(widened.properties.addressPrefix, '127.0.0.0/16');
    assert.equal(await v2From2(), 401);
    ok(await admin.call('PUT', svcSubnet, subnetBody('127.0.20.0/24')));
    assert.equal(await v2From2(), 403);
  });

  it('adding a rule needs the right to join the subnet (403 AuthorizationFailed), checked for all before saving', async () => {
    // Role assignments go to subscriptions, resource groups and registries: the network gets its own group.
    const privGroup = `/subscriptions/${admin.owner.subscriptionId}/resourceGroups/privnet`;
    ok(await admin.call('PUT', privGroup, { location: 'local' }), 201);
    const privVnet = admin.resourceId('Microsoft.Network/virtualNetworks', 'privvnet', 'privnet');
    ok(await admin.call('PUT', privVnet, vnetBody(['10.80.0.0/16'], '10.80.1.0/24')), 201);
    const privSubnet = `${privVnet}/subnets/svc`;

    const refused = armError(await asRegistryAdmin('PATCH', admin.registryId, { properties: ruleSet(svcSubnet, privSubnet) }), 403, 'AuthorizationFailed');
    assert.match(
      refused.message,
      new RegExp(
        `^The client '.+' with object id '${registryAdminId}' does not have authorization to perform action '${JOIN.replace(/[/.]/g, '\\$&')}' over scope '${privSubnet.replace(/[/.]/g, '\\$&')}' or the scope is invalid`,
        'i',
      ),
    );
    assert.deepEqual(await savedRules(), [svcSubnet.toLowerCase()]);
    // A subnet that does not exist is refused the same way (no existence oracle), and by PUT too.
    armError(await asRegistryAdmin('PATCH', admin.registryId, { properties: ruleSet(`${privVnet}/subnets/nothing`) }), 403, 'AuthorizationFailed');
    armError(
      await asRegistryAdmin('PUT', admin.registryId, { location: 'local', sku: { name: 'Premium' }, properties: ruleSet(svcSubnet, privSubnet) }),
      403,
      'AuthorizationFailed',
    );
    // What-if predicts the same refusal.
    armError(await asRegistryAdmin('POST', `${admin.registryId}/networkRuleWhatIf`, { properties: ruleSet(privSubnet) }), 403, 'AuthorizationFailed');
    assert.deepEqual(await savedRules(), [svcSubnet.toLowerCase()]);

    // A rule already saved needs no new right; removing one needs none either.
    ok(
      await asRegistryAdmin('PATCH', admin.registryId, {
        properties: { networkRuleSet: { ...ruleSet(svcSubnet).networkRuleSet, ipRules: [{ value: '127.0.0.1' }, { value: '10.9.0.0/16' }] } },
      }),
    );
    ok(await asRegistryAdmin('PATCH', admin.registryId, { properties: ruleSet() }));
    assert.deepEqual(await savedRules(), []);
    // Re-adding a removed rule is adding: the registry admin has no right on the operator's network.
    armError(await asRegistryAdmin('PATCH', admin.registryId, { properties: ruleSet(svcSubnet) }), 403, 'AuthorizationFailed');

    // With write on the network, it may.
    await admin.assignRole(registryAdminId, ROLE.Contributor, privGroup);
    ok(await asRegistryAdmin('PATCH', admin.registryId, { properties: ruleSet(privSubnet) }));
    assert.deepEqual(await savedRules(), [privSubnet.toLowerCase()]);
    // And now the operator's subnet is free to go.
    ok(await asOperator('DELETE', svcSubnet));
  });

  it('refuses subnet prefixes shorter than /8 (subnet PUT and inline), accepts /8', async () => {
    const wideVnet = admin.resourceId('Microsoft.Network/virtualNetworks', 'widevnet');
    ok(await admin.call('PUT', wideVnet, vnetBody(['0.0.0.0/1', '128.0.0.0/1'])), 201);
    for (const prefix of ['0.0.0.0/1', '128.0.0.0/1', '10.0.0.0/7', '0.0.0.0/0']) {
      const error = armError(await admin.call('PUT', `${wideVnet}/subnets/all`, subnetBody(prefix)), 400, 'InvalidAddressPrefix');
      assert.match(error.message, /prefix length must be \/8 or longer/);
    }
    armError(await admin.call('PUT', wideVnet, vnetBody(['0.0.0.0/1', '128.0.0.0/1'], '64.0.0.0/2')), 400, 'InvalidAddressPrefix');
    armError(await admin.call('GET', `${wideVnet}/subnets/all`), 404, 'ResourceNotFound');
    ok(await admin.call('PUT', `${wideVnet}/subnets/eight`, subnetBody('10.0.0.0/8')), 201);
  });
});

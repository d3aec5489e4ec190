/**
 * The virtual network service over a SQLite store in a temporary directory: names, the layout
 * of subnets in the address space (inside it, not overlapping, not wider than a /8), inline
 * subnets replacing a network's, subnets held by private endpoints or registries' VNet rules,
 * the caller's write on such registries for new prefixes, and the network event of each change.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { InProcessChangeEvents, type ChangeEvent } from '../../src/domain/change-events.js';
import { VirtualNetworkService, type NetworkCaller, type SubnetInput, type VirtualNetworkInput } from '../../src/domain/virtual-network-service.js';
import { openMetadataStore } from '../../src/storage/metadata/open.js';
import type { ProviderState } from '../../src/storage/metadata/network-records.js';
import type { MetadataStore } from '../../src/storage/metadata/store.js';
import { refusal } from '../helpers/arm-refusal.js';
import { tempDir } from '../helpers/tmp.js';

const SUB = '00000000-0000-0000-0000-000000000001';
const UNREGISTERED_SUB = '00000000-0000-0000-0000-000000000002';
const vnetKey = (name: string, sub = SUB) => `/subscriptions/${sub}/resourcegroups/rg/providers/microsoft.network/virtualnetworks/${name}`;

const subnet = (name: string, ...addressPrefixes: string[]): SubnetInput => ({ name, addressPrefixes, serviceEndpoints: [], field: 'properties' });

describe('virtual network service', () => {
  let store: MetadataStore;
  let service: VirtualNetworkService;
  let events: ChangeEvent[];
  const owner: NetworkCaller = { claims: { name: 'owner', objectId: 'o1' }, mayWriteRegistry: async () => true };
  const networkOnly: NetworkCaller = { claims: { name: 'netadmin', objectId: 'n1' }, mayWriteRegistry: async () => false };
  const place = (name: string, subscriptionId = SUB) => ({ key: vnetKey(name, subscriptionId), subscriptionId, resourceGroup: 'rg', name });
  const input =
    (extra: Partial<VirtualNetworkInput> = {}) =>
    async (): Promise<VirtualNetworkInput> => ({ location: 'local', addressPrefixes: ['10.1.0.0/16'], tags: {}, ...extra });

  before(async () => {
    store = await openMetadataStore({ driver: 'sqlite', path: join(tempDir('vnets'), 'metadata.sqlite') });
    const bus = new InProcessChangeEvents();
    bus.subscribe((event) => events.push(event));
    service = new VirtualNetworkService({
      network: store.network,
      registries: store.registries,
      providerState: async (subscriptionId): Promise<ProviderState> => (subscriptionId === UNREGISTERED_SUB ? 'NotRegistered' : 'Registered'),
      events: bus,
    });
    const placement = { subscriptionId: SUB, resourceGroup: 'rg', location: 'local', sku: 'Premium' as const };
    await store.registries.upsert({ name: 'ruledreg', loginServer: null, deletesEnabled: true, placement });
  });
  after(async () => {
    await store?.close();
  });
  beforeEach(() => {
    events = [];
  });

  it('creates a network with its subnets, then replaces it, publishing a network event each time', async () => {
    const first = await service.putNetwork(place('vnet1'), input({ subnets: [subnet('a', '10.1.0.0/24'), subnet('b', '10.1.1.0/24')] }), owner);
    assert.equal(first.created, true);
    assert.deepEqual((await store.network.subnets(first.vnet.id)).map((s) => s.name).sort(), ['a', 'b']);
    const second = await service.putNetwork(place('vnet1'), input({ tags: { env: 'test' } }), owner);
    assert.equal(second.created, false);
    assert.deepEqual(second.vnet.tags, { env: 'test' });
    assert.equal((await store.network.subnets(first.vnet.id)).length, 2, 'subnets left out of the request stay');
    assert.deepEqual(events, [{ kind: 'network' }, { kind: 'network' }]);
  });

  it('refuses a bad name, an unregistered provider, another location, and a bad layout, saving nothing', async () => {
    assert.equal((await refusal(service.putNetwork(place('-bad'), input(), owner))).code, 'InvalidResourceName');
    assert.equal((await refusal(service.putNetwork(place('vnet2', UNREGISTERED_SUB), input(), owner))).code, 'MissingSubscriptionRegistration');
    assert.equal((await refusal(service.putNetwork(place('vnet1'), input({ location: 'elsewhere' }), owner))).code, 'InvalidResourceLocation');
    const outside = await refusal(service.putNetwork(place('vnet2'), input({ subnets: [subnet('a', '10.2.0.0/24')] }), owner));
    assert.equal(outside.code, 'NetcfgSubnetRangeOutsideVnet');
    const overlap = await refusal(service.putNetwork(place('vnet2'), input({ subnets: [subnet('a', '10.1.0.0/24'), subnet('b', '10.1.0.128/25')] }), owner));
    assert.equal(overlap.code, 'NetcfgInvalidSubnet');
    const twice = await refusal(service.putNetwork(place('vnet2'), input({ subnets: [subnet('a', '10.1.0.0/24'), subnet('A', '10.1.1.0/24')] }), owner));
    assert.equal(twice.code, 'InvalidRequestFormat');
    const malformed = await refusal(service.putNetwork(place('vnet2'), input({ addressPrefixes: ['10.1.0.0/99'] }), owner));
    assert.equal(malformed.code, 'InvalidAddressPrefixFormat');
    assert.equal(malformed.target, 'properties.addressSpace.addressPrefixes[0]');
    const wide = await refusal(service.putNetwork(place('vnet2'), input({ addressPrefixes: ['0.0.0.0/0'], subnets: [subnet('all', '0.0.0.0/1')] }), owner));
    assert.equal(wide.code, 'InvalidAddressPrefix');
    assert.equal(wide.target, 'properties.addressPrefix');
    assert.equal(await store.network.virtualNetwork(vnetKey('vnet2')), undefined);
    assert.deepEqual(events, []);
  });

  it('puts and deletes single subnets inside the address space', async () => {
    const vnet = (await store.network.virtualNetwork(vnetKey('vnet1')))!;
    const { subnet: c, created } = await service.putSubnet(vnet, { ...subnet('c', '10.1.2.0/24'), serviceEndpoints: ['Microsoft.ContainerRegistry'] }, owner);
    assert.equal(created, true);
    assert.deepEqual(c.serviceEndpoints, ['Microsoft.ContainerRegistry']);
    assert.equal((await refusal(service.putSubnet(vnet, subnet('d', '10.1.2.128/25'), owner))).code, 'NetcfgInvalidSubnet');
    assert.equal(await service.deleteSubnet(vnet, 'c'), true);
    assert.equal(await service.deleteSubnet(vnet, 'c'), false, 'a subnet already gone');
    assert.deepEqual(events, [{ kind: 'network' }, { kind: 'network' }]);
  });

  it("keeps a subnet a registry's VNet rule names: no delete, and new prefixes need write on the registry", async () => {
    const vnet = (await store.network.virtualNetwork(vnetKey('vnet1')))!;
    const ruled = `${vnet.id}/subnets/a`;
    await store.network.saveRegistrySettings('ruledreg', {
      publicNetworkAccess: 'Enabled',
      defaultAction: 'Deny',
      ipRules: [],
      virtualNetworkRules: [ruled],
      bypass: 'AzureServices',
      dataEndpointEnabled: false,
    });
    const deleting = await refusal(service.deleteSubnet(vnet, 'a'));
    assert.equal(deleting.code, 'InUseSubnetCannotBeDeleted');
    assert.equal(deleting.status, 409);
    assert.equal((await refusal(service.deleteNetwork(vnet.id))).code, 'InUseSubnetCannotBeDeleted');
    const dropped = await refusal(service.putNetwork(place('vnet1'), input({ subnets: [subnet('b', '10.1.1.0/24')] }), owner));
    assert.equal(dropped.code, 'InUseSubnetCannotBeDeleted', 'inline subnets that leave out a ruled one');
    const widened = await refusal(service.putSubnet(vnet, subnet('a', '10.1.0.0/25'), networkOnly));
    assert.equal(widened.code, 'AuthorizationFailed');
    assert.equal(widened.status, 403);
    // The same prefixes are no change: write on the network is enough.
    assert.equal((await service.putSubnet(vnet, subnet('a', '10.1.0.0/24'), networkOnly)).created, false);
    assert.equal((await service.putSubnet(vnet, subnet('a', '10.1.0.0/25'), owner)).subnet.addressPrefixes[0], '10.1.0.0/25');
    assert.equal((await store.network.subnet(ruled))?.addressPrefixes[0], '10.1.0.0/25');
  });

  it('keeps a subnet holding a private endpoint, and its address inside the subnet', async () => {
    await service.putNetwork(place('vnet3'), input({ addressPrefixes: ['10.3.0.0/16'], subnets: [subnet('pe', '10.3.0.0/24')] }), owner);
    const vnet = (await store.network.virtualNetwork(vnetKey('vnet3')))!;
    await store.network.savePrivateEndpoint({
      id: `/subscriptions/${SUB}/resourcegroups/rg/providers/microsoft.network/privateendpoints/pe1`,
      subscriptionId: SUB,
      resourceGroup: 'rg',
      name: 'pe1',
      location: 'local',
      subnetId: `${vnet.id}/subnets/pe`,
      address: '10.3.0.200',
      port: 8443,
      registry: 'ruledreg',
      connectionName: 'pe1.0001',
      manual: false,
      requestMessage: '',
      status: 'Approved',
      statusDescription: 'Auto-Approved',
      createdAt: new Date().toISOString(),
    });
    events = [];
    assert.equal((await refusal(service.deleteSubnet(vnet, 'pe'))).code, 'InUseSubnetCannotBeDeleted');
    assert.equal((await refusal(service.deleteNetwork(vnet.id))).code, 'InUseSubnetCannotBeDeleted');
    assert.equal((await refusal(service.putSubnet(vnet, subnet('pe', '10.3.0.0/25'), owner))).code, 'InUseSubnetCannotBeUpdated');
    assert.deepEqual(events, []);
    await store.network.deletePrivateEndpoint(`/subscriptions/${SUB}/resourcegroups/rg/providers/microsoft.network/privateendpoints/pe1`);
    assert.equal(await service.deleteNetwork(vnet.id), true);
    assert.equal(await service.deleteNetwork(vnet.id), false, 'a network already gone');
    assert.deepEqual(events, [{ kind: 'network' }]);
  });
});

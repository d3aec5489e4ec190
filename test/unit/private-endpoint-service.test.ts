/**
 * The private endpoint service over a SQLite store in a temporary directory: listener address
 * allocation (from .4 up, inside the ranges this server may bind, never the public listener's
 * address), the Premium target and its quota, approval, that an endpoint never moves, and the
 * network event and listener reconcile each change brings.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { InProcessChangeEvents, type ChangeEvent } from '../../src/domain/change-events.js';
import { PrivateEndpointService, type EndpointCaller, type EndpointRequest } from '../../src/domain/private-endpoint-service.js';
import { parseSubnetId } from '../../src/domain/network-ids.js';
import { openMetadataStore } from '../../src/storage/metadata/open.js';
import type { MetadataStore } from '../../src/storage/metadata/store.js';
import { refusal } from '../helpers/arm-refusal.js';
import { tempDir } from '../helpers/tmp.js';

const SUB = '00000000-0000-0000-0000-000000000001';
const VNET = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet1`;
const SUBNET = `${VNET}/subnets/endpoints`;
const OTHER_SUBNET = `${VNET}/subnets/outside`;
const registryId = (name: string) => `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/${name}`;

describe('private endpoint service', () => {
  let store: MetadataStore;
  let service: PrivateEndpointService;
  let events: ChangeEvent[];
  let reconciled: number;
  const owner: EndpointCaller = { requireJoin: async () => {}, mayWriteRegistry: async () => true };
  const reader: EndpointCaller = { requireJoin: async () => {}, mayWriteRegistry: async () => false };
  const place = (name: string) => ({
    key: `/subscriptions/${SUB}/resourcegroups/rg/providers/microsoft.network/privateendpoints/${name}`,
    subscriptionId: SUB,
    resourceGroup: 'rg',
    name,
  });
  const request =
    (extra: Partial<EndpointRequest> & { registry?: string; manual?: boolean; subnetId?: string } = {}) =>
    async (): Promise<EndpointRequest> => {
      const subnetIdText = extra.subnetId ?? SUBNET;
      return {
        location: 'local',
        subnetIdText,
        subnet: parseSubnetId(subnetIdText)!,
        connection: { manual: extra.manual ?? false, registryId: registryId(extra.registry ?? 'premreg'), requestMessage: '' },
        ...(extra.wantedAddress !== undefined ? { wantedAddress: extra.wantedAddress } : {}),
      };
    };

  before(async () => {
    store = await openMetadataStore({ driver: 'sqlite', path: join(tempDir('endpoints'), 'metadata.sqlite') });
    const bus = new InProcessChangeEvents();
    bus.subscribe((event) => events.push(event));
    service = new PrivateEndpointService({
      network: store.network,
      registries: store.registries,
      server: { privateEndpointRanges: ['10.50.0.0/24'], host: '10.50.0.4', port: 8443 },
      events: bus,
      listeners: { reconcile: async () => void reconciled++ },
    });
    const placement = { subscriptionId: SUB, resourceGroup: 'rg', location: 'local' };
    await store.registries.upsert({ name: 'premreg', loginServer: null, deletesEnabled: true, placement: { ...placement, sku: 'Premium' } });
    await store.registries.upsert({ name: 'basicreg', loginServer: null, deletesEnabled: true, placement: { ...placement, sku: 'Basic' } });
    const vnetId = VNET.toLowerCase();
    await store.network.saveVirtualNetwork(
      {
        id: vnetId,
        subscriptionId: SUB,
        resourceGroup: 'rg',
        name: 'vnet1',
        location: 'local',
        addressPrefixes: ['10.50.0.0/16'],
        tags: {},
        createdAt: new Date().toISOString(),
      },
      [
        { id: SUBNET.toLowerCase(), vnetId, name: 'endpoints', addressPrefixes: ['10.50.0.0/24'], serviceEndpoints: [] },
        { id: OTHER_SUBNET.toLowerCase(), vnetId, name: 'outside', addressPrefixes: ['10.50.1.0/24'], serviceEndpoints: [] },
      ],
    );
  });
  after(async () => {
    await store?.close();
  });
  beforeEach(() => {
    events = [];
    reconciled = 0;
  });

  it('gives a new endpoint the first free allowed address from .4 up, skipping the public listener', async () => {
    const { endpoint, created } = await service.put(place('pe1'), request(), owner);
    assert.equal(created, true);
    // 10.50.0.4 is the public listener's address (config host): the next one is taken.
    assert.equal(endpoint.address, '10.50.0.5');
    assert.equal(endpoint.port, 8443);
    assert.equal(endpoint.status, 'Approved');
    assert.deepEqual(events, [{ kind: 'network', registry: 'premreg' }]);
    assert.equal(reconciled, 1);
    const second = await service.put(place('pe2'), request({ manual: true }), owner);
    assert.equal(second.endpoint.address, '10.50.0.6');
    assert.equal(second.endpoint.status, 'Pending', 'a manual connection waits for approval');
    const third = await service.put(place('pe3'), request(), reader);
    assert.equal(third.endpoint.status, 'Pending', 'no write right on the registry: no auto-approval');
  });

  it('takes an address asked for, and refuses one reserved, in use, outside the subnet or the allowed ranges', async () => {
    assert.equal((await service.put(place('pe4'), request({ wantedAddress: '10.50.0.20' }), owner)).endpoint.address, '10.50.0.20');
    assert.equal((await refusal(service.put(place('pe5'), request({ wantedAddress: '10.50.0.2' }), owner))).code, 'PrivateIPAddressIsReserved');
    assert.equal((await refusal(service.put(place('pe5'), request({ wantedAddress: '10.50.0.20' }), owner))).code, 'PrivateIPAddressInUse');
    assert.equal((await refusal(service.put(place('pe5'), request({ wantedAddress: '10.60.0.9' }), owner))).code, 'PrivateIPAddressNotInSubnet');
    assert.equal((await refusal(service.put(place('pe5'), request({ wantedAddress: '10.50.0.4' }), owner))).code, 'PrivateIPAddressNotAllowed');
    const outside = await refusal(service.put(place('pe5'), request({ subnetId: OTHER_SUBNET }), owner));
    assert.equal(outside.code, 'PrivateIPAddressNotAllowed');
    assert.equal(outside.target, 'properties.subnet.id');
    assert.deepEqual(events.length, 1, 'only the endpoint that was saved');
  });

  it('refuses a registry below Premium, an unknown registry and an unknown subnet', async () => {
    assert.equal((await refusal(service.put(place('pe6'), request({ registry: 'basicreg' }), owner))).code, 'FeatureNotSupported');
    assert.equal((await refusal(service.put(place('pe6'), request({ registry: 'nosuchreg' }), owner))).code, 'PrivateLinkServiceNotFound');
    assert.equal((await refusal(service.put(place('pe6'), request({ subnetId: `${VNET}/subnets/missing` }), owner))).code, 'InvalidResourceReference');
  });

  it('updates what may change and refuses a move', async () => {
    const updated = await service.put(place('pe1'), async () => ({ ...(await request()()), location: 'elsewhere' }), owner);
    assert.equal(updated.created, false);
    assert.equal(updated.endpoint.location, 'elsewhere');
    assert.equal(updated.endpoint.address, '10.50.0.5');
    assert.equal((await refusal(service.put(place('pe1'), request({ manual: true }), owner))).code, 'CannotChangePrivateEndpoint');
    assert.equal((await refusal(service.put(place('pe1'), request({ wantedAddress: '10.50.0.30' }), owner))).code, 'CannotChangePrivateEndpoint');
  });

  it('checks the name before reading the request, and deletes once', async () => {
    await refusal(service.put(place('-bad name-'), () => assert.fail('not read for a bad name'), owner));
    assert.equal(await service.delete(place('pe1').key), true);
    assert.equal(await service.delete(place('pe1').key), false);
    assert.deepEqual(events, [{ kind: 'network', registry: 'premreg' }]);
  });
});

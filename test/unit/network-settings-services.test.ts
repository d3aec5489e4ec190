/**
 * The trusted service and replication services over a SQLite store in a temporary directory:
 * names, who may be trusted (a managed identity of the caller's tenant), the home replication
 * that can't go, one replication per region, Premium only, and the events and listener
 * reconciles each change brings.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { InProcessChangeEvents, type ChangeEvent } from '../../src/domain/change-events.js';
import { ReplicationService, type ReplicationInput } from '../../src/domain/replication-service.js';
import { TrustedServiceService } from '../../src/domain/trusted-service-service.js';
import { openMetadataStore } from '../../src/storage/metadata/open.js';
import type { MetadataStore, RegistryRecord } from '../../src/storage/metadata/store.js';
import { refusal } from '../helpers/arm-refusal.js';
import { tempDir } from '../helpers/tmp.js';

const SUB = '00000000-0000-0000-0000-000000000001';
const TENANT = '10000000-0000-0000-0000-000000000001';
const OTHER_TENANT = '10000000-0000-0000-0000-000000000002';
const MANAGED = '20000000-0000-0000-0000-00000000000a';
const APP = '20000000-0000-0000-0000-00000000000b';

describe('network settings services', () => {
  let store: MetadataStore;
  let events: ChangeEvent[];
  let reconciled: number;
  let trusted: TrustedServiceService;
  let replications: ReplicationService;
  let premium: RegistryRecord;
  let basic: RegistryRecord;

  before(async () => {
    store = await openMetadataStore({ driver: 'sqlite', path: join(tempDir('network-settings'), 'metadata.sqlite') });
    const bus = new InProcessChangeEvents();
    bus.subscribe((event) => events.push(event));
    trusted = new TrustedServiceService({ network: store.network, identities: store.identities, events: bus });
    replications = new ReplicationService({ network: store.network, events: bus, listeners: { reconcile: async () => void reconciled++ } });
    const identity = (objectId: string, type: 'ManagedIdentity' | 'ServicePrincipal') => ({
      objectId,
      tenantId: TENANT,
      type,
      appId: objectId,
      displayName: objectId,
      userName: null,
      passwordHash: null,
      createdAt: new Date().toISOString(),
    });
    await store.identities.create(identity(MANAGED, 'ManagedIdentity'));
    await store.identities.create(identity(APP, 'ServicePrincipal'));
    const placement = { subscriptionId: SUB, resourceGroup: 'rg', location: 'westeurope' };
    await store.registries.upsert({ name: 'premreg', loginServer: null, deletesEnabled: true, placement: { ...placement, sku: 'Premium' } });
    await store.registries.upsert({ name: 'basicreg', loginServer: null, deletesEnabled: true, placement: { ...placement, sku: 'Basic' } });
    premium = (await store.registries.get('premreg'))!;
    basic = (await store.registries.get('basicreg'))!;
  });
  after(async () => {
    await store?.close();
  });
  beforeEach(() => {
    events = [];
    reconciled = 0;
  });

  it('trusts a managed identity of the tenant, replaces and removes it, with a network event each time', async () => {
    const read = async () => ({ principalId: ` ${MANAGED.toUpperCase()} `, serviceType: ' build ' });
    const first = await trusted.put(SUB, 'Builder', read, TENANT);
    assert.equal(first.created, true);
    assert.equal(first.service.principalId, MANAGED, 'trimmed, lower case');
    assert.equal(first.service.serviceType, 'build');
    const again = await trusted.put(SUB, 'builder', read, TENANT);
    assert.equal(again.created, false);
    assert.equal(again.service.name, 'Builder', 'the name keeps its first spelling');
    assert.equal((await trusted.find(SUB, 'BUILDER'))?.principalId, MANAGED);
    assert.equal(await trusted.delete(SUB, 'builder'), true);
    assert.equal(await trusted.delete(SUB, 'builder'), false);
    assert.deepEqual(events, [{ kind: 'network' }, { kind: 'network' }, { kind: 'network' }]);
  });

  it('refuses a bad name or service type, another tenant, an unknown principal and one that is no managed identity', async () => {
    const read =
      (principalId: string, serviceType = 'scan') =>
      async () => ({ principalId, serviceType });
    assert.equal((await refusal(trusted.put(SUB, '-x', read(MANAGED), TENANT))).code, 'InvalidResourceName');
    const type = await refusal(trusted.put(SUB, 'scanner', read(MANAGED, 'bad/type'), TENANT));
    assert.equal(type.code, 'InvalidParameter');
    assert.equal(type.target, 'properties.serviceType');
    assert.equal((await refusal(trusted.put(SUB, 'scanner', read(MANAGED), OTHER_TENANT))).code, 'PrincipalNotFound');
    assert.equal((await refusal(trusted.put(SUB, 'scanner', read('30000000-0000-0000-0000-000000000000'), TENANT))).code, 'PrincipalNotFound');
    assert.equal((await refusal(trusted.put(SUB, 'scanner', read(APP), TENANT))).code, 'InvalidParameter');
    assert.deepEqual(events, []);
  });

  it('lists the home replication first; adds, patches and deletes others, reconciling listeners and publishing rules', async () => {
    const input =
      (location: string, extra: Partial<ReplicationInput> = {}) =>
      async (): Promise<ReplicationInput> => ({ location, tags: {}, ...extra });
    assert.deepEqual(
      (await replications.all(premium)).map((r) => r.name),
      ['westeurope'],
    );
    const { replication, created } = await replications.put(premium, 'northeu1', input('northeurope', { tags: { a: 'b' } }));
    assert.equal(created, true);
    assert.equal(replication.regionEndpointEnabled, true);
    assert.deepEqual((await store.network.replicationTags('premreg')).get('northeu1'), { a: 'b' });
    const patched = await replications.patch(premium, 'NORTHEU1', { regionEndpointEnabled: false });
    assert.equal(patched.regionEndpointEnabled, false);
    assert.equal((await replications.put(premium, 'northeu1', input('northeurope'))).replication.regionEndpointEnabled, false, 'a PUT leaving it out keeps it');
    assert.equal(await replications.delete(premium, 'northeu1'), true);
    assert.equal(await replications.delete(premium, 'northeu1'), false);
    assert.equal(reconciled, 4);
    assert.deepEqual(events, Array(4).fill({ kind: 'rules', registry: 'premreg' }));
  });

  it('keeps the home replication, one replication per region, and replications for Premium', async () => {
    const input =
      (location: string, extra: Partial<ReplicationInput> = {}) =>
      async (): Promise<ReplicationInput> => ({ location, tags: {}, ...extra });
    assert.equal((await refusal(replications.put(premium, 'x', input('eastus')))).code, 'InvalidResourceName');
    assert.equal((await refusal(replications.put(basic, 'eastus1', input('eastus')))).code, 'FeatureNotSupported');
    assert.equal((await refusal(replications.put(premium, 'eastus1', input('eastus', { zoneRedundancy: 'Enabled' })))).code, 'FeatureNotSupported');
    assert.equal((await refusal(replications.put(premium, 'other1', input('westeurope')))).code, 'ReplicationAlreadyExists');
    assert.equal((await refusal(replications.put(premium, 'westeurope', input('eastus')))).code, 'InvalidResourceLocation');
    assert.equal((await refusal(replications.delete(premium, 'WestEurope'))).code, 'BadRequest');
    assert.equal((await refusal(replications.patch(premium, 'westeurope', { regionEndpointEnabled: false }))).code, 'BadRequest');
    assert.equal((await refusal(replications.patch(premium, 'nosuch1', {}))).code, 'ResourceNotFound');
    const home = await replications.put(premium, 'westeurope', input('westeurope', { tags: { home: 'yes' } }));
    assert.equal(home.created, false);
    assert.deepEqual((await store.network.replicationTags('premreg')).get('westeurope'), { home: 'yes' });
    assert.deepEqual(events, [], 'the home replication only took tags');
  });
});

/**
 * Each management change is one transaction, over a real SQLite store: a replication's row and
 * its tags, a registry's delete (its role assignments, tokens, scope maps, replications, network
 * settings, private endpoint connection and row), a resource group's delete (its registries,
 * every role assignment under it, the group row) and a subscription alias's subscription with its
 * owner's assignment. Triggers make the last write of each fail for
 * registries named `crash…`, groups named `stuck…`, tags holding `crash` and owners `crash…`, as a crash would; reads afterwards must find everything the change
 * had already written undone, and no event published. Unmarked, events follow the commit, once.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { InProcessChangeEvents, type ChangeEvent } from '../../src/domain/change-events.js';
import { RegistryService } from '../../src/domain/registry-service.js';
import { ReplicationService } from '../../src/domain/replication-service.js';
import { openMetadataStore } from '../../src/storage/metadata/open.js';
import type { MetadataStore, RegistryRecord } from '../../src/storage/metadata/store.js';
import { tempDir } from '../helpers/tmp.js';

const SUB = '00000000-0000-0000-0000-000000000001';
const GROUP = 'txgroup';
const FAILURE = 'injected failure';
const at = new Date().toISOString();

describe('one transaction per change', () => {
  let store: MetadataStore;
  let events: ChangeEvent[];
  /** Store writes still running when an event was published (must stay empty). */
  let publishedDuringWrite: string[];
  let writing: string | undefined;
  let reconciled: number;
  let registries: RegistryService;
  let replications: ReplicationService;

  /** The store's write, marked as running until it settles, so a listener can tell it was not done. */
  function watched<T extends object>(index: T, prefix: string): T {
    return new Proxy(index, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function' || typeof property !== 'string') return value;
        return async (...args: unknown[]) => {
          writing = `${prefix}.${property}`;
          try {
            return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          } finally {
            writing = undefined;
          }
        };
      },
    });
  }

  before(async () => {
    const path = join(tempDir('change-transactions'), 'metadata.sqlite');
    // The store holds the file exclusively while open: the triggers go in between two openings.
    await (await openMetadataStore({ driver: 'sqlite', path })).close();
    const sqlite = new SQLite(path);
    for (const operation of ['INSERT', 'UPDATE']) {
      sqlite.exec(`CREATE TRIGGER crash_tags_${operation} BEFORE ${operation} ON replication_tags
        WHEN NEW.tags LIKE '%crash%' BEGIN SELECT RAISE(ABORT, '${FAILURE}'); END;`);
    }
    sqlite.exec(
      `CREATE TRIGGER crash_owner BEFORE INSERT ON role_assignments WHEN NEW.principal_id LIKE 'crash%' BEGIN SELECT RAISE(ABORT, '${FAILURE}'); END;`,
    );
    for (const [table, marked] of [
      ['registries', 'crash%'],
      ['resource_groups', 'stuck%'],
    ]) {
      sqlite.exec(`CREATE TRIGGER crash_${table} BEFORE DELETE ON ${table} WHEN OLD.name LIKE '${marked}' BEGIN SELECT RAISE(ABORT, '${FAILURE}'); END;`);
    }
    sqlite.close();
    store = await openMetadataStore({ driver: 'sqlite', path });
    const bus = new InProcessChangeEvents();
    bus.subscribe((event) => {
      events.push(event);
      if (writing) publishedDuringWrite.push(`${event.kind} during ${writing}`);
    });
    const listeners = { reconcile: async () => void reconciled++ };
    registries = new RegistryService({
      registries: watched(store.registries, 'registries'),
      network: store.network,
      adminPasswords: store.adminPasswords,
      newAdminPassword: async (registry, name) => ({ registry, name, hash: 'h', sealedValue: 's', createdAt: at }),
      addressTakenBy: async () => undefined,
      providerState: async () => 'Registered',
      domain: 'localhost',
      events: bus,
      listeners,
    });
    replications = new ReplicationService({ network: watched(store.network, 'network'), events: bus, listeners });
  });
  after(async () => {
    await store?.close();
  });
  beforeEach(() => {
    events = [];
    publishedDuringWrite = [];
    reconciled = 0;
  });

  async function premiumRegistry(name: string, resourceGroup = GROUP): Promise<RegistryRecord> {
    await store.registries.upsert({
      name,
      loginServer: null,
      deletesEnabled: true,
      placement: { subscriptionId: SUB, resourceGroup, location: 'westeurope', sku: 'Premium' },
    });
    return (await store.registries.get(name))!;
  }

  const registryId = (name: string, resourceGroup = GROUP) =>
    `/subscriptions/${SUB}/resourceGroups/${resourceGroup}/providers/Microsoft.ContainerRegistry/registries/${name}`;

  async function assign(id: string, scope: string): Promise<void> {
    await store.roleAssignments.create({ id, scope, roleName: 'AcrPull', principalId: 'p1', principalType: 'ServicePrincipal', createdAt: at });
  }

  let endpoints = 0;
  /** A registry with a row in every table a delete must clear, and a private endpoint connected to it. */
  async function furnished(name: string, resourceGroup = GROUP): Promise<RegistryRecord> {
    const registry = await premiumRegistry(name, resourceGroup);
    await assign(`ra-${name}`, registryId(name, resourceGroup));
    await assign(`ra-${name}-repo`, `${registryId(name, resourceGroup)}/repositories/app`);
    await store.scopeMaps.put({ registry: name, name: 'pullmap', description: '', actions: ['repositories/app/content/read'], createdAt: at, updatedAt: at });
    await store.tokens.put({ registry: name, name: 'puller', scopeMap: 'pullmap', status: 'enabled', createdAt: at, updatedAt: at });
    await store.network.saveReplication({ registry: name, name: 'eastus', location: 'eastus', regionEndpointEnabled: true, createdAt: at }, { a: 'b' });
    await store.network.saveRegistrySettings(name, {
      publicNetworkAccess: 'Enabled',
      defaultAction: 'Deny',
      bypass: 'AzureServices',
      dataEndpointEnabled: false,
      ipRules: ['203.0.113.0/24'],
      virtualNetworkRules: [],
    });
    await store.network.savePrivateEndpoint({
      id: `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/privateEndpoints/pe-${name}`,
      subscriptionId: SUB,
      resourceGroup: 'net',
      name: `pe-${name}`,
      location: 'westeurope',
      subnetId: `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/v/subnets/s`,
      address: `10.0.0.${++endpoints + 3}`,
      port: 443,
      registry: name,
      connectionName: `pe-${name}.conn`,
      manual: false,
      requestMessage: '',
      status: 'Approved',
      statusDescription: 'Auto-approved',
      createdAt: at,
    });
    return registry;
  }

  /** What is left of a registry, read back from the store. */
  async function remains(name: string, resourceGroup = GROUP) {
    return {
      registry: (await store.registries.get(name)) !== undefined,
      roleAssignments: (await store.roleAssignments.list(registryId(name, resourceGroup))).length,
      scopeMaps: (await store.scopeMaps.list(name)).length,
      tokens: (await store.tokens.list(name)).length,
      replications: (await store.network.replications(name)).length,
      replicationTags: (await store.network.replicationTags(name)).size,
      ipRules: (await store.network.registrySettings(name)).ipRules.length,
      endpoint: (await store.network.privateEndpoints({ registry: name }))[0]?.status,
    };
  }
  const whole = { registry: true, roleAssignments: 2, scopeMaps: 1, tokens: 1, replications: 1, replicationTags: 1, ipRules: 1, endpoint: 'Approved' };
  const gone = { registry: false, roleAssignments: 0, scopeMaps: 0, tokens: 0, replications: 0, replicationTags: 0, ipRules: 0, endpoint: 'Disconnected' };

  it('saves a new replication with its tags or not at all', async () => {
    const registry = await premiumRegistry('reptx1');
    await assert.rejects(
      replications.put(registry, 'northeu1', async () => ({ location: 'northeurope', tags: { team: 'crash' } })),
      new RegExp(FAILURE),
    );
    assert.deepEqual(await store.network.replications('reptx1'), [], 'the replication row written before the tags is undone');
    assert.deepEqual(events, []);
    assert.equal(reconciled, 0);
    const { created } = await replications.put(registry, 'northeu1', async () => ({ location: 'northeurope', tags: { team: 'a' } }));
    assert.equal(created, true);
    assert.deepEqual((await store.network.replicationTags('reptx1')).get('northeu1'), { team: 'a' });
    assert.deepEqual(events, [{ kind: 'rules', registry: 'reptx1' }]);
    assert.deepEqual(publishedDuringWrite, []);
  });

  it('patches a replication and its tags or neither', async () => {
    const registry = await premiumRegistry('reptx2');
    await replications.put(registry, 'northeu1', async () => ({ location: 'northeurope', tags: { team: 'a' } }));
    events = [];
    await assert.rejects(replications.patch(registry, 'northeu1', { regionEndpointEnabled: false, tags: { team: 'crash' } }), new RegExp(FAILURE));
    assert.equal((await store.network.replications('reptx2'))[0]!.regionEndpointEnabled, true, 'the row change is undone');
    assert.deepEqual((await store.network.replicationTags('reptx2')).get('northeu1'), { team: 'a' });
    assert.deepEqual(events, []);
    await replications.patch(registry, 'northeu1', { regionEndpointEnabled: false, tags: { team: 'b' } });
    assert.equal((await store.network.replications('reptx2'))[0]!.regionEndpointEnabled, false);
    assert.deepEqual((await store.network.replicationTags('reptx2')).get('northeu1'), { team: 'b' });
    assert.deepEqual(events, [{ kind: 'rules', registry: 'reptx2' }]);
    assert.deepEqual(publishedDuringWrite, []);
  });

  it('deletes a registry with its grants, tokens, replications and network rows, or leaves it whole', async () => {
    const stuck = await furnished('crash1');
    assert.deepEqual(await remains('crash1'), whole);
    // The registry row goes last: every other row is deleted before it fails.
    await assert.rejects(registries.remove(stuck), new RegExp(FAILURE));
    assert.deepEqual(await remains('crash1'), whole);
    assert.deepEqual(events, []);
    assert.equal(reconciled, 0);
    const registry = await furnished('deltx1');
    await registries.remove(registry);
    assert.deepEqual(await remains('deltx1'), gone);
    assert.deepEqual(events, [
      { kind: 'grant', registry: 'deltx1' },
      { kind: 'registry', registry: 'deltx1', change: 'deleted' },
    ]);
    assert.deepEqual(publishedDuringWrite, []);
    assert.equal(reconciled, 1);
  });

  it('deletes a resource group with its registries and every grant under it, or leaves all of it', async () => {
    const groupNames = async () => (await store.scaffold.resourceGroups(SUB)).map((g) => g.name);
    const scopeOf = (group: string) => `/subscriptions/${SUB}/resourceGroups/${group}`;
    /** A group with two furnished registries, a grant on the group and one on a neighbour whose name begins the same. */
    async function furnishedGroup(group: string): Promise<RegistryRecord[]> {
      await store.scaffold.ensureResourceGroup({ subscriptionId: SUB, name: group, location: 'westeurope' });
      const held = [await furnished(`${group}r1`, group), await furnished(`${group}r2`, group)];
      await assign(`ra-${group}`, scopeOf(group));
      await assign(`ra-${group}-neighbour`, `${scopeOf(group)}2`);
      return held;
    }
    // The group row goes last: both registries and the grants are deleted before it fails.
    const stuck = await furnishedGroup('stuckgroup');
    await assert.rejects(registries.removeResourceGroup({ subscriptionId: SUB, name: 'stuckgroup' }, stuck), new RegExp(FAILURE));
    assert.deepEqual(await remains('stuckgroupr1', 'stuckgroup'), whole);
    assert.deepEqual(await remains('stuckgroupr2', 'stuckgroup'), whole);
    assert.equal((await store.roleAssignments.list(scopeOf('stuckgroup'))).length, 5);
    assert.ok((await groupNames()).includes('stuckgroup'));
    assert.deepEqual(events, []);
    assert.equal(reconciled, 0);

    const doomed = await furnishedGroup('grptx');
    await registries.removeResourceGroup({ subscriptionId: SUB, name: 'grptx' }, doomed);
    assert.deepEqual(await remains('grptxr1', 'grptx'), gone);
    assert.deepEqual(await remains('grptxr2', 'grptx'), gone);
    assert.deepEqual(await store.roleAssignments.list(scopeOf('grptx')), []);
    assert.deepEqual(
      (await store.roleAssignments.list(`${scopeOf('grptx')}2`)).map((a) => a.id),
      ['ra-grptx-neighbour'],
    );
    assert.ok(!(await groupNames()).includes('grptx'));
    assert.deepEqual(events, [
      { kind: 'grant', registry: 'grptxr1' },
      { kind: 'registry', registry: 'grptxr1', change: 'deleted' },
      { kind: 'grant', registry: 'grptxr2' },
      { kind: 'registry', registry: 'grptxr2', change: 'deleted' },
      { kind: 'grant' },
    ]);
    assert.deepEqual(publishedDuringWrite, []);
    assert.equal(reconciled, 1);
  });

  it('creates a subscription with its owner assignment or neither', async () => {
    const owner = (principalId: string) => ({
      id: `ra-${principalId}`,
      scope: '/subscriptions/sub-alias',
      roleName: 'Owner' as const,
      principalId,
      principalType: 'User' as const,
      createdAt: at,
    });
    const subscription = { id: 'sub-alias', tenantId: 'tenant-1', displayName: 'Alias' };
    await assert.rejects(store.scaffold.ensureSubscription(subscription, owner('crash-owner')), new RegExp(FAILURE));
    assert.equal(
      (await store.scaffold.subscriptions()).find((s) => s.id === 'sub-alias'),
      undefined,
      'the subscription row is undone',
    );
    await store.scaffold.ensureSubscription(subscription, owner('creator'));
    assert.ok((await store.scaffold.subscriptions()).some((s) => s.id === 'sub-alias'));
    assert.deepEqual(
      (await store.roleAssignments.list('/subscriptions/sub-alias')).map((a) => a.principalId),
      ['creator'],
    );
  });
});

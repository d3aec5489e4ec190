/**
 * The registry service over a real SQLite store in a temporary directory: what a create,
 * replace, update and delete check (SKU rules, rule values, lock-out, placement), that each
 * saves in one store call, and which change events it publishes.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { InProcessChangeEvents, type ChangeEvent } from '../../src/domain/change-events.js';
import { RegistryService, type CallerChecks, type RegistryReplacement } from '../../src/domain/registry-service.js';
import { armReason } from '../../src/kernel/arm-errors.js';
import { requestedSettings } from '../../src/management/resources/registry-network.js';
import { CompiledPolicy } from '../../src/network/policy.js';
import { openMetadataStore } from '../../src/storage/metadata/open.js';
import type { MetadataStore } from '../../src/storage/metadata/store.js';
import { countingStore, type StoreCallCounts } from '../helpers/counting-store.js';
import { refusal } from '../helpers/arm-refusal.js';
import { tempDir } from '../helpers/tmp.js';

const SUB = '00000000-0000-0000-0000-000000000001';
const RG = 'rg1';
const CLIENT = '198.51.100.20';

function callerChecks(overrides: Partial<CallerChecks['lockout']> = {}): CallerChecks {
  return {
    validation: {
      caller: { name: 'tester', objectId: 'object-1' },
      requireJoin: async () => {},
      providerState: async () => 'Registered',
      subnet: async () => undefined,
    },
    lockout: {
      clientIp: CLIENT,
      forced: false,
      evaluate: (input) => new CompiledPolicy(input.registry, input.settings, input.subnets).decide(input.clientIp, input.arrival),
      subnets: async () => [],
      retryCommand: 'az rest --method put …',
      ...overrides,
    },
  };
}

function replacement(name: string, extra: Partial<RegistryReplacement> & { properties?: Record<string, unknown> } = {}): RegistryReplacement {
  const properties = extra.properties ?? {};
  return {
    requestedName: name,
    subscriptionId: SUB,
    resourceGroup: RG,
    location: 'local',
    sku: 'Premium',
    tags: {},
    adminUserEnabled: false,
    anonymousPullEnabled: false,
    network: (base) => requestedSettings(properties, base),
    ...extra,
    properties,
  };
}

describe('registry service', () => {
  let raw: MetadataStore;
  let store: MetadataStore;
  let counts: StoreCallCounts;
  let events: ChangeEvent[];
  let reconciled: number;
  let service: RegistryService;

  before(async () => {
    raw = await openMetadataStore({ driver: 'sqlite', path: join(tempDir('registry-service'), 'metadata.sqlite') });
    ({ store, counts } = countingStore(raw));
    const bus = new InProcessChangeEvents();
    bus.subscribe((event) => events.push(event));
    service = new RegistryService({
      registries: store.registries,
      network: store.network,
      adminPasswords: store.adminPasswords,
      newAdminPassword: async (registry, name) => ({
        registry,
        name,
        hash: `hash-${name}`,
        sealedValue: `sealed-${name}`,
        createdAt: new Date().toISOString(),
      }),
      addressTakenBy: async (name) => (name === 'claimed' ? armReason('dnsNameClaimed', { dnsName: 'claimed.localhost', claim: 'the test' }) : undefined),
      providerState: async (subscriptionId) => (subscriptionId === SUB ? 'Registered' : 'NotRegistered'),
      domain: 'localhost',
      events: bus,
      listeners: { reconcile: async () => void reconciled++ },
    });
  });
  after(async () => {
    await raw?.close();
  });
  beforeEach(() => {
    events = [];
    reconciled = 0;
    counts.reset();
  });

  it('creates a registry with its network settings in one save and says so with events', async () => {
    const result = await service.replace(
      replacement('Created1', { properties: { networkRuleSet: { ipRules: [{ value: '203.0.113.0/24' }] } } }),
      callerChecks(),
    );
    assert.equal(result.created, true);
    assert.equal(result.registry.name, 'created1');
    assert.equal(result.registry.sku, 'Premium');
    assert.deepEqual(result.network.settings.ipRules, ['203.0.113.0/24']);
    assert.deepEqual((await raw.network.registrySettings('created1')).ipRules, ['203.0.113.0/24']);
    assert.equal(counts.count('registries.save'), 1);
    assert.deepEqual(events, [
      { kind: 'rules', registry: 'created1' },
      { kind: 'registry', registry: 'created1', change: 'created' },
    ]);
    // Events are plain data: they survive a trip through JSON unchanged (the multi-node seam).
    assert.deepEqual(JSON.parse(JSON.stringify(events)), events);
  });

  it('replaces an existing registry reading its row and network settings once', async () => {
    await service.replace(replacement('replaced1'), callerChecks());
    counts.reset();
    events = [];
    const result = await service.replace(
      replacement('replaced1', { tags: { team: 'a' }, properties: { networkRuleSet: { ipRules: [{ value: '203.0.113.7' }] } } }),
      callerChecks(),
    );
    assert.equal(result.created, false);
    assert.deepEqual(result.registry.tags, { team: 'a' });
    assert.deepEqual(result.network.settings.ipRules, ['203.0.113.7']);
    assert.equal(counts.count('registries.get'), 1, JSON.stringify(counts.summary()));
    assert.equal(counts.count('network.registrySettings'), 1, JSON.stringify(counts.summary()));
    assert.equal(counts.count('registries.save'), 1);
    assert.deepEqual(events, [
      { kind: 'rules', registry: 'replaced1' },
      { kind: 'registry', registry: 'replaced1', change: 'updated' },
    ]);
  });

  it('publishes no rules event when the network settings stay the same', async () => {
    await service.replace(replacement('same1'), callerChecks());
    events = [];
    await service.replace(replacement('same1', { tags: { x: 'y' } }), callerChecks());
    assert.deepEqual(events, [{ kind: 'registry', registry: 'same1', change: 'updated' }]);
  });

  it('refuses network rules below Premium and saves nothing', async () => {
    const error = await refusal(
      service.replace(replacement('standard1', { sku: 'Standard', properties: { networkRuleSet: { ipRules: [{ value: '203.0.113.7' }] } } }), callerChecks()),
    );
    assert.equal(error.status, 400);
    assert.equal(error.code, 'FeatureNotSupported');
    assert.equal(await raw.registries.get('standard1'), undefined);
    assert.deepEqual(events, []);
  });

  it('refuses a downgrade that would strand Premium features, naming them', async () => {
    await service.replace(replacement('downgrade1', { properties: { networkRuleSet: { ipRules: [{ value: '203.0.113.7' }] } } }), callerChecks());
    const registry = (await raw.registries.get('downgrade1'))!;
    const error = await refusal(service.update(registry, { properties: {}, settings: { sku: 'Basic' }, network: (current) => current }, callerChecks()));
    assert.equal(error.code, 'BadRequest');
    assert.equal(error.target, 'sku.name');
    assert.match(error.message, /1 IP rule/);
    assert.equal((await raw.registries.get('downgrade1'))!.sku, 'Premium');
  });

  it('refuses an IP rule that is not an address or range', async () => {
    const error = await refusal(
      service.replace(replacement('badrule1', { properties: { networkRuleSet: { ipRules: [{ value: 'not-an-ip' }] } } }), callerChecks()),
    );
    assert.equal(error.code, 'BadRequest');
    assert.equal(error.target, 'properties.networkRuleSet');
    assert.equal(await raw.registries.get('badrule1'), undefined);
  });

  it('drops duplicate IP rules', async () => {
    const result = await service.replace(
      replacement('dupes1', { properties: { networkRuleSet: { ipRules: [{ value: '203.0.113.7' }, { value: ' 203.0.113.7 ' }, { value: '203.0.113.8' }] } } }),
      callerChecks(),
    );
    assert.equal(result.network.settings.ipRules.length, 2);
  });

  it('refuses settings that shut the caller out, unless forced', async () => {
    const deny = { properties: { networkRuleSet: { defaultAction: 'Deny', ipRules: [{ value: '203.0.113.7' }] } } };
    await service.replace(replacement('lockout1'), callerChecks());
    const error = await refusal(service.replace(replacement('lockout1', deny), callerChecks()));
    assert.equal(error.status, 409);
    assert.equal(error.code, 'NetworkAccessLockout');
    assert.equal((await raw.network.registrySettings('lockout1')).defaultAction, 'Allow');
    // An IP rule for the caller's own address keeps it in.
    const withOwn = { properties: { networkRuleSet: { defaultAction: 'Deny', ipRules: [{ value: CLIENT }] } } };
    assert.equal((await service.replace(replacement('lockout1', withOwn), callerChecks())).network.settings.defaultAction, 'Deny');
    const forced = await service.replace(replacement('lockout1', deny), callerChecks({ forced: true }));
    assert.deepEqual(forced.network.settings.ipRules, ['203.0.113.7']);
  });

  it('refuses a name another resource group holds, a moved location and a claimed address', async () => {
    await service.replace(replacement('placed1'), callerChecks());
    assert.equal((await refusal(service.replace(replacement('placed1', { resourceGroup: 'other' }), callerChecks()))).code, 'AlreadyInUse');
    assert.equal((await refusal(service.replace(replacement('placed1', { location: 'elsewhere' }), callerChecks()))).code, 'InvalidResourceLocation');
    assert.equal((await refusal(service.replace(replacement('claimed'), callerChecks()))).code, 'AlreadyInUse');
    const unregistered = await refusal(service.replace(replacement('newsub1', { subscriptionId: '00000000-0000-0000-0000-000000000002' }), callerChecks()));
    assert.equal(unregistered.code, 'MissingSubscriptionRegistration');
  });

  it('creates the admin user passwords with the save that turns it on, once', async () => {
    await service.replace(replacement('admin1'), callerChecks());
    const registry = (await raw.registries.get('admin1'))!;
    counts.reset();
    const result = await service.update(registry, { properties: {}, settings: { adminUserEnabled: true }, network: (c) => c }, callerChecks());
    assert.equal(result.registry.adminUserEnabled, true);
    assert.deepEqual(
      (await raw.adminPasswords.list('admin1')).map((p) => p.hash),
      ['hash-password', 'hash-password2'],
    );
    assert.equal(counts.count('adminPasswords.put'), 0, 'saved in the registry transaction');
    await service.update(result.registry, { properties: {}, settings: { tags: { a: 'b' } }, network: (c) => c }, callerChecks());
    assert.equal((await raw.adminPasswords.list('admin1')).length, 2);
  });

  it('deletes a registry with its grants, and says so', async () => {
    await service.replace(replacement('gone1'), callerChecks());
    const registry = (await raw.registries.get('gone1'))!;
    const scope = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.ContainerRegistry/registries/gone1`;
    await raw.roleAssignments.create({
      id: 'ra-gone1',
      scope,
      roleName: 'AcrPull',
      principalId: 'p1',
      principalType: 'ServicePrincipal',
      createdAt: new Date().toISOString(),
    });
    events = [];
    await service.remove(registry);
    assert.equal(await raw.registries.get('gone1'), undefined);
    assert.deepEqual(await raw.roleAssignments.list(scope), []);
    assert.deepEqual(events, [
      { kind: 'grant', registry: 'gone1' },
      { kind: 'registry', registry: 'gone1', change: 'deleted' },
    ]);
    assert.equal(reconciled, 1);
  });
});

describe('in-process change events', () => {
  it('tells every subscriber, even when one throws, until it unsubscribes', () => {
    const failures: unknown[] = [];
    const bus = new InProcessChangeEvents((error) => failures.push(error));
    const seen: ChangeEvent[] = [];
    bus.subscribe(() => {
      throw new Error('broken cache');
    });
    const stop = bus.subscribe((event) => seen.push(event));
    bus.publish({ kind: 'key' });
    stop();
    bus.publish({ kind: 'grant' });
    assert.deepEqual(seen, [{ kind: 'key' }]);
    assert.equal(failures.length, 2);
  });
});

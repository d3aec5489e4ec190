/**
 * The ARM registry handlers, request in and response out, over a SQLite store in a temporary
 * directory: the handler parses the body, the registry service checks and saves, the handler
 * renders ARM's view (or the ARM error). Access checks are the real ones over role assignments.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { InProcessChangeEvents, type ChangeEvent } from '../../src/domain/change-events.js';
import { RegistryService } from '../../src/domain/registry-service.js';
import type { IdentityClaims } from '../../src/identity/identity-plane.js';
import { ArmError } from '../../src/kernel/arm-errors.js';
import { AccessCheck } from '../../src/management/authorization.js';
import type { ManagementContext, ManagementResult, ManagementServices } from '../../src/management/context.js';
import { authorizeRoute } from '../../src/management/authorization.js';
import { providerState } from '../../src/management/network/providers.js';
import { addressTakenBy, registryRoutes } from '../../src/management/resources/registries.js';
import { CachedNetworkGate } from '../../src/network/gate.js';
import { loadConfig } from '../../src/kernel/config.js';
import { ensureScaffold, type ArmDefaults } from '../../src/domain/scaffold.js';
import { openMetadataStore } from '../../src/storage/metadata/open.js';
import type { MetadataStore } from '../../src/storage/metadata/store.js';
import { tempDir } from '../helpers/tmp.js';

const OWNER: IdentityClaims = {
  tenantId: '',
  objectId: 'owner-1',
  type: 'ServicePrincipal',
  appId: 'app-1',
  name: 'app-1',
  audience: 'https://management.azure.com',
  jwtId: 'j1',
} as IdentityClaims;
const STRANGER: IdentityClaims = { ...OWNER, objectId: 'stranger-1', appId: 'app-2', name: 'app-2' };

describe('ARM registry handlers', () => {
  let store: MetadataStore;
  let arm: ArmDefaults;
  let services: ManagementServices;
  const events: ChangeEvent[] = [];

  before(async () => {
    const data = tempDir('registry-handlers');
    store = await openMetadataStore({ driver: 'sqlite', path: join(data, 'metadata.sqlite') });
    arm = await ensureScaffold(store);
    OWNER.tenantId = arm.tenantId;
    STRANGER.tenantId = arm.tenantId;
    await store.roleAssignments.create({
      id: 'ra-owner',
      scope: `/subscriptions/${arm.subscriptionId}`,
      roleName: 'Owner',
      principalId: OWNER.objectId,
      principalType: 'ServicePrincipal',
      createdAt: new Date().toISOString(),
    });
    const config = loadConfig({ env: {}, flags: { data, port: 8443, http: true } });
    const bus = new InProcessChangeEvents();
    bus.subscribe((event) => events.push(event));
    const registryService = new RegistryService({
      registries: store.registries,
      network: store.network,
      adminPasswords: store.adminPasswords,
      newAdminPassword: async (registry, name) => ({ registry, name, hash: 'h', sealedValue: 's', createdAt: new Date().toISOString() }),
      addressTakenBy: (name) => addressTakenBy({ store, config }, name),
      providerState: (subscriptionId, namespace) => providerState({ store, arm }, subscriptionId, namespace),
      domain: config.domain,
      events: bus,
      listeners: { reconcile: async () => {} },
    });
    services = { store, config, arm, events: bus, registryService, network: { gate: new CachedNetworkGate(store) } } as unknown as ManagementServices;
  });
  after(async () => {
    await store?.close();
  });

  const registryPath = (name: string) =>
    `/subscriptions/${arm.subscriptionId}/resourceGroups/${arm.resourceGroup}/providers/Microsoft.ContainerRegistry/registries/${name}`;

  /** One request through the registry route's handler for `method`: its result, or its ARM error as one. */
  async function call(method: 'GET' | 'PUT' | 'PATCH' | 'DELETE', name: string, body?: unknown, caller = OWNER): Promise<ManagementResult> {
    const route = registryRoutes.find((r) => r.id === 'registries.registry')!;
    const context: ManagementContext = {
      services,
      request: { ip: '127.0.0.1', headers: {}, method, url: `${registryPath(name)}?api-version=2023-07-01` } as unknown as FastifyRequest,
      params: { subscriptionId: arm.subscriptionId, resourceGroupName: arm.resourceGroup, registryName: name },
      query: new URLSearchParams('api-version=2023-07-01'),
      caller,
      access: new AccessCheck(store, caller),
      origin: 'http://127.0.0.1:8443',
      body: async () => (body ?? {}) as Record<string, unknown>,
    };
    try {
      // As the dispatcher does: the route's declared need is checked before its handler runs.
      const declared = route.methods[method]!;
      const operation = typeof declared === 'function' ? { handler: declared, needs: undefined } : declared;
      if (operation.needs) await authorizeRoute(context, operation.needs);
      return await operation.handler(context);
    } catch (error) {
      if (!(error instanceof ArmError)) throw error;
      return { status: error.status, body: error.toBody('en') };
    }
  }

  const view = (result: ManagementResult) =>
    result.body as { name: string; sku: { name: string }; tags: Record<string, string>; properties: Record<string, any> };
  const errorOf = (result: ManagementResult) => (result.body as { error: { code: string; message: string; target?: string } }).error;

  it('creates with 201, replaces with 200, and renders the saved network settings', async () => {
    const created = await call('PUT', 'handlerreg', { location: 'Local', sku: { name: 'Premium' }, tags: { a: 'b' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(view(created).name, 'handlerreg');
    assert.deepEqual(view(created).tags, { a: 'b' });
    assert.deepEqual(view(created).properties.networkRuleSet, { defaultAction: 'Allow', ipRules: [], virtualNetworkRules: [] });
    events.length = 0;
    const replaced = await call('PUT', 'handlerreg', {
      location: 'local',
      sku: { name: 'Premium' },
      properties: { networkRuleSet: { ipRules: [{ action: 'Allow', value: '203.0.113.7' }] } },
    });
    assert.equal(replaced.status, 200, JSON.stringify(replaced.body));
    assert.deepEqual(view(replaced).properties.networkRuleSet.ipRules, [{ action: 'Allow', value: '203.0.113.7' }]);
    // A PUT replaces: the tags it leaves out are gone.
    assert.deepEqual(view(replaced).tags, {});
    assert.deepEqual(events, [
      { kind: 'rules', registry: 'handlerreg' },
      { kind: 'registry', registry: 'handlerreg', change: 'updated' },
    ]);
    const got = await call('GET', 'handlerreg');
    assert.deepEqual(got.body, replaced.body);
  });

  it('merges a PATCH: the rule set keeps what the request leaves out', async () => {
    await call('PUT', 'patchreg', { location: 'local', sku: { name: 'Premium' }, properties: { networkRuleSet: { ipRules: [{ value: '203.0.113.7' }] } } });
    const patched = await call('PATCH', 'patchreg', { properties: { networkRuleSet: { defaultAction: 'Deny' } } }, OWNER);
    // The caller (127.0.0.1) is not in the rules: denying the rest would shut it out.
    assert.equal(patched.status, 409);
    assert.equal(errorOf(patched).code, 'NetworkAccessLockout');
    const withCaller = await call('PATCH', 'patchreg', {
      properties: { networkRuleSet: { defaultAction: 'Deny', ipRules: [{ value: '203.0.113.7' }, { value: '127.0.0.1' }] } },
    });
    assert.equal(withCaller.status, 200, JSON.stringify(withCaller.body));
    const tagged = await call('PATCH', 'patchreg', { tags: { team: 'x' } });
    assert.deepEqual(view(tagged).tags, { team: 'x' });
    assert.equal(view(tagged).properties.networkRuleSet.defaultAction, 'Deny');
    assert.equal(view(tagged).properties.networkRuleSet.ipRules.length, 2);
  });

  it('answers bad input with ARM errors naming the field', async () => {
    const noSku = await call('PUT', 'badreg', { location: 'local' });
    assert.equal(noSku.status, 400);
    assert.equal(errorOf(noSku).target, 'sku.name');
    assert.match(errorOf(noSku).message, /'sku\.name' is required/);
    const typed = await call('PATCH', 'handlerreg', { properties: { anonymousPullEnabled: 'yes' } });
    assert.equal(typed.status, 400);
    assert.equal(errorOf(typed).code, 'InvalidRequestContent');
    assert.equal(errorOf(typed).target, 'properties.anonymousPullEnabled');
    const badSku = await call('PUT', 'badreg', { location: 'local', sku: { name: 'Gold' } });
    assert.equal(badSku.status, 400);
    assert.equal(errorOf(badSku).target, 'sku.name');
    const belowPremium = await call('PUT', 'badreg', {
      location: 'local',
      sku: { name: 'Basic' },
      properties: { networkRuleSet: { ipRules: [{ value: '203.0.113.7' }] } },
    });
    assert.equal(belowPremium.status, 400);
    assert.equal(errorOf(belowPremium).code, 'FeatureNotSupported');
    assert.equal((await call('GET', 'badreg')).status, 404);
  });

  it('refuses a caller without rights with 403 and deletes for one who has them', async () => {
    await call('PUT', 'deletereg', { location: 'local', sku: { name: 'Basic' } });
    const refused = await call('DELETE', 'deletereg', undefined, STRANGER);
    assert.equal(refused.status, 403);
    assert.equal(errorOf(refused).code, 'AuthorizationFailed');
    assert.equal((await call('DELETE', 'deletereg')).status, 200);
    assert.equal((await call('DELETE', 'deletereg')).status, 204);
    assert.equal((await call('GET', 'deletereg')).status, 404);
  });
});

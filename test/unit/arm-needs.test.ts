/**
 * What the dispatcher checks of each need an ARM route declares (authorizeRoute), over a SQLite
 * store with real role assignments: ARM's order (subscription, right, resource group) and its
 * codes, and what it leaves on the context for the handler. The paths are matched in the real
 * route table, so a route that declares the wrong need fails here too.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyRequest } from 'fastify';
import type { IdentityClaims } from '../../src/identity/identity-plane.js';
import { ArmError } from '../../src/kernel/arm-errors.js';
import { AccessCheck, authorizeRoute } from '../../src/management/authorization.js';
import type { ManagementContext, ManagementServices } from '../../src/management/context.js';
import { ARM_ROUTES } from '../../src/management/routes.js';
import { matchRoute } from '../../src/kernel/url-path.js';
import { ensureScaffold, type ArmDefaults } from '../../src/domain/scaffold.js';
import { openMetadataStore } from '../../src/storage/metadata/open.js';
import type { MetadataStore } from '../../src/storage/metadata/store.js';
import { tempDir } from '../helpers/tmp.js';

const OWNER = { tenantId: '', objectId: 'owner-1', type: 'ServicePrincipal', appId: 'app-1', name: 'app-1' } as IdentityClaims;
const STRANGER = { ...OWNER, objectId: 'stranger-1', appId: 'app-2', name: 'app-2' } as IdentityClaims;
const UNKNOWN_SUBSCRIPTION = '99999999-9999-9999-9999-999999999999';

describe('declared ARM needs', () => {
  let store: MetadataStore;
  let arm: ArmDefaults;
  let services: ManagementServices;

  before(async () => {
    const data = tempDir('arm-needs');
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
    services = { store, arm } as unknown as ManagementServices;
  });
  after(async () => {
    await store?.close();
  });

  /** Matches `method path` in the ARM route table and checks its declared need: the context, or the ARM error code. */
  async function check(method: string, path: string, caller = OWNER): Promise<ManagementContext | string> {
    const match = matchRoute(ARM_ROUTES, method, path);
    assert.ok(match?.operation?.needs, `${method} ${path} matches a route that declares a need`);
    const context: ManagementContext = {
      services,
      request: { headers: {}, method, url: path } as unknown as FastifyRequest,
      params: match.params,
      query: new URLSearchParams(),
      caller,
      access: new AccessCheck(store, caller),
      origin: 'http://127.0.0.1:8443',
      body: async () => ({}),
    };
    try {
      await authorizeRoute(context, match.operation.needs);
      return context;
    } catch (error) {
      if (!(error instanceof ArmError)) throw error;
      return `${error.status} ${error.code}`;
    }
  }

  const sub = (id = arm.subscriptionId) => `/subscriptions/${id}`;
  const vnet = (group: string, id?: string) => `${sub(id)}/resourceGroups/${group}/providers/Microsoft.Network/virtualNetworks/net1`;

  it('a resource named by the path: subscription, then the right over its id, then its resource group', async () => {
    assert.equal(await check('GET', vnet('nowhere', UNKNOWN_SUBSCRIPTION), STRANGER), '404 SubscriptionNotFound');
    assert.equal(await check('GET', vnet('nowhere'), STRANGER), '403 AuthorizationFailed', 'no right: the missing group is not revealed');
    assert.equal(await check('PUT', `${vnet('nowhere')}/subnets/s1`, STRANGER), '403 AuthorizationFailed');
    assert.equal(await check('GET', vnet('nowhere')), '404 ResourceGroupNotFound');
    const found = (await check('PUT', vnet(arm.resourceGroup.toUpperCase()))) as ManagementContext;
    assert.equal(found.located?.group?.name, arm.resourceGroup, 'the stored spelling of the group');
    assert.equal(found.located?.resourceId, `${sub()}/resourceGroups/${arm.resourceGroup.toUpperCase()}/providers/Microsoft.Network/virtualNetworks/net1`);
  });

  it('a registry being created needs the right over its id in an existing group, not the registry', async () => {
    const path = `${sub()}/resourceGroups/${arm.resourceGroup}/providers/Microsoft.ContainerRegistry/registries/notyet`;
    assert.equal(await check('PUT', path, STRANGER), '403 AuthorizationFailed');
    assert.equal(((await check('PUT', path)) as ManagementContext).located?.group?.name, arm.resourceGroup);
    assert.equal(await check('GET', path), '404 ResourceNotFound', 'reading it needs it to exist');
  });

  it('a resource group: its creation and `az group exists` do not need it to exist; the rest do', async () => {
    const group = `${sub()}/resourceGroups/newgroup`;
    assert.equal(await check('PUT', group, STRANGER), '403 AuthorizationFailed');
    assert.equal(((await check('PUT', group)) as ManagementContext).located?.group, undefined);
    assert.equal(((await check('HEAD', group)) as ManagementContext).located?.subscription.id, arm.subscriptionId);
    assert.equal(await check('GET', group), '404 ResourceGroupNotFound');
    assert.equal(await check('DELETE', group, STRANGER), '403 AuthorizationFailed');
  });

  it('a subscription: any role around it shows it; another tenant is told so; signing keys only need it to exist', async () => {
    assert.equal(await check('GET', sub(), STRANGER), '403 AuthorizationFailed');
    assert.equal(((await check('GET', sub())) as ManagementContext).located?.subscription.id, arm.subscriptionId);
    const foreign = { ...STRANGER, tenantId: 'another-tenant' } as IdentityClaims;
    assert.equal(await check('GET', sub(), foreign), '401 InvalidAuthenticationTokenTenant');
    assert.equal(await check('GET', `${sub()}/providers/Wharf.Security/signingKeys`, foreign), '403 AuthorizationFailed');
    assert.equal(await check('GET', `${sub(UNKNOWN_SUBSCRIPTION)}/providers/Wharf.Security/signingKeys`, foreign), '404 SubscriptionNotFound');
  });

  it('a provider registration refuses an unknown namespace before the right', async () => {
    assert.equal(await check('POST', `${sub()}/providers/Nope.Nothing/register`, STRANGER), '404 InvalidResourceNamespace');
    assert.equal(await check('POST', `${sub()}/providers/Microsoft.Network/register`, STRANGER), '403 AuthorizationFailed');
  });

  it('a list filtered by visibility needs only what its path names to exist, whoever asks', async () => {
    const inGroup = (group: string) => `${sub()}/resourceGroups/${group}/providers/Microsoft.Network/privateEndpoints`;
    assert.equal(await check('GET', inGroup('nowhere'), STRANGER), '404 ResourceGroupNotFound');
    assert.equal(((await check('GET', inGroup(arm.resourceGroup), STRANGER)) as ManagementContext).located?.group?.name, arm.resourceGroup);
    assert.equal(await check('GET', `${sub(UNKNOWN_SUBSCRIPTION)}/resourceGroups`, STRANGER), '404 SubscriptionNotFound');
    assert.equal(((await check('GET', '/subscriptions', STRANGER)) as ManagementContext).located, undefined);
  });
});

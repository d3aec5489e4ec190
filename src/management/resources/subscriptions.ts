/**
 * The ARM scaffolding: subscriptions (what `az login` lists), resource groups (get, create,
 * tag, delete, list, and HEAD as `az group exists` uses), and the generic resource listing every `az acr`
 * command starts with (`/resources?$filter=resourceType eq 'Microsoft.ContainerRegistry/registries'`).
 * A subscription is visible to a caller who holds any role in it, as on Azure.
 */
import { registryResourceId } from '../../access/roles.js';
import type { ResourceGroupRecord, SubscriptionRecord } from '../../storage/metadata/access-records.js';
import type { RegistryRecord } from '../../storage/metadata/store.js';
import { armErrors, armReason, armText } from '../../kernel/arm-errors.js';
import { scopeWithin } from '../authorization.js';
import { managedIdentityResourceId } from '../../domain/managed-identity-records.js';
import { addressedGroup, addressedScope, collection, created, ok, type ManagementContext, type ManagementResult, type ManagementServices } from '../context.js';
import { optionalTags, requiredString } from '../../kernel/json-body.js';
import { listFilteredByVisibility, onResourceGroup, onSubscription, type RouteSpec } from '../route-table.js';
import { RESOURCE_GROUP_PATH, REGISTRY_TYPE, SUBSCRIPTION_PATH, findResourceGroup, registryIsAt, resourceGroupScope, subscriptionScope } from './lookup.js';

/** What this module uses of the management plane's services (context.ts): nothing else is in reach. */
type HandlerServices = Pick<ManagementServices, 'registryService' | 'store'>;
type HandlerContext = ManagementContext<HandlerServices>;

const RESOURCE_GROUP_TYPE = 'Microsoft.Resources/resourceGroups';
const RESOURCE_GROUP_NAME = /^[-\w._()]{1,90}$/;

function subscriptionJson(subscription: SubscriptionRecord): Record<string, unknown> {
  return {
    id: subscriptionScope(subscription.id),
    subscriptionId: subscription.id,
    tenantId: subscription.tenantId,
    displayName: subscription.displayName,
    state: 'Enabled',
    subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'PayAsYouGo_2014-09-01', spendingLimit: 'Off' },
    authorizationSource: 'RoleBased',
    managedByTenants: [],
  };
}

function resourceGroupJson(group: ResourceGroupRecord): Record<string, unknown> {
  return {
    id: resourceGroupScope(group.subscriptionId, group.name),
    name: group.name,
    type: RESOURCE_GROUP_TYPE,
    location: group.location,
    tags: group.tags,
    properties: { provisioningState: 'Succeeded' },
  };
}

async function listSubscriptions(context: HandlerContext): Promise<ManagementResult> {
  const shown: unknown[] = [];
  for (const subscription of await context.services.store.scaffold.subscriptions()) {
    if (subscription.tenantId !== context.caller.tenantId) continue;
    if (await context.access.hasAnyRoleAround(subscriptionScope(subscription.id))) shown.push(subscriptionJson(subscription));
  }
  return collection(shown);
}

async function getSubscription(context: HandlerContext): Promise<ManagementResult> {
  return ok(subscriptionJson(addressedScope(context).subscription));
}

async function listResourceGroups(context: HandlerContext): Promise<ManagementResult> {
  const { subscription } = addressedScope(context);
  const shown: unknown[] = [];
  for (const group of await context.services.store.scaffold.resourceGroups(subscription.id)) {
    if (await context.access.allows(resourceGroupScope(subscription.id, group.name), 'read')) shown.push(resourceGroupJson(group));
  }
  return collection(shown);
}

async function getResourceGroup(context: HandlerContext): Promise<ManagementResult> {
  return ok(resourceGroupJson(addressedGroup(context)));
}

/** `az group exists`: 204 when it exists, 404 when not, no body. */
async function headResourceGroup(context: HandlerContext): Promise<ManagementResult> {
  const { subscription } = addressedScope(context);
  const name = context.params.resourceGroupName!;
  return { status: (await findResourceGroup(context, subscription.id, name)) ? 204 : 404 };
}

async function putResourceGroup(context: HandlerContext): Promise<ManagementResult> {
  const { scaffold } = context.services.store;
  const { subscription } = addressedScope(context);
  const name = context.params.resourceGroupName!;
  if (!RESOURCE_GROUP_NAME.test(name) || name.endsWith('.')) {
    throw armErrors.invalidResourceName(armReason('kindResourceGroup'), name, armReason('ruleResourceGroupName'));
  }
  const body = await context.body();
  const location = requiredString(body, 'location', 'location').replace(/\s+/g, '').toLowerCase();
  // A PUT replaces the group's tags (none when it names none), as ARM's does.
  const tags = optionalTags(body, 'tags', 'tags') ?? {};
  const existing = await findResourceGroup(context, subscription.id, name);
  if (existing) {
    if (existing.location !== location) throw armErrors.locationMismatch(existing.name, existing.location, location, existing.name);
    await scaffold.setResourceGroupTags(subscription.id, existing.name, tags);
    return ok(resourceGroupJson({ ...existing, tags }));
  }
  const group = await scaffold.ensureResourceGroup({ subscriptionId: subscription.id, name, location });
  await scaffold.setResourceGroupTags(subscription.id, group.name, tags);
  return created(resourceGroupJson({ ...group, tags }));
}

/** `az group update --tags`: a PATCH changes the tags when it names them. */
async function patchResourceGroup(context: HandlerContext): Promise<ManagementResult> {
  const { subscription } = addressedScope(context);
  const group = addressedGroup(context);
  const tags = optionalTags(await context.body(), 'tags', 'tags');
  if (tags === undefined) return ok(resourceGroupJson(group));
  await context.services.store.scaffold.setResourceGroupTags(subscription.id, group.name, tags);
  return ok(resourceGroupJson({ ...group, tags }));
}

/**
 * `az group delete`: the group and the registries in it, with every role assignment at or under
 * its scope, as ARM deletes a group's resources with it. Virtual networks, private endpoints and
 * user-assigned identities are not deleted with it here: a group holding any is refused (409),
 * naming them, before anything is deleted. Done at once: 200, which az's poller takes as finished.
 */
async function deleteResourceGroup(context: HandlerContext): Promise<ManagementResult> {
  const { services } = context;
  const { subscription } = addressedScope(context);
  const group = addressedGroup(context);
  const groupScope = resourceGroupScope(subscription.id, group.name);
  const others = [
    ...(await services.store.network.virtualNetworks({ subscriptionId: subscription.id, resourceGroup: group.name })).map((v) => v.name),
    ...(await services.store.network.privateEndpoints({ subscriptionId: subscription.id, resourceGroup: group.name })).map((p) => p.name),
    ...(await services.store.identities.list({ tenantId: subscription.tenantId, type: 'ManagedIdentity' }))
      .map((identity) => managedIdentityResourceId(identity))
      .filter((id): id is string => id !== null && id !== undefined && scopeWithin(id, groupScope))
      .map((id) => id.split('/').pop()!),
  ];
  if (others.length > 0) {
    throw armErrors.conflict('ResourceGroupNotEmpty', armText('resourceGroupHoldsOthers', { resourceGroup: group.name, resources: others.join(', ') }));
  }
  const registries = (await services.store.registries.list()).filter((registry) => registryIsAt(registry, subscription.id, group.name));
  // One transaction: the registries, the role assignments under the group and the group row.
  await services.registryService.removeResourceGroup({ subscriptionId: subscription.id, name: group.name }, registries);
  return { status: 200 };
}

function genericResourceJson(registry: RegistryRecord): Record<string, unknown> {
  return {
    id: registryResourceId(registry),
    name: registry.name,
    type: REGISTRY_TYPE,
    sku: { name: registry.sku, tier: registry.sku },
    location: registry.location,
    tags: registry.tags,
  };
}

interface ResourceFilter {
  resourceType?: string;
  name?: string;
}

/** `resourceType eq '<type>'` and/or `name eq '<name>'`. */
function parseResourceFilter(text: string | null): ResourceFilter {
  const filter: ResourceFilter = {};
  if (text === null || text.trim() === '') return filter;
  for (const term of text.trim().split(/\s+and\s+/i)) {
    const match = /^(resourceType|name)\s+eq\s+'([^']*)'$/i.exec(term);
    if (!match) throw armErrors.invalidFilter(text, "resourceType eq '<type>', name eq '<name>', joined by 'and'");
    if (match[1]!.toLowerCase() === 'resourcetype') filter.resourceType = match[2]!.toLowerCase();
    else filter.name = match[2]!.toLowerCase();
  }
  return filter;
}

async function listResources(context: HandlerContext, subscription: SubscriptionRecord, resourceGroup?: string): Promise<ManagementResult> {
  const filter = parseResourceFilter(context.query.get('$filter'));
  if (filter.resourceType !== undefined && filter.resourceType !== REGISTRY_TYPE.toLowerCase()) return collection([]);
  const shown: unknown[] = [];
  for (const registry of await context.services.store.registries.list()) {
    if (registry.subscriptionId !== subscription.id) continue;
    if (resourceGroup !== undefined && !registryIsAt(registry, subscription.id, resourceGroup)) continue;
    if (filter.name !== undefined && registry.name !== filter.name) continue;
    if (await context.access.allows(registryResourceId(registry), 'read')) shown.push(genericResourceJson(registry));
  }
  return collection(shown);
}

async function listSubscriptionResources(context: HandlerContext): Promise<ManagementResult> {
  return listResources(context, addressedScope(context).subscription);
}

async function listResourceGroupResources(context: HandlerContext): Promise<ManagementResult> {
  const { subscription } = addressedScope(context);
  return listResources(context, subscription, addressedGroup(context).name);
}

const groupRead = `${RESOURCE_GROUP_TYPE}/read`;
const groupWrite = `${RESOURCE_GROUP_TYPE}/write`;

export const subscriptionRoutes: RouteSpec[] = [
  { id: 'subscriptions.list', template: '/subscriptions', methods: { GET: { handler: listSubscriptions, needs: listFilteredByVisibility } } },
  {
    id: 'subscriptions.subscription',
    template: SUBSCRIPTION_PATH,
    methods: { GET: { handler: getSubscription, needs: onSubscription('anyRole', 'Microsoft.Resources/subscriptions/read') } },
  },
  {
    id: 'resources.listBySubscription',
    template: `${SUBSCRIPTION_PATH}/resources`,
    methods: { GET: { handler: listSubscriptionResources, needs: listFilteredByVisibility } },
  },
  {
    id: 'resourceGroups.list',
    template: `${SUBSCRIPTION_PATH}/resourceGroups`,
    methods: { GET: { handler: listResourceGroups, needs: listFilteredByVisibility } },
  },
  {
    id: 'resourceGroups.resourceGroup',
    template: RESOURCE_GROUP_PATH,
    methods: {
      GET: { handler: getResourceGroup, needs: onResourceGroup('read', groupRead) },
      HEAD: { handler: headResourceGroup, needs: onResourceGroup('read', groupRead, { mustExist: false }) },
      PUT: { handler: putResourceGroup, needs: onResourceGroup('write', groupWrite, { mustExist: false }) },
      PATCH: { handler: patchResourceGroup, needs: onResourceGroup('write', groupWrite) },
      DELETE: { handler: deleteResourceGroup, needs: onResourceGroup('write', `${RESOURCE_GROUP_TYPE}/delete`) },
    },
  },
  {
    id: 'resources.listByResourceGroup',
    template: `${RESOURCE_GROUP_PATH}/resources`,
    methods: { GET: { handler: listResourceGroupResources, needs: listFilteredByVisibility } },
  },
];

/**
 * Microsoft.ManagedIdentity/userAssignedIdentities: create (PUT), get, delete and list.
 * Each is an identity of the directory (type ManagedIdentity) with a client id and a
 * principal id, which role assignments name and Wharf's IMDS-compatible endpoint issues
 * tokens for. A user-assigned identity sits in its resource group's location. The rules are
 * the managed identity service's (src/domain/managed-identity-service.ts).
 */
import type { IdentityRecord, SubscriptionRecord } from '../../storage/metadata/access-records.js';
import { armErrors } from '../../kernel/arm-errors.js';
import { addressedGroup, addressedScope, collection, created, ok, type ManagementContext, type ManagementResult, type ManagementServices } from '../context.js';
import { optionalTags, requiredString } from '../../kernel/json-body.js';
import { listFilteredByVisibility, onResource, type RouteSpec } from '../route-table.js';
import { RESOURCE_GROUP_PATH, SUBSCRIPTION_PATH, resourceGroupScope, subscriptionScope } from './lookup.js';
import { scopeWithin } from '../authorization.js';
import { MANAGED_IDENTITY_TYPE, managedIdentityResourceId } from '../../domain/managed-identity-records.js';

/** What this module uses of the management plane's services (context.ts): nothing else is in reach. */
type HandlerServices = Pick<ManagementServices, 'managedIdentityService' | 'store'>;
type HandlerContext = ManagementContext<HandlerServices>;

const actions = {
  read: `${MANAGED_IDENTITY_TYPE}/read`,
  write: `${MANAGED_IDENTITY_TYPE}/write`,
  delete: `${MANAGED_IDENTITY_TYPE}/delete`,
} as const;

function identityJson(identity: IdentityRecord, resourceId: string, location: string): Record<string, unknown> {
  return {
    id: resourceId,
    name: identity.displayName,
    type: MANAGED_IDENTITY_TYPE,
    location,
    tags: {},
    properties: { tenantId: identity.tenantId, principalId: identity.objectId, clientId: identity.appId },
  };
}

interface Addressed {
  resourceId: string;
  location: string;
  subscriptionId: string;
  tenantId: string;
}

/** The identity's id as the path spells it (what the dispatcher checks the caller's right over). */
const identityIdFromParams = (subscriptionId: string, params: Record<string, string>) =>
  `${resourceGroupScope(subscriptionId, params.resourceGroupName!)}/providers/${MANAGED_IDENTITY_TYPE}/${params.resourceName}`;

/** What the dispatcher found and authorized (subscription, right over the identity's id, resource group: ARM's order). */
function address(context: HandlerContext): Addressed {
  const { resourceName } = context.params as Record<string, string>;
  const { subscription } = addressedScope(context);
  const group = addressedGroup(context);
  return {
    resourceId: `${resourceGroupScope(subscription.id, group.name)}/providers/${MANAGED_IDENTITY_TYPE}/${resourceName}`,
    location: group.location,
    subscriptionId: subscription.id,
    tenantId: subscription.tenantId,
  };
}

async function getIdentity(context: HandlerContext): Promise<ManagementResult> {
  const { resourceId, location } = address(context);
  const identity = await context.services.managedIdentityService.find(resourceId);
  if (!identity) throw armErrors.resourceNotFound(MANAGED_IDENTITY_TYPE, context.params.resourceName!, context.params.resourceGroupName!);
  return ok(identityJson(identity, managedIdentityResourceId(identity)!, location));
}

async function putIdentity(context: HandlerContext): Promise<ManagementResult> {
  const place = address(context);
  const { identity, created: isNew } = await context.services.managedIdentityService.put({ ...place, name: context.params.resourceName! }, async () => {
    const body = await context.body();
    const location = requiredString(body, 'location', 'location');
    const tags = optionalTags(body, 'tags', 'tags');
    return { location, ...(tags !== undefined ? { tags } : {}) };
  });
  const json = identityJson(identity, isNew ? place.resourceId : managedIdentityResourceId(identity)!, place.location);
  return isNew ? created(json) : ok(json);
}

async function deleteIdentity(context: HandlerContext): Promise<ManagementResult> {
  const { resourceId } = address(context);
  return { status: (await context.services.managedIdentityService.delete(resourceId)) ? 200 : 204 };
}

async function listUnder(context: HandlerContext, scope: string, subscription: SubscriptionRecord): Promise<ManagementResult> {
  const { store } = context.services;
  const groups = new Map((await store.scaffold.resourceGroups(subscription.id)).map((g) => [g.name.toLowerCase(), g.location]));
  const shown: unknown[] = [];
  for (const identity of await store.identities.list({ tenantId: subscription.tenantId, type: 'ManagedIdentity' })) {
    const resourceId = managedIdentityResourceId(identity);
    if (!resourceId || !scopeWithin(resourceId, scope)) continue;
    if (!(await context.access.allows(resourceId, 'read'))) continue;
    const group = /\/resourceGroups\/([^/]+)/i.exec(resourceId)![1]!.toLowerCase();
    shown.push(identityJson(identity, resourceId, groups.get(group) ?? ''));
  }
  return collection(shown);
}

async function listInSubscription(context: HandlerContext): Promise<ManagementResult> {
  const { subscription } = addressedScope(context);
  return listUnder(context, subscriptionScope(subscription.id), subscription);
}

async function listInResourceGroup(context: HandlerContext): Promise<ManagementResult> {
  const { subscription } = addressedScope(context);
  const group = addressedGroup(context);
  return listUnder(context, resourceGroupScope(subscription.id, group.name), subscription);
}

export const managedIdentityRoutes: RouteSpec[] = [
  {
    id: 'userAssignedIdentities.listBySubscription',
    template: `${SUBSCRIPTION_PATH}/providers/${MANAGED_IDENTITY_TYPE}`,
    methods: { GET: { handler: listInSubscription, needs: listFilteredByVisibility } },
  },
  {
    id: 'userAssignedIdentities.listByResourceGroup',
    template: `${RESOURCE_GROUP_PATH}/providers/${MANAGED_IDENTITY_TYPE}`,
    methods: { GET: { handler: listInResourceGroup, needs: listFilteredByVisibility } },
  },
  {
    id: 'userAssignedIdentities.identity',
    template: `${RESOURCE_GROUP_PATH}/providers/${MANAGED_IDENTITY_TYPE}/{resourceName}`,
    methods: {
      GET: { handler: getIdentity, needs: onResource('read', actions.read, identityIdFromParams) },
      PUT: { handler: putIdentity, needs: onResource('write', actions.write, identityIdFromParams) },
      DELETE: { handler: deleteIdentity, needs: onResource('write', actions.delete, identityIdFromParams) },
    },
  },
];

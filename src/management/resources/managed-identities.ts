/**
 * Microsoft.ManagedIdentity/userAssignedIdentities: create (PUT), get, delete and list.
 * Each is an identity of the directory (type ManagedIdentity) with a client id and a
 * principal id, which role assignments name and Wharf's IMDS-compatible endpoint issues
 * tokens for. A user-assigned identity sits in its resource group's location.
 */
import type { IdentityRecord, SubscriptionRecord } from '../../storage/metadata/access-records.js';
import { armErrors } from '../arm-errors.js';
import { collection, created, ok, type ManagementContext, type ManagementResult } from '../context.js';
import { optionalTags, requiredString } from '../json-body.js';
import type { RouteSpec } from '../route-table.js';
import { RESOURCE_GROUP_PATH, SUBSCRIPTION_PATH, requireResourceGroup, requireSubscription, resourceGroupScope, subscriptionScope } from './lookup.js';
import { scopeWithin } from '../authorization.js';
import {
  MANAGED_IDENTITY_TYPE,
  createUserAssignedIdentity,
  findManagedIdentityByResourceId,
  managedIdentityResourceId,
} from './managed-identity-records.js';

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}$/;
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

/** Subscription, access over the identity's id, resource group: ARM's order. */
async function address(context: ManagementContext, permission: 'read' | 'write', action: string): Promise<Addressed> {
  const { resourceGroupName, resourceName } = context.params as Record<string, string>;
  const subscription = await requireSubscription(context, context.params.subscriptionId!);
  const pathId = `${resourceGroupScope(subscription.id, resourceGroupName!)}/providers/${MANAGED_IDENTITY_TYPE}/${resourceName}`;
  await context.access.require(pathId, permission, action);
  const group = await requireResourceGroup(context, subscription.id, resourceGroupName!);
  return {
    resourceId: `${resourceGroupScope(subscription.id, group.name)}/providers/${MANAGED_IDENTITY_TYPE}/${resourceName}`,
    location: group.location,
    subscriptionId: subscription.id,
    tenantId: subscription.tenantId,
  };
}

async function getIdentity(context: ManagementContext): Promise<ManagementResult> {
  const { resourceId, location } = await address(context, 'read', actions.read);
  const identity = await findManagedIdentityByResourceId(context.services.store, resourceId);
  if (!identity) throw armErrors.resourceNotFound(MANAGED_IDENTITY_TYPE, context.params.resourceName!, context.params.resourceGroupName!);
  return ok(identityJson(identity, managedIdentityResourceId(identity)!, location));
}

async function putIdentity(context: ManagementContext): Promise<ManagementResult> {
  const { store } = context.services;
  const { resourceId, location, tenantId } = await address(context, 'write', actions.write);
  const name = context.params.resourceName!;
  if (!NAME.test(name)) {
    throw armErrors.invalidResourceName('user assigned identity', name, "a name is 3 to 128 letters, digits, '-' or '_', starting with a letter or digit");
  }
  const body = await context.body();
  const requested = requiredString(body, 'location', 'location').replace(/\s+/g, '').toLowerCase();
  if (requested !== location) {
    throw armErrors.invalidParameter('location', `A user-assigned identity is placed in its resource group's location, '${location}'; '${requested}' cannot be used.`);
  }
  const tags = optionalTags(body, 'tags', 'tags');
  if (tags && Object.keys(tags).length > 0) throw armErrors.featureNotSupported('tags', 'tags on managed identities are not kept by this Wharf version');
  const existing = await store.identities.getByUserName(resourceId);
  if (existing) {
    if (!managedIdentityResourceId(existing)) throw armErrors.conflict('Conflict', `The name '${resourceId}' is taken by a user of the directory.`);
    return ok(identityJson(existing, managedIdentityResourceId(existing)!, location));
  }
  const identity = await createUserAssignedIdentity(store, { tenantId, resourceId, name });
  return created(identityJson(identity, resourceId, location));
}

async function deleteIdentity(context: ManagementContext): Promise<ManagementResult> {
  const { store } = context.services;
  const { resourceId } = await address(context, 'write', actions.delete);
  const identity = await findManagedIdentityByResourceId(store, resourceId);
  if (!identity) return { status: 204 };
  // Its role assignments go with it, and tokens issued to it stop verifying (their principal is gone).
  await store.identities.delete(identity.objectId);
  context.services.events.publish({ kind: 'identity', objectId: identity.objectId });
  return { status: 200 };
}

async function listUnder(context: ManagementContext, scope: string, subscription: SubscriptionRecord): Promise<ManagementResult> {
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

async function listInSubscription(context: ManagementContext): Promise<ManagementResult> {
  const subscription = await requireSubscription(context, context.params.subscriptionId!);
  return listUnder(context, subscriptionScope(subscription.id), subscription);
}

async function listInResourceGroup(context: ManagementContext): Promise<ManagementResult> {
  const subscription = await requireSubscription(context, context.params.subscriptionId!);
  const group = await requireResourceGroup(context, subscription.id, context.params.resourceGroupName!);
  return listUnder(context, resourceGroupScope(subscription.id, group.name), subscription);
}

export const managedIdentityRoutes: RouteSpec[] = [
  { id: 'userAssignedIdentities.listBySubscription', template: `${SUBSCRIPTION_PATH}/providers/${MANAGED_IDENTITY_TYPE}`, methods: { GET: listInSubscription } },
  { id: 'userAssignedIdentities.listByResourceGroup', template: `${RESOURCE_GROUP_PATH}/providers/${MANAGED_IDENTITY_TYPE}`, methods: { GET: listInResourceGroup } },
  {
    id: 'userAssignedIdentities.identity',
    template: `${RESOURCE_GROUP_PATH}/providers/${MANAGED_IDENTITY_TYPE}/{resourceName}`,
    methods: { GET: getIdentity, PUT: putIdentity, DELETE: deleteIdentity },
  },
];

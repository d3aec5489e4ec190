/**
 * Finding what an ARM path addresses, in ARM's order: the subscription (404 if unknown, 401
 * if the token is from another tenant), then the caller's right over the resource's scope
 * (403), then the resource group and the resource (404). Checking access before existence
 * keeps a caller without rights from learning which resources exist. For a registry, routes
 * declare the right they need and the dispatcher checks it (authorization.ts, authorizeRoute).
 */
import type { ResourceGroupRecord, SubscriptionRecord } from '../../storage/metadata/access-records.js';
import type { RegistryRecord } from '../../storage/metadata/store.js';
import { armErrors } from '../../kernel/arm-errors.js';
import { challengeContext } from '../authentication.js';
import type { ManagementContext } from '../context.js';

export const REGISTRY_TYPE = 'Microsoft.ContainerRegistry/registries';

/** Route templates (names as in the ARM spec: they become context.params). */
export const SUBSCRIPTION_PATH = '/subscriptions/{subscriptionId}';
export const RESOURCE_GROUP_PATH = `${SUBSCRIPTION_PATH}/resourceGroups/{resourceGroupName}`;
export const REGISTRY_PATH = `${RESOURCE_GROUP_PATH}/providers/Microsoft.ContainerRegistry/registries/{registryName}`;

export function subscriptionScope(subscriptionId: string): string {
  return `/subscriptions/${subscriptionId}`;
}

export function resourceGroupScope(subscriptionId: string, resourceGroup: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`;
}

/** ARM ids from a path's own spelling, for access checks before the resource is looked up. */
export function registryIdFromPath(subscriptionId: string, resourceGroup: string, registryName: string): string {
  return `${resourceGroupScope(subscriptionId, resourceGroup)}/providers/${REGISTRY_TYPE}/${registryName.toLowerCase()}`;
}

export async function requireSubscription(context: ManagementContext, subscriptionId: string): Promise<SubscriptionRecord> {
  const subscription = (await context.services.store.scaffold.subscriptions()).find(
    (s) => s.id.toLowerCase() === subscriptionId.toLowerCase(),
  );
  if (!subscription) throw armErrors.subscriptionNotFound(subscriptionId);
  if (subscription.tenantId !== context.caller.tenantId) {
    throw armErrors.wrongTenant(challengeContext(context.services, context.origin), context.caller.tenantId, subscription.id);
  }
  return subscription;
}

/** Resource group names are case-insensitive in ARM; the stored spelling is returned. */
export async function findResourceGroup(
  context: ManagementContext,
  subscriptionId: string,
  name: string,
): Promise<ResourceGroupRecord | undefined> {
  return (await context.services.store.scaffold.resourceGroups(subscriptionId)).find((g) => g.name.toLowerCase() === name.toLowerCase());
}

export async function requireResourceGroup(context: ManagementContext, subscriptionId: string, name: string): Promise<ResourceGroupRecord> {
  const group = await findResourceGroup(context, subscriptionId, name);
  if (!group) throw armErrors.resourceGroupNotFound(name);
  return group;
}

/** True when the registry lives at this subscription and resource group. */
export function registryIsAt(registry: RegistryRecord, subscriptionId: string, resourceGroup: string): boolean {
  return registry.subscriptionId.toLowerCase() === subscriptionId.toLowerCase() && registry.resourceGroup.toLowerCase() === resourceGroup.toLowerCase();
}

/** Registry actions as ARM names them, for AuthorizationFailed messages. */
export const registryActions = {
  read: `${REGISTRY_TYPE}/read`,
  write: `${REGISTRY_TYPE}/write`,
  delete: `${REGISTRY_TYPE}/delete`,
  listCredentials: `${REGISTRY_TYPE}/listCredentials/action`,
  regenerateCredential: `${REGISTRY_TYPE}/regenerateCredential/action`,
  generateCredentials: `${REGISTRY_TYPE}/generateCredentials/action`,
  listUsages: `${REGISTRY_TYPE}/listUsages/read`,
  scopeMapsRead: `${REGISTRY_TYPE}/scopeMaps/read`,
  scopeMapsWrite: `${REGISTRY_TYPE}/scopeMaps/write`,
  scopeMapsDelete: `${REGISTRY_TYPE}/scopeMaps/delete`,
  tokensRead: `${REGISTRY_TYPE}/tokens/read`,
  tokensWrite: `${REGISTRY_TYPE}/tokens/write`,
  tokensDelete: `${REGISTRY_TYPE}/tokens/delete`,
  logsRead: `${REGISTRY_TYPE}/logs/read`,
} as const;

/**
 * ARM resource ids and route templates of the registry resource type: what the domain services
 * and the management plane both name resources by.
 */
import type { RegistryRecord } from '../storage/metadata/store.js';

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

/** True when the registry lives at this subscription and resource group. */
export function registryIsAt(registry: RegistryRecord, subscriptionId: string, resourceGroup: string): boolean {
  return registry.subscriptionId.toLowerCase() === subscriptionId.toLowerCase() && registry.resourceGroup.toLowerCase() === resourceGroup.toLowerCase();
}

/** ARM resource ids the CLI builds and reads. */

export function subscriptionId(subscription: string): string {
  return `/subscriptions/${subscription}`;
}

export function resourceGroupId(subscription: string, resourceGroup: string): string {
  return `${subscriptionId(subscription)}/resourceGroups/${resourceGroup}`;
}

export function registriesPath(subscription: string, resourceGroup?: string): string {
  const base = resourceGroup ? resourceGroupId(subscription, resourceGroup) : subscriptionId(subscription);
  return `${base}/providers/Microsoft.ContainerRegistry/registries`;
}

export function registryId(subscription: string, resourceGroup: string, name: string): string {
  return `${registriesPath(subscription, resourceGroup)}/${name}`;
}

export function scopeMapId(registry: string, name: string): string {
  return `${registry}/scopeMaps/${name}`;
}

export function tokenId(registry: string, name: string): string {
  return `${registry}/tokens/${name}`;
}

/** A repository (name or glob) inside a registry: the scope of a repository-level role assignment. */
export function repositoryScope(registry: string, repository: string): string {
  return `${registry}/repositories/${repository}`;
}

export function roleAssignmentsPath(scope: string): string {
  return `${scope}/providers/Microsoft.Authorization/roleAssignments`;
}

export function roleDefinitionId(scope: string, roleGuid: string): string {
  return `${scope}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`;
}

/** The last segment of an ARM id (a scope map's name from its id, a role's GUID). */
export function lastSegment(id: string): string {
  return id.slice(id.lastIndexOf('/') + 1);
}

/** `resourceGroups/<name>` out of an id, or ''. */
export function resourceGroupOf(id: string): string {
  return /\/resourceGroups\/([^/]+)/i.exec(id)?.[1] ?? '';
}

export function isGuid(text: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text);
}

/** An ARM scope given on the command line: starts with /subscriptions/. */
export function isArmScope(text: string): boolean {
  return /^\/subscriptions\/[^/]+/i.test(text);
}

/** `Microsoft.Network` resources (virtual networks, subnets, private endpoints) in a resource group. */
export function networkPath(subscription: string, resourceGroup: string | undefined, type: 'virtualNetworks' | 'privateEndpoints'): string {
  const base = resourceGroup ? resourceGroupId(subscription, resourceGroup) : subscriptionId(subscription);
  return `${base}/providers/Microsoft.Network/${type}`;
}

export function virtualNetworkId(subscription: string, resourceGroup: string, name: string): string {
  return `${networkPath(subscription, resourceGroup, 'virtualNetworks')}/${name}`;
}

export function subnetId(vnetId: string, name: string): string {
  return `${vnetId}/subnets/${name}`;
}

export function privateEndpointId(subscription: string, resourceGroup: string, name: string): string {
  return `${networkPath(subscription, resourceGroup, 'privateEndpoints')}/${name}`;
}

export function providerPath(subscription: string, namespace?: string): string {
  return `${subscriptionId(subscription)}/providers${namespace ? `/${namespace}` : ''}`;
}

export function trustedServicesPath(subscription: string): string {
  return `${subscriptionId(subscription)}/providers/Wharf.Network/trustedServices`;
}

export function subscriptionAliasPath(alias: string): string {
  return `/providers/Microsoft.Subscription/aliases/${alias}`;
}

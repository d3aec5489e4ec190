/**
 * ARM ids and route templates of the network resources (Microsoft.Network virtual networks,
 * subnets and private endpoints) and the parsing of ids that request bodies carry (a subnet
 * in a VNet rule or a private endpoint, a registry as a private link service). The store
 * keys records by the lower-case id; responses spell ids from the records' own names.
 */
import { RESOURCE_GROUP_PATH, SUBSCRIPTION_PATH } from './arm-resources.js';

export const VNET_TYPE = 'Microsoft.Network/virtualNetworks';
export const SUBNET_TYPE = 'Microsoft.Network/virtualNetworks/subnets';
export const PRIVATE_ENDPOINT_TYPE = 'Microsoft.Network/privateEndpoints';
export const CONNECTION_TYPE = 'Microsoft.ContainerRegistry/registries/privateEndpointConnections';
export const REPLICATION_TYPE = 'Microsoft.ContainerRegistry/registries/replications';
export const CONTAINER_REGISTRY_NAMESPACE = 'Microsoft.ContainerRegistry';
/** The service endpoint a subnet needs before a registry's VNet rule admits it. */

export const VNETS_IN_SUBSCRIPTION = `${SUBSCRIPTION_PATH}/providers/${VNET_TYPE}`;
export const VNETS_IN_GROUP = `${RESOURCE_GROUP_PATH}/providers/${VNET_TYPE}`;
export const VNET_PATH = `${VNETS_IN_GROUP}/{virtualNetworkName}`;
export const SUBNET_PATH = `${VNET_PATH}/subnets/{subnetName}`;
export const PES_IN_SUBSCRIPTION = `${SUBSCRIPTION_PATH}/providers/${PRIVATE_ENDPOINT_TYPE}`;
export const PES_IN_GROUP = `${RESOURCE_GROUP_PATH}/providers/${PRIVATE_ENDPOINT_TYPE}`;
export const PE_PATH = `${PES_IN_GROUP}/{privateEndpointName}`;

/** Names of network resources: 1–80 letters, digits, '.', '-', '_', starting with a letter or digit. */
export const NETWORK_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

export function resourceId(subscriptionId: string, resourceGroup: string, type: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/${type}/${name}`;
}

/** The store's key: the id in lower case. */
export function storeKey(id: string): string {
  return id.toLowerCase().replace(/\/+$/, '');
}

export interface SubnetAddress {
  subscriptionId: string;
  resourceGroup: string;
  vnet: string;
  subnet: string;
  /** Lower-case ids. */
  vnetId: string;
  subnetId: string;
}

const SUBNET_ID = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/virtualNetworks\/([^/]+)\/subnets\/([^/]+)\/?$/i;

export function parseSubnetId(id: string): SubnetAddress | undefined {
  const match = SUBNET_ID.exec(id.trim());
  if (!match) return undefined;
  const [, subscriptionId, resourceGroup, vnet, subnet] = match as unknown as [string, string, string, string, string];
  const vnetId = storeKey(resourceId(subscriptionId, resourceGroup, VNET_TYPE, vnet));
  return { subscriptionId, resourceGroup, vnet, subnet, vnetId, subnetId: `${vnetId}/subnets/${subnet.toLowerCase()}` };
}

/** A stored (lower-case) subnet id with ARM's spelling of its fixed segments, for display. */
export function displaySubnetId(storedId: string): string {
  const address = parseSubnetId(storedId);
  return address ? `${resourceId(address.subscriptionId, address.resourceGroup, VNET_TYPE, address.vnet)}/subnets/${address.subnet}` : storedId;
}

const REGISTRY_ID = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ContainerRegistry\/registries\/([^/]+)\/?$/i;

export function parseRegistryId(id: string): { subscriptionId: string; resourceGroup: string; name: string } | undefined {
  const match = REGISTRY_ID.exec(id.trim());
  if (!match) return undefined;
  return { subscriptionId: match[1]!, resourceGroup: match[2]!, name: match[3]!.toLowerCase() };
}

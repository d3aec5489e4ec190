/**
 * The `Microsoft.Network` resources the CLI reads (virtual networks, subnets, private
 * endpoints) and the few facts commands pull out of them: a private endpoint's address, its
 * connection and state, its DNS names.
 */
import { cliError } from './cli-error.js';

export interface ServiceEndpoint {
  service: string;
  locations?: string[];
}

export interface Subnet {
  id: string;
  name: string;
  properties?: {
    addressPrefix?: string;
    addressPrefixes?: string[];
    serviceEndpoints?: ServiceEndpoint[];
    provisioningState?: string;
    privateEndpoints?: { id: string }[];
  };
}

export interface VirtualNetwork {
  id: string;
  name: string;
  location?: string;
  properties?: {
    addressSpace?: { addressPrefixes?: string[] };
    subnets?: Subnet[];
    provisioningState?: string;
  };
}

export interface PrivateLinkServiceConnection {
  name?: string;
  properties?: {
    privateLinkServiceId?: string;
    groupIds?: string[];
    requestMessage?: string;
    privateLinkServiceConnectionState?: { status?: string; description?: string; actionsRequired?: string };
  };
}

export interface PrivateEndpoint {
  id: string;
  name: string;
  location?: string;
  properties?: {
    subnet?: { id?: string };
    privateLinkServiceConnections?: PrivateLinkServiceConnection[];
    manualPrivateLinkServiceConnections?: PrivateLinkServiceConnection[];
    customDnsConfigs?: { fqdn?: string; ipAddresses?: string[] }[];
    ipConfigurations?: { name?: string; properties?: { groupId?: string; memberName?: string; privateIPAddress?: string } }[];
    networkInterfaces?: { id?: string }[];
    provisioningState?: string;
    [key: string]: unknown;
  };
}

export function subnetPrefixes(subnet: Subnet): string[] {
  const p = subnet.properties;
  return p?.addressPrefixes?.length ? p.addressPrefixes : p?.addressPrefix ? [p.addressPrefix] : [];
}

export function serviceEndpointNames(subnet: Subnet): string[] {
  return (subnet.properties?.serviceEndpoints ?? []).map((e) => e.service);
}

/** The virtual network a subnet id belongs to. */
export function vnetIdOfSubnet(subnetId: string): string {
  const at = subnetId.toLowerCase().lastIndexOf('/subnets/');
  if (at < 0) throw cliError('notSubnetId', { value: subnetId });
  return subnetId.slice(0, at);
}

/** The endpoint's one connection, automatic or manual. */
export function connectionOf(endpoint: PrivateEndpoint): PrivateLinkServiceConnection | undefined {
  return endpoint.properties?.privateLinkServiceConnections?.[0] ?? endpoint.properties?.manualPrivateLinkServiceConnections?.[0];
}

/** The endpoint's private address: from its DNS configs, else from its IP configuration. */
export function privateAddressOf(endpoint: PrivateEndpoint): string | undefined {
  for (const config of endpoint.properties?.customDnsConfigs ?? []) {
    if (config.ipAddresses?.[0]) return config.ipAddresses[0];
  }
  for (const config of endpoint.properties?.ipConfigurations ?? []) {
    if (config.properties?.privateIPAddress) return config.properties.privateIPAddress;
  }
  return undefined;
}

/**
 * How network resources look over ARM: virtual networks and subnets (Microsoft.Network
 * 2023-09-01 shapes), private endpoints with their connection, the registry side of a
 * connection, replications, and a registry's network properties (rule set, public access,
 * bypass, data endpoints, connections). Pure functions of records.
 */
import { registryResourceId } from '../../access/roles.js';
export { activeConnections, type RegistryNetworkState } from '../../domain/network-state.js';
import { activeConnections, type RegistryNetworkState } from '../../domain/network-state.js';
import { dataEndpointHost, registryRegions } from '../../domain/data-endpoint-names.js';
import type { PrivateEndpointRecord, ReplicationRecord, SubnetRecord, VirtualNetworkRecord } from '../../storage/metadata/network-records.js';
import type { RegistryRecord } from '../../storage/metadata/store.js';
import { CONNECTION_TYPE, PRIVATE_ENDPOINT_TYPE, REPLICATION_TYPE, SUBNET_TYPE, VNET_TYPE, displaySubnetId, resourceId } from '../../domain/network-ids.js';

function vnetDisplayId(vnet: VirtualNetworkRecord): string {
  return resourceId(vnet.subscriptionId, vnet.resourceGroup, VNET_TYPE, vnet.name);
}

export function subnetJson(vnet: VirtualNetworkRecord, subnet: SubnetRecord, endpoints: PrivateEndpointRecord[]): Record<string, unknown> {
  const prefixes = subnet.addressPrefixes.length === 1 ? { addressPrefix: subnet.addressPrefixes[0] } : { addressPrefixes: subnet.addressPrefixes };
  return {
    id: `${vnetDisplayId(vnet)}/subnets/${subnet.name}`,
    name: subnet.name,
    type: SUBNET_TYPE,
    properties: {
      provisioningState: 'Succeeded',
      ...prefixes,
      serviceEndpoints: subnet.serviceEndpoints.map((service) => ({ service, locations: ['*'], provisioningState: 'Succeeded' })),
      privateEndpoints: endpoints.filter((e) => e.subnetId === subnet.id).map((e) => ({ id: privateEndpointDisplayId(e) })),
      privateEndpointNetworkPolicies: 'Disabled',
    },
  };
}

export function vnetJson(vnet: VirtualNetworkRecord, subnets: SubnetRecord[], endpoints: PrivateEndpointRecord[]): Record<string, unknown> {
  return {
    id: vnetDisplayId(vnet),
    name: vnet.name,
    type: VNET_TYPE,
    location: vnet.location,
    tags: vnet.tags,
    properties: {
      provisioningState: 'Succeeded',
      addressSpace: { addressPrefixes: vnet.addressPrefixes },
      subnets: subnets.map((s) => subnetJson(vnet, s, endpoints)),
      virtualNetworkPeerings: [],
      enableDdosProtection: false,
    },
  };
}

function privateEndpointDisplayId(endpoint: PrivateEndpointRecord): string {
  return resourceId(endpoint.subscriptionId, endpoint.resourceGroup, PRIVATE_ENDPOINT_TYPE, endpoint.name);
}

function connectionState(endpoint: PrivateEndpointRecord): Record<string, string> {
  return { status: endpoint.status, description: endpoint.statusDescription, actionsRequired: 'None' };
}

/** What a private endpoint's listener can't do (a bind failure), when the listeners report one. */
export interface ListenerProblem {
  error: string;
}

interface EndpointContext {
  /** The target registry, when it still exists. */
  registry: RegistryRecord | undefined;
  replications: ReplicationRecord[];
  loginServer: string | undefined;
  domain: string;
  problem: ListenerProblem | undefined;
}

export function privateEndpointJson(
  endpoint: PrivateEndpointRecord,
  subnet: { vnet: VirtualNetworkRecord | undefined; name: string },
  context: EndpointContext,
): Record<string, unknown> {
  const id = privateEndpointDisplayId(endpoint);
  const registryId = context.registry
    ? registryResourceId(context.registry)
    : `/subscriptions/${endpoint.subscriptionId}/resourceGroups/${endpoint.resourceGroup}/providers/Microsoft.ContainerRegistry/registries/${endpoint.registry}`;
  const connection = {
    id: `${id}/${endpoint.manual ? 'manualPrivateLinkServiceConnections' : 'privateLinkServiceConnections'}/${endpoint.connectionName}`,
    name: endpoint.connectionName,
    type: `${PRIVATE_ENDPOINT_TYPE}/privateLinkServiceConnections`,
    properties: {
      provisioningState: 'Succeeded',
      privateLinkServiceId: registryId,
      groupIds: ['registry'],
      requestMessage: endpoint.requestMessage,
      privateLinkServiceConnectionState: connectionState(endpoint),
    },
  };
  const regions = context.registry ? registryRegions(context.registry, context.replications) : [];
  const members = [
    { memberName: 'registry', fqdn: context.loginServer },
    ...regions.map((region) => ({ memberName: `registry_data_${region}`, fqdn: dataEndpointHost(endpoint.registry, region, context.domain) })),
  ];
  const subnetId = subnet.vnet ? `${vnetDisplayId(subnet.vnet)}/subnets/${subnet.name}` : endpoint.subnetId;
  return {
    id,
    name: endpoint.name,
    type: PRIVATE_ENDPOINT_TYPE,
    location: endpoint.location,
    tags: {},
    properties: {
      provisioningState: context.problem ? 'Failed' : 'Succeeded',
      ...(context.problem ? { error: { code: 'PrivateEndpointListenerFailed', message: context.problem.error } } : {}),
      subnet: { id: subnetId },
      privateLinkServiceConnections: endpoint.manual ? [] : [connection],
      manualPrivateLinkServiceConnections: endpoint.manual ? [connection] : [],
      networkInterfaces: [{ id: resourceId(endpoint.subscriptionId, endpoint.resourceGroup, 'Microsoft.Network/networkInterfaces', `${endpoint.name}.nic`) }],
      ipConfigurations: members.map((m) => ({
        name: `${endpoint.name}-${m.memberName}`,
        properties: { groupId: 'registry', memberName: m.memberName, privateIPAddress: endpoint.address },
      })),
      customDnsConfigs: members.filter((m) => m.fqdn).map((m) => ({ fqdn: m.fqdn, ipAddresses: [endpoint.address] })),
      // Wharf's own: where the endpoint's listener is.
      listener: { address: endpoint.address, port: endpoint.port },
    },
  };
}

/** The registry side of a connection (`…/registries/R/privateEndpointConnections/<name>`). */
export function connectionJson(registry: RegistryRecord, endpoint: PrivateEndpointRecord): Record<string, unknown> {
  return {
    id: `${registryResourceId(registry)}/privateEndpointConnections/${endpoint.connectionName}`,
    name: endpoint.connectionName,
    type: CONNECTION_TYPE,
    properties: {
      privateEndpoint: { id: privateEndpointDisplayId(endpoint) },
      privateLinkServiceConnectionState: connectionState(endpoint),
      provisioningState: 'Succeeded',
    },
  };
}

/** The home region, listed as a replication named after it (as ACR does). */
export function replicationJson(registry: RegistryRecord, replication: ReplicationRecord, tags: Record<string, string> = {}): Record<string, unknown> {
  return {
    id: `${registryResourceId(registry)}/replications/${replication.name}`,
    name: replication.name,
    type: REPLICATION_TYPE,
    location: replication.location,
    tags,
    systemData: { createdAt: replication.createdAt },
    properties: {
      provisioningState: 'Succeeded',
      status: { displayStatus: 'Ready', message: '', timestamp: replication.createdAt },
      regionEndpointEnabled: replication.regionEndpointEnabled,
      zoneRedundancy: 'Disabled',
    },
  };
}

/** The network properties of a registry's ARM view. */
export function registryNetworkJson(registry: RegistryRecord, state: RegistryNetworkState, domain: string): Record<string, unknown> {
  const { settings } = state;
  return {
    networkRuleSet: {
      defaultAction: settings.defaultAction,
      ipRules: settings.ipRules.map((value) => ({ action: 'Allow', value })),
      virtualNetworkRules: settings.virtualNetworkRules.map((id) => ({ action: 'Allow', id: displaySubnetId(id) })),
    },
    publicNetworkAccess: settings.publicNetworkAccess,
    networkRuleBypassOptions: settings.bypass,
    dataEndpointEnabled: settings.dataEndpointEnabled,
    dataEndpointHostNames: settings.dataEndpointEnabled
      ? registryRegions(registry, state.replications).map((region) => dataEndpointHost(registry.name, region, domain))
      : [],
    privateEndpointConnections: activeConnections(state.endpoints).map((e) => connectionJson(registry, e)),
  };
}

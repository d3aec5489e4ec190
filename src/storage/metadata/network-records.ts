/**
 * What the metadata store keeps about network access (issue 4): each registry's network
 * settings, virtual networks and their subnets, private endpoints (each with its one
 * connection to a registry), replications (regions, each with its data endpoint), resource
 * provider registrations per subscription, and the identities registered as trusted services.
 * ARM ids are stored in canonical lower case; names keep the caller's spelling.
 */

export type PublicNetworkAccess = 'Enabled' | 'Disabled';
export type DefaultAction = 'Allow' | 'Deny';
export type BypassOption = 'AzureServices' | 'None';

/** A registry's network configuration; `defaultRegistryNetwork()` when none was saved. */
export interface RegistryNetworkSettings {
  publicNetworkAccess: PublicNetworkAccess;
  defaultAction: DefaultAction;
  /** IPv4 addresses or CIDR ranges (action Allow), in the order saved. */
  ipRules: string[];
  /** Subnet ARM ids (lower case), in the order saved. */
  virtualNetworkRules: string[];
  bypass: BypassOption;
  dataEndpointEnabled: boolean;
  /** ISO time of the last save; '' for defaults. Caches compare it to notice changes. */
  updatedAt: string;
}

export function defaultRegistryNetwork(): RegistryNetworkSettings {
  return {
    publicNetworkAccess: 'Enabled',
    defaultAction: 'Allow',
    ipRules: [],
    virtualNetworkRules: [],
    bypass: 'AzureServices',
    dataEndpointEnabled: false,
    updatedAt: '',
  };
}

export interface VirtualNetworkRecord {
  /** `/subscriptions/<s>/resourcegroups/<rg>/providers/microsoft.network/virtualnetworks/<name>`, lower case. */
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  addressPrefixes: string[];
  tags: Record<string, string>;
  createdAt: string;
}

export interface SubnetRecord {
  /** `<vnet id>/subnets/<name>`, lower case. */
  id: string;
  vnetId: string;
  name: string;
  addressPrefixes: string[];
  /** Service names, e.g. 'Microsoft.ContainerRegistry'. */
  serviceEndpoints: string[];
}

export type ConnectionStatus = 'Pending' | 'Approved' | 'Rejected' | 'Disconnected';

export interface PrivateEndpointRecord {
  /** `/subscriptions/<s>/resourcegroups/<rg>/providers/microsoft.network/privateendpoints/<name>`, lower case. */
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  subnetId: string;
  /** The listener address Wharf binds for this endpoint (IPv4), and its port. */
  address: string;
  port: number;
  /** The registry its connection targets (registry name). */
  registry: string;
  /** The connection's name on the registry side (`privateEndpointConnections/<name>`). */
  connectionName: string;
  /** True when created through manualPrivateLinkServiceConnections. */
  manual: boolean;
  requestMessage: string;
  status: ConnectionStatus;
  statusDescription: string;
  createdAt: string;
}

export interface ReplicationRecord {
  registry: string;
  /** ARM name, `^[a-zA-Z0-9]{5,50}$`. */
  name: string;
  location: string;
  regionEndpointEnabled: boolean;
  createdAt: string;
}

export type ProviderState = 'Registered' | 'NotRegistered' | 'Registering' | 'Unregistering';

export interface TrustedServiceRecord {
  /** The subscription it is registered in: it passes only the network rules of that subscription's registries. */
  subscriptionId: string;
  /** Unique within its subscription, ignoring case. */
  name: string;
  /** Object id of the managed identity the service uses. */
  principalId: string;
  serviceType: string;
  createdAt: string;
}

export interface NetworkIndex {
  /** Defaults when nothing was saved. */
  registrySettings(registry: string): Promise<RegistryNetworkSettings>;
  /** Replaces the registry's settings in one transaction (stamps updatedAt). */
  saveRegistrySettings(registry: string, settings: Omit<RegistryNetworkSettings, 'updatedAt'>): Promise<RegistryNetworkSettings>;

  virtualNetwork(id: string): Promise<VirtualNetworkRecord | undefined>;
  virtualNetworks(filter: { subscriptionId?: string; resourceGroup?: string }): Promise<VirtualNetworkRecord[]>;
  /** Creates or replaces the network; `subnets`, when given, replace its subnets in the same transaction. */
  saveVirtualNetwork(vnet: VirtualNetworkRecord, subnets?: SubnetRecord[]): Promise<void>;
  /** Deletes the network and its subnets. */
  deleteVirtualNetwork(id: string): Promise<boolean>;
  subnet(id: string): Promise<SubnetRecord | undefined>;
  subnets(vnetId: string): Promise<SubnetRecord[]>;
  /** Every subnet of every network (the gate compiles rules against them). */
  allSubnets(): Promise<SubnetRecord[]>;
  saveSubnet(subnet: SubnetRecord): Promise<void>;
  deleteSubnet(id: string): Promise<boolean>;

  privateEndpoint(id: string): Promise<PrivateEndpointRecord | undefined>;
  privateEndpoints(filter: { subscriptionId?: string; resourceGroup?: string; registry?: string; subnetId?: string }): Promise<PrivateEndpointRecord[]>;
  savePrivateEndpoint(endpoint: PrivateEndpointRecord): Promise<void>;
  deletePrivateEndpoint(id: string): Promise<boolean>;
  /** Sets the state of the connection `connectionName` of `registry`; false when there is none. */
  setConnectionState(registry: string, connectionName: string, status: ConnectionStatus, description: string): Promise<boolean>;

  replications(registry: string): Promise<ReplicationRecord[]>;
  /** Creates or replaces the replication and, when given, replaces its tags, in one transaction. */
  saveReplication(replication: ReplicationRecord, tags?: Record<string, string>): Promise<void>;
  deleteReplication(registry: string, name: string): Promise<boolean>;
  /** ARM tags of the registry's replications (the home one included), by lower-case name. */
  replicationTags(registry: string): Promise<Map<string, Record<string, string>>>;
  /** Replaces the tags of a replication (names compared ignoring case). */
  saveReplicationTags(registry: string, name: string, tags: Record<string, string>): Promise<void>;

  /** Undefined when the subscription never registered or unregistered the namespace. */
  providerState(subscriptionId: string, namespace: string): Promise<ProviderState | undefined>;
  setProviderState(subscriptionId: string, namespace: string, state: ProviderState): Promise<void>;

  /** Those of one subscription, or of every subscription when none is named. */
  trustedServices(subscriptionId?: string): Promise<TrustedServiceRecord[]>;
  /** Creates or replaces the service of that name in its subscription (names compared ignoring case). */
  saveTrustedService(service: TrustedServiceRecord): Promise<void>;
  deleteTrustedService(subscriptionId: string, name: string): Promise<boolean>;

  /** Deletes a registry's settings, replications; its private endpoints become Disconnected. */
  forgetRegistry(registry: string): Promise<void>;
}

/**
 * savePrivateEndpoint refused the endpoint: another endpoint already listens on the address and
 * port, or the registry already has a connection of that name.
 */
export class PrivateEndpointConflictError extends Error {
  constructor(
    readonly field: 'address' | 'connectionName',
    /** The id of the endpoint already holding it. */
    readonly holder: string,
    message: string,
  ) {
    super(message);
    this.name = 'PrivateEndpointConflictError';
  }
}

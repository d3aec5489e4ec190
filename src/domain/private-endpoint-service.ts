/**
 * Private endpoints as a domain service: the subnet an endpoint joins, the registry it connects
 * to (Premium, within its quota of connections), its listener address (the first free host
 * address from .4 up, as Azure reserves .0–.3, or the one asked for) inside the ranges this
 * server may bind (config `network.privateEndpointRanges`, never the public listener's address),
 * auto-approval, and that an endpoint never moves. Each change publishes a `network` event and
 * reconciles the listeners. The ARM handlers (management/network/private-endpoints.ts) address
 * and authorize the endpoint, parse the body, call this, and render.
 */
import { randomBytes } from 'node:crypto';
import { registryResourceId } from '../access/roles.js';
import { clientIpv4, formatIpv4, parseAddressPrefix, parseCidr, parseIpv4, rangeIncludes, type Ipv4Range } from '../kernel/ipv4.js';
import { PrivateEndpointConflictError, type NetworkIndex, type PrivateEndpointRecord, type SubnetRecord } from '../storage/metadata/network-records.js';
import type { RegistryIndex, RegistryRecord } from '../storage/metadata/store.js';
import { armErrors, armText, armReason } from '../kernel/arm-errors.js';
import type { LocalizedText } from '../i18n/localized.js';
import { REGISTRY_TYPE, registryIsAt } from './arm-resources.js';
import { SKU_LIMITS } from './sku-limits.js';
import { NETWORK_NAME, VNET_TYPE, parseRegistryId, resourceId, type SubnetAddress } from './network-ids.js';
import { activeConnections } from './network-state.js';
import type { ChangeEvents } from './change-events.js';

/** What the listeners of this server need to know about endpoints. */
interface EndpointServerSettings {
  /** config `network.privateEndpointRanges`. */
  privateEndpointRanges: string[];
  /** The public listener's host and port (an endpoint listens on the same port). */
  host: string;
  port: number;
}

interface PrivateEndpointServiceDeps {
  network: Pick<NetworkIndex, 'subnet' | 'privateEndpoint' | 'privateEndpoints' | 'savePrivateEndpoint' | 'deletePrivateEndpoint'>;
  registries: Pick<RegistryIndex, 'get'>;
  server: EndpointServerSettings;
  events: ChangeEvents;
  listeners: { reconcile(): Promise<void> };
}

/** Where the endpoint is (its ARM id as stored, placement and name), from the request path. */
interface EndpointPlace {
  key: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

export interface EndpointRequest {
  location: string;
  /** The subnet id as sent, and parsed. */
  subnetIdText: string;
  subnet: SubnetAddress;
  connection: { manual: boolean; registryId: string; requestMessage: string };
  /** ipConfigurations[0].properties.privateIPAddress, when given. */
  wantedAddress?: string;
}

/** The caller's rights the service asks about. */
export interface EndpointCaller {
  /** Refuses (ARM 403) unless the caller may join a subnet of the network. */
  requireJoin(vnetId: string): Promise<void>;
  /** Whether the caller may write the registry (then the connection is approved at once). */
  mayWriteRegistry(registryId: string): Promise<boolean>;
}

/** ARM's action for placing something in a subnet (Azure checks it on the subnet's network). */
export const JOIN_SUBNET_ACTION = `${VNET_TYPE}/subnets/join/action`;

export class PrivateEndpointService {
  constructor(private readonly deps: PrivateEndpointServiceDeps) {}

  /** Creates the endpoint or updates what may change of it (location, request message). */
  async put(
    place: EndpointPlace,
    read: () => Promise<EndpointRequest>,
    caller: EndpointCaller,
  ): Promise<{ endpoint: PrivateEndpointRecord; created: boolean }> {
    const { network } = this.deps;
    if (!NETWORK_NAME.test(place.name)) throw armErrors.invalidResourceName(armReason('kindPrivateEndpoint'), place.name, armReason('ruleNetworkName'));
    const request = await read();
    const { connection, wantedAddress } = request;
    // Joining a subnet needs write on its network.
    await caller.requireJoin(resourceId(request.subnet.subscriptionId, request.subnet.resourceGroup, VNET_TYPE, request.subnet.vnet));
    const subnet = await network.subnet(request.subnet.subnetId);
    if (!subnet) throw armErrors.networkBadRequest('InvalidResourceReference', armText('subnetNotFound', { id: request.subnetIdText }), 'properties.subnet.id');
    const registry = await this.targetRegistry(connection.registryId);
    if (registry.sku !== 'Premium') {
      throw armErrors.premiumRequired(armText('premiumPrivateEndpoints'), 'properties.privateLinkServiceConnections');
    }

    const existing = await network.privateEndpoint(place.key);
    if (existing) {
      // Azure does not move an endpoint: its subnet and target are fixed once created.
      if (existing.subnetId !== subnet.id || existing.registry !== registry.name || existing.manual !== connection.manual) {
        throw armErrors.networkBadRequest('CannotChangePrivateEndpoint', armReason('endpointFixed', { name: existing.name }));
      }
      if (wantedAddress !== undefined && wantedAddress !== existing.address) {
        throw armErrors.networkBadRequest('CannotChangePrivateEndpoint', armReason('endpointKeepsAddress', { name: existing.name, address: existing.address }));
      }
      const updated: PrivateEndpointRecord = { ...existing, location: request.location, requestMessage: connection.requestMessage };
      await this.saveOrConflict(updated);
      await this.changed(registry.name);
      return { endpoint: updated, created: false };
    }

    const connections = activeConnections(await network.privateEndpoints({ registry: registry.name }));
    const limit = SKU_LIMITS[registry.sku].privateEndpointConnections;
    if (connections.length >= limit) throw armErrors.quotaExceeded(armReason('quotaPrivateEndpointConnections'), limit, registry.sku);
    const policy = addressPolicy(this.deps.server);
    const takenNow = async () => new Set((await network.privateEndpoints({})).map((e) => e.address));
    const address = allocateAddress(subnet, await takenNow(), wantedAddress, policy, this.deps.server);
    const approved = !connection.manual && (await caller.mayWriteRegistry(registryResourceId(registry)));
    const endpoint: PrivateEndpointRecord = {
      id: place.key,
      subscriptionId: place.subscriptionId,
      resourceGroup: place.resourceGroup,
      name: place.name,
      location: request.location,
      subnetId: subnet.id,
      address,
      port: this.deps.server.port,
      registry: registry.name,
      connectionName: `${place.name}.${randomBytes(4).toString('hex')}`,
      manual: connection.manual,
      requestMessage: connection.requestMessage,
      status: approved ? 'Approved' : 'Pending',
      statusDescription: approved ? 'Auto-Approved' : connection.requestMessage || 'Awaiting approval by the registry owner',
      createdAt: new Date().toISOString(),
    };
    try {
      await network.savePrivateEndpoint(endpoint);
    } catch (error) {
      // Another request took the chosen address meanwhile: choose again once, from what is taken now.
      if (!(error instanceof PrivateEndpointConflictError)) throw error;
      if (error.field !== 'address' || wantedAddress !== undefined) throw conflictError(error, endpoint);
      endpoint.address = allocateAddress(subnet, await takenNow(), undefined, policy, this.deps.server);
      await this.saveOrConflict(endpoint);
    }
    await this.changed(registry.name);
    return { endpoint, created: true };
  }

  /** Deletes the endpoint; false when there is none. */
  async delete(key: string): Promise<boolean> {
    const endpoint = await this.deps.network.privateEndpoint(key);
    if (!endpoint) return false;
    await this.deps.network.deletePrivateEndpoint(endpoint.id);
    await this.changed(endpoint.registry);
    return true;
  }

  /** After a change to endpoints: caches hear of it (the gate forgets), listeners open or close. */
  async changed(registry?: string): Promise<void> {
    this.deps.events.publish(registry === undefined ? { kind: 'network' } : { kind: 'network', registry });
    await this.deps.listeners.reconcile();
  }

  private async targetRegistry(registryId: string): Promise<RegistryRecord> {
    const target = parseRegistryId(registryId);
    const path = 'properties.privateLinkServiceConnections[0].properties.privateLinkServiceId';
    if (!target) throw armErrors.invalidParameter(path, armReason('notRegistryId', { id: registryId, type: REGISTRY_TYPE }));
    const registry = await this.deps.registries.get(target.name);
    if (!registry || !registryIsAt(registry, target.subscriptionId, target.resourceGroup)) {
      throw armErrors.networkBadRequest('PrivateLinkServiceNotFound', armText('privateLinkServiceNotFound', { id: registryId }), path);
    }
    return registry;
  }

  /** Saves the endpoint; a store conflict becomes a 409 (other errors pass). */
  private async saveOrConflict(endpoint: PrivateEndpointRecord): Promise<void> {
    try {
      await this.deps.network.savePrivateEndpoint(endpoint);
    } catch (error) {
      if (error instanceof PrivateEndpointConflictError) throw conflictError(error, endpoint);
      throw error;
    }
  }
}

const ADDRESS_FIELD = 'properties.ipConfigurations[0].properties.privateIPAddress';

/** Where endpoints may listen: config `network.privateEndpointRanges`, minus the public listener's addresses. */
interface AddressPolicy {
  ranges: Ipv4Range[];
  /** The main listener's address (when it is one IPv4 address) and 127.0.0.1, the default public address. */
  reserved: Set<number>;
}

function addressPolicy(server: EndpointServerSettings): AddressPolicy {
  const ranges = server.privateEndpointRanges.map((r) => parseCidr(r)).flatMap((r) => (r.ok ? [r.range] : []));
  const reserved = new Set<number>([parseIpv4('127.0.0.1')!]);
  // A wildcard (0.0.0.0, ::) or a host name is no single address; 127.0.0.1 stays reserved either way.
  const host = clientIpv4(server.host);
  if (host !== undefined && host !== 0) reserved.add(host);
  return { ranges, reserved };
}

/** Why an endpoint may not listen on `address`, or undefined when it may. */
function refusedAddress(policy: AddressPolicy, address: number, server: EndpointServerSettings): LocalizedText | undefined {
  const text = formatIpv4(address);
  if (policy.reserved.has(address)) {
    return armReason('addressIsListener', { address: text, host: server.host });
  }
  if (!policy.ranges.some((r) => rangeIncludes(r, address))) {
    const ranges = server.privateEndpointRanges;
    return armReason('addressOutsideRanges', { address: text, ranges: ranges.length ? ranges.join(', ') : armReason('rangesNone') });
  }
  return undefined;
}

/**
 * The endpoint's address: the given one (inside the subnet and the allowed ranges, free) or the
 * first free allowed address from .4 up.
 */
function allocateAddress(subnet: SubnetRecord, taken: Set<string>, wanted: string | undefined, policy: AddressPolicy, server: EndpointServerSettings): string {
  const ranges = subnet.addressPrefixes.map((p) => parseAddressPrefix(p)).flatMap((r) => (r.ok ? [r.range] : []));
  if (wanted !== undefined) {
    const address = parseIpv4(wanted);
    if (address === undefined) {
      throw armErrors.invalidParameter('properties.ipConfigurations[0].properties.privateIPAddress', armReason('notIpv4Address', { value: wanted }));
    }
    const range = ranges.find((r) => rangeIncludes(r, address));
    if (!range) {
      throw armErrors.networkBadRequest(
        'PrivateIPAddressNotInSubnet',
        armText('ipNotInSubnet', { address: wanted, subnet: subnet.name, prefixes: subnet.addressPrefixes.join(', ') }),
        'properties.ipConfigurations[0].properties.privateIPAddress',
      );
    }
    // Before Azure's reservations: 127.0.0.1 is always a subnet's .1, and the listener is the clearer reason.
    const refused = refusedAddress(policy, address, server);
    if (refused !== undefined) throw armErrors.networkBadRequest('PrivateIPAddressNotAllowed', refused, ADDRESS_FIELD);
    if (address - range.start < 4 || (range.prefix < 31 && address === range.end)) {
      throw armErrors.networkBadRequest(
        'PrivateIPAddressIsReserved',
        armText('ipReserved', { address: wanted, subnet: subnet.name }),
        'properties.ipConfigurations[0].properties.privateIPAddress',
      );
    }
    if (taken.has(formatIpv4(address))) {
      throw armErrors.networkBadRequest('PrivateIPAddressInUse', armText('ipInUse', { address: wanted }));
    }
    return formatIpv4(address);
  }
  let allowedAnywhere = false;
  for (const range of ranges) {
    const first = range.start + 4;
    const last = range.prefix < 31 ? range.end - 1 : range.end;
    // Walk only the parts of the subnet inside the allowed ranges (a /8 subnet is 16 million
    // addresses), leaving out an allowed range's own network and broadcast addresses.
    const parts = policy.ranges
      .map((allowed) => {
        const edge = allowed.prefix < 31 ? 1 : 0;
        return { from: Math.max(first, allowed.start + edge), to: Math.min(last, allowed.end - edge) };
      })
      .filter((part) => part.from <= part.to)
      .sort((a, b) => a.from - b.from);
    for (const part of parts) {
      allowedAnywhere = true;
      for (let address = part.from; address <= part.to; address++) {
        if (!policy.reserved.has(address) && !taken.has(formatIpv4(address))) return formatIpv4(address);
      }
    }
  }
  if (!allowedAnywhere) {
    const why = refusedAddress(policy, ranges[0] ? ranges[0].start + 4 : 0, server) ?? '';
    throw armErrors.networkBadRequest(
      'PrivateIPAddressNotAllowed',
      armReason('subnetNoUsableAddress', { subnet: subnet.name, prefixes: subnet.addressPrefixes.join(', '), why }),
      'properties.subnet.id',
    );
  }
  throw armErrors.networkBadRequest('SubnetIsFull', armText('subnetIsFull', { subnet: subnet.name, prefixes: subnet.addressPrefixes.join(', ') }));
}

/** savePrivateEndpoint's refusal as ARM's 409 Conflict. */
function conflictError(error: PrivateEndpointConflictError, endpoint: PrivateEndpointRecord) {
  const holder = error.holder.split('/').pop() ?? error.holder;
  return error.field === 'address'
    ? armErrors.conflict(
        'PrivateIPAddressInUse',
        armReason('addressTakenMeanwhile', { address: endpoint.address, port: endpoint.port, holder, holderId: error.holder }),
      )
    : armErrors.conflict(
        'PrivateEndpointConnectionNameInUse',
        armReason('connectionNameTaken', { registry: endpoint.registry, connection: endpoint.connectionName, holder }),
      );
}

/**
 * Microsoft.Network/privateEndpoints: a private endpoint joins a subnet, gets a listener
 * address from it (the first free host address from .4 up, as Azure reserves .0–.3, skipping
 * addresses other endpoints hold; or the one given in ipConfigurations) and the server's own
 * port, and carries one connection to a registry. Wharf binds that address on this host, so it
 * must lie in config `network.privateEndpointRanges` and must not be the public listener's
 * address (an endpoint there would take over the registry's public traffic). The connection is Approved at once when the
 * caller used privateLinkServiceConnections and may write the registry (ACR's auto-approval),
 * Pending otherwise. After a change the listeners are reconciled, and a bind failure shows as
 * provisioningState Failed with its cause.
 */
import { randomBytes } from 'node:crypto';
import { registryResourceId } from '../../access/roles.js';
import { clientIpv4, formatIpv4, parseAddressPrefix, parseCidr, parseIpv4, rangeIncludes, type Ipv4Range } from '../../network/ipv4.js';
import type { WharfServices } from '../../server/services.js';
import { PrivateEndpointConflictError, type PrivateEndpointRecord, type SubnetRecord } from '../../storage/metadata/network-records.js';
import type { RegistryRecord } from '../../storage/metadata/store.js';
import { armErrors, armText } from '../arm-errors.js';
import { collection, created, ok, type ManagementContext, type ManagementResult } from '../context.js';
import { isObject, optionalArray, optionalObject, optionalString, optionalStringArray, propertiesOf, requiredString, type JsonObject } from '../json-body.js';
import type { RouteSpec } from '../route-table.js';
import { REGISTRY_TYPE, registryIsAt, requireResourceGroup, requireSubscription } from '../resources/lookup.js';
import { normalizeLocation } from '../resources/registries.js';
import { registryDnsNameOf } from '../resources/registry-view.js';
import { SKU_LIMITS } from '../resources/sku-limits.js';
import {
  NETWORK_NAME,
  NETWORK_NAME_RULE,
  PES_IN_GROUP,
  PES_IN_SUBSCRIPTION,
  PE_PATH,
  PRIVATE_ENDPOINT_TYPE,
  VNET_TYPE,
  parseRegistryId,
  parseSubnetId,
  resourceId,
  storeKey,
} from './network-ids.js';
import { activeConnections, privateEndpointJson, type ListenerProblem } from './network-views.js';

const actions = {
  read: `${PRIVATE_ENDPOINT_TYPE}/read`,
  write: `${PRIVATE_ENDPOINT_TYPE}/write`,
  delete: `${PRIVATE_ENDPOINT_TYPE}/delete`,
  joinSubnet: `${VNET_TYPE}/subnets/join/action`,
};

/** A bind failure of the endpoint's listener on this node, shown as provisioningState Failed. */
export function listenerProblem(services: WharfServices, id: string): ListenerProblem | undefined {
  const status = services.network.listeners.status(id);
  return !status.listening && status.error ? { error: status.error } : undefined;
}

/** After a change to endpoints: caches hear of it (the gate forgets), listeners open or close. */
export async function afterEndpointChange(services: WharfServices, registry?: string): Promise<void> {
  services.events.publish(registry === undefined ? { kind: 'network' } : { kind: 'network', registry });
  await services.network.listeners.reconcile();
}

export async function privateEndpointView(services: WharfServices, endpoint: PrivateEndpointRecord): Promise<Record<string, unknown>> {
  const registry = await services.store.registries.get(endpoint.registry);
  const replications = registry ? await services.store.network.replications(registry.name) : [];
  const subnetAddress = parseSubnetId(endpoint.subnetId);
  const vnet = subnetAddress ? await services.store.network.virtualNetwork(subnetAddress.vnetId) : undefined;
  const subnet = await services.store.network.subnet(endpoint.subnetId);
  return privateEndpointJson(
    endpoint,
    { vnet, name: subnet?.name ?? subnetAddress?.subnet ?? '' },
    {
      registry,
      replications,
      loginServer: registry ? registryDnsNameOf(registry, services.config.domain) : undefined,
      domain: services.config.domain,
      problem: listenerProblem(services, endpoint.id),
    },
  );
}

interface RequestedConnection {
  manual: boolean;
  registryId: string;
  requestMessage: string;
}

function connectionOf(properties: JsonObject): RequestedConnection {
  const auto = optionalArray(properties, 'privateLinkServiceConnections', 'properties.privateLinkServiceConnections') ?? [];
  const manual = optionalArray(properties, 'manualPrivateLinkServiceConnections', 'properties.manualPrivateLinkServiceConnections') ?? [];
  if (auto.length + manual.length !== 1) {
    throw armErrors.invalidParameter(
      'properties.privateLinkServiceConnections',
      `A private endpoint needs exactly one connection (in privateLinkServiceConnections or manualPrivateLinkServiceConnections); ${auto.length + manual.length} were given.`,
    );
  }
  const isManual = manual.length === 1;
  const path = isManual ? 'properties.manualPrivateLinkServiceConnections[0]' : 'properties.privateLinkServiceConnections[0]';
  const entry = (isManual ? manual[0] : auto[0]) as unknown;
  if (!isObject(entry)) throw armErrors.invalidRequestContent(`'${path}' must be an object`, path);
  const connection = propertiesOf(entry);
  const registryId = requiredString(connection, 'privateLinkServiceId', `${path}.properties.privateLinkServiceId`);
  const groupIds = optionalStringArray(connection, 'groupIds', `${path}.properties.groupIds`) ?? ['registry'];
  if (groupIds.length !== 1 || groupIds[0]!.toLowerCase() !== 'registry') {
    throw armErrors.invalidParameter(`${path}.properties.groupIds`, `A registry's private link has one group id, 'registry'; got ${JSON.stringify(groupIds)}.`);
  }
  return { manual: isManual, registryId, requestMessage: optionalString(connection, 'requestMessage', `${path}.properties.requestMessage`) ?? '' };
}

function explicitAddress(properties: JsonObject): string | undefined {
  const configs = optionalArray(properties, 'ipConfigurations', 'properties.ipConfigurations') ?? [];
  const first = configs[0];
  if (first === undefined) return undefined;
  if (!isObject(first)) throw armErrors.invalidRequestContent("'properties.ipConfigurations[0]' must be an object", 'properties.ipConfigurations[0]');
  return optionalString(propertiesOf(first), 'privateIPAddress', 'properties.ipConfigurations[0].properties.privateIPAddress')?.trim();
}

const ADDRESS_FIELD = 'properties.ipConfigurations[0].properties.privateIPAddress';

/** Where endpoints may listen: config `network.privateEndpointRanges`, minus the public listener's addresses. */
interface AddressPolicy {
  ranges: Ipv4Range[];
  /** The main listener's address (when it is one IPv4 address) and 127.0.0.1, the default public address. */
  reserved: Set<number>;
}

function addressPolicy(services: WharfServices): AddressPolicy {
  const ranges = services.config.network.privateEndpointRanges.map((r) => parseCidr(r)).flatMap((r) => (r.ok ? [r.range] : []));
  const reserved = new Set<number>([parseIpv4('127.0.0.1')!]);
  // A wildcard (0.0.0.0, ::) or a host name is no single address; 127.0.0.1 stays reserved either way.
  const host = clientIpv4(services.config.host);
  if (host !== undefined && host !== 0) reserved.add(host);
  return { ranges, reserved };
}

/** Why an endpoint may not listen on `address`, or undefined when it may. */
function refusedAddress(policy: AddressPolicy, address: number, services: WharfServices): string | undefined {
  const text = formatIpv4(address);
  if (policy.reserved.has(address)) {
    return `Private IP address ${text} is the address of Wharf's public listener (host '${services.config.host}', or 127.0.0.1): a private endpoint there would take over the registry's public traffic. Choose another address.`;
  }
  if (!policy.ranges.some((r) => rangeIncludes(r, address))) {
    const ranges = services.config.network.privateEndpointRanges;
    return `Private IP address ${text} is outside the ranges private endpoints may use on this server (config network.privateEndpointRanges: ${ranges.length ? ranges.join(', ') : 'none'}; environment WHARF_PRIVATE_ENDPOINT_RANGES). Use a subnet inside them, or have the operator add the range.`;
  }
  return undefined;
}

/**
 * The endpoint's address: the given one (inside the subnet and the allowed ranges, free) or the
 * first free allowed address from .4 up.
 */
function allocateAddress(subnet: SubnetRecord, taken: Set<string>, wanted: string | undefined, policy: AddressPolicy, services: WharfServices): string {
  const ranges = subnet.addressPrefixes.map((p) => parseAddressPrefix(p)).flatMap((r) => (r.ok ? [r.range] : []));
  if (wanted !== undefined) {
    const address = parseIpv4(wanted);
    if (address === undefined) {
      throw armErrors.invalidParameter('properties.ipConfigurations[0].properties.privateIPAddress', `'${wanted}' is not an IPv4 address.`);
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
    const refused = refusedAddress(policy, address, services);
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
    const why = refusedAddress(policy, ranges[0] ? ranges[0].start + 4 : 0, services) ?? '';
    throw armErrors.networkBadRequest(
      'PrivateIPAddressNotAllowed',
      `Subnet '${subnet.name}' (${subnet.addressPrefixes.join(', ')}) has no address a private endpoint may use on this server: ${why}`,
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
        `Private IP address ${endpoint.address}:${endpoint.port} is in use by private endpoint '${holder}' (${error.holder}); it was taken while this request was being handled. Retry, or choose another address.`,
      )
    : armErrors.conflict(
        'PrivateEndpointConnectionNameInUse',
        `Registry '${endpoint.registry}' already has a private endpoint connection named '${endpoint.connectionName}' (private endpoint '${holder}'). Retry the request.`,
      );
}

/** Saves the endpoint; a store conflict becomes a 409 (other errors pass). */
async function saveOrConflict(services: WharfServices, endpoint: PrivateEndpointRecord): Promise<void> {
  try {
    await services.store.network.savePrivateEndpoint(endpoint);
  } catch (error) {
    if (error instanceof PrivateEndpointConflictError) throw conflictError(error, endpoint);
    throw error;
  }
}

async function targetRegistry(context: ManagementContext, registryId: string): Promise<RegistryRecord> {
  const target = parseRegistryId(registryId);
  const path = 'properties.privateLinkServiceConnections[0].properties.privateLinkServiceId';
  if (!target) throw armErrors.invalidParameter(path, `'${registryId}' is not a registry id (…/providers/${REGISTRY_TYPE}/<name>).`);
  const registry = await context.services.store.registries.get(target.name);
  if (!registry || !registryIsAt(registry, target.subscriptionId, target.resourceGroup)) {
    throw armErrors.networkBadRequest('PrivateLinkServiceNotFound', armText('privateLinkServiceNotFound', { id: registryId }), path);
  }
  return registry;
}

async function addressed(context: ManagementContext, permission: 'read' | 'write', action: string) {
  const { resourceGroupName, privateEndpointName } = context.params as Record<string, string>;
  const subscription = await requireSubscription(context, context.params.subscriptionId!);
  const id = resourceId(subscription.id, resourceGroupName!, PRIVATE_ENDPOINT_TYPE, privateEndpointName!);
  await context.access.require(id, permission, action);
  const group = await requireResourceGroup(context, subscription.id, resourceGroupName!);
  return { subscription, group, id, key: storeKey(id), name: privateEndpointName! };
}

async function listEndpoints(context: ManagementContext, resourceGroup?: string): Promise<ManagementResult> {
  const { services } = context;
  const subscription = await requireSubscription(context, context.params.subscriptionId!);
  const group = resourceGroup === undefined ? undefined : await requireResourceGroup(context, subscription.id, resourceGroup);
  const endpoints = await services.store.network.privateEndpoints({ subscriptionId: subscription.id, ...(group ? { resourceGroup: group.name } : {}) });
  const shown: unknown[] = [];
  for (const endpoint of endpoints) {
    if (await context.access.allows(resourceId(endpoint.subscriptionId, endpoint.resourceGroup, PRIVATE_ENDPOINT_TYPE, endpoint.name), 'read')) {
      shown.push(await privateEndpointView(services, endpoint));
    }
  }
  return collection(shown);
}

async function getEndpoint(context: ManagementContext): Promise<ManagementResult> {
  const where = await addressed(context, 'read', actions.read);
  const endpoint = await context.services.store.network.privateEndpoint(where.key);
  if (!endpoint) throw armErrors.resourceNotFound(PRIVATE_ENDPOINT_TYPE, where.name, where.group.name);
  return ok(await privateEndpointView(context.services, endpoint));
}

async function putEndpoint(context: ManagementContext): Promise<ManagementResult> {
  const { services } = context;
  const { store } = services;
  const where = await addressed(context, 'write', actions.write);
  if (!NETWORK_NAME.test(where.name)) throw armErrors.invalidResourceName('private endpoint', where.name, NETWORK_NAME_RULE);
  const body = await context.body();
  const properties = propertiesOf(body);
  const location = normalizeLocation(requiredString(body, 'location', 'location'));
  const subnetRef = optionalObject(properties, 'subnet', 'properties.subnet');
  const subnetIdText = subnetRef ? requiredString(subnetRef, 'id', 'properties.subnet.id') : undefined;
  if (!subnetIdText) throw armErrors.invalidRequestContent("'properties.subnet.id' is required", 'properties.subnet.id');
  const subnetAddress = parseSubnetId(subnetIdText);
  if (!subnetAddress) throw armErrors.invalidParameter('properties.subnet.id', `'${subnetIdText}' is not a subnet id.`);
  const connection = connectionOf(properties);
  const wantedAddress = explicitAddress(properties);

  // Joining a subnet needs write on its network.
  await context.access.require(resourceId(subnetAddress.subscriptionId, subnetAddress.resourceGroup, VNET_TYPE, subnetAddress.vnet), 'write', actions.joinSubnet);
  const subnet = await store.network.subnet(subnetAddress.subnetId);
  if (!subnet) throw armErrors.networkBadRequest('InvalidResourceReference', armText('subnetNotFound', { id: subnetIdText }), 'properties.subnet.id');
  const registry = await targetRegistry(context, connection.registryId);
  if (registry.sku !== 'Premium') {
    throw armErrors.premiumRequired(armText('premiumPrivateEndpoints'), 'properties.privateLinkServiceConnections');
  }

  const existing = await store.network.privateEndpoint(where.key);
  if (existing) {
    // Azure does not move an endpoint: its subnet and target are fixed once created.
    if (existing.subnetId !== subnet.id || existing.registry !== registry.name || existing.manual !== connection.manual) {
      throw armErrors.networkBadRequest(
        'CannotChangePrivateEndpoint',
        `Private endpoint '${existing.name}' can't change its subnet, its registry or its kind of connection; delete it and create a new one.`,
      );
    }
    if (wantedAddress !== undefined && wantedAddress !== existing.address) {
      throw armErrors.networkBadRequest('CannotChangePrivateEndpoint', `Private endpoint '${existing.name}' keeps its address ${existing.address}; delete it and create a new one to change it.`);
    }
    const updated: PrivateEndpointRecord = { ...existing, location, requestMessage: connection.requestMessage };
    await saveOrConflict(services, updated);
    await afterEndpointChange(services, registry.name);
    return ok(await privateEndpointView(services, updated));
  }

  const connections = activeConnections(await store.network.privateEndpoints({ registry: registry.name }));
  const limit = SKU_LIMITS[registry.sku].privateEndpointConnections;
  if (connections.length >= limit) throw armErrors.quotaExceeded('private endpoint connections', limit, registry.sku);
  const policy = addressPolicy(services);
  const takenNow = async () => new Set((await store.network.privateEndpoints({})).map((e) => e.address));
  const address = allocateAddress(subnet, await takenNow(), wantedAddress, policy, services);
  const approved = !connection.manual && (await context.access.allows(registryResourceId(registry), 'write'));
  const endpoint: PrivateEndpointRecord = {
    id: where.key,
    subscriptionId: where.subscription.id,
    resourceGroup: where.group.name,
    name: where.name,
    location,
    subnetId: subnet.id,
    address,
    port: services.config.port,
    registry: registry.name,
    connectionName: `${where.name}.${randomBytes(4).toString('hex')}`,
    manual: connection.manual,
    requestMessage: connection.requestMessage,
    status: approved ? 'Approved' : 'Pending',
    statusDescription: approved ? 'Auto-Approved' : connection.requestMessage || 'Awaiting approval by the registry owner',
    createdAt: new Date().toISOString(),
  };
  try {
    await store.network.savePrivateEndpoint(endpoint);
  } catch (error) {
    // Another request took the chosen address meanwhile: choose again once, from what is taken now.
    if (!(error instanceof PrivateEndpointConflictError)) throw error;
    if (error.field !== 'address' || wantedAddress !== undefined) throw conflictError(error, endpoint);
    endpoint.address = allocateAddress(subnet, await takenNow(), undefined, policy, services);
    await saveOrConflict(services, endpoint);
  }
  await afterEndpointChange(services, registry.name);
  return created(await privateEndpointView(services, endpoint));
}

async function deleteEndpoint(context: ManagementContext): Promise<ManagementResult> {
  const { services } = context;
  const where = await addressed(context, 'write', actions.delete);
  const endpoint = await services.store.network.privateEndpoint(where.key);
  if (!endpoint) return { status: 204 };
  await services.store.network.deletePrivateEndpoint(endpoint.id);
  await afterEndpointChange(services, endpoint.registry);
  return { status: 200 };
}

export const privateEndpointRoutes: RouteSpec[] = [
  { id: 'privateEndpoints.listBySubscription', template: PES_IN_SUBSCRIPTION, methods: { GET: (c) => listEndpoints(c) } },
  { id: 'privateEndpoints.listByResourceGroup', template: PES_IN_GROUP, methods: { GET: (c) => listEndpoints(c, c.params.resourceGroupName!) } },
  { id: 'privateEndpoints.privateEndpoint', template: PE_PATH, methods: { GET: getEndpoint, PUT: putEndpoint, DELETE: deleteEndpoint } },
];

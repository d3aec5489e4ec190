/**
 * Microsoft.Network/virtualNetworks and their subnets: address spaces, subnet prefixes inside
 * them (no two subnets overlapping), and service endpoints (a subnet with
 * Microsoft.ContainerRegistry is what a registry's VNet rule admits). A subnet holding private
 * endpoints can't be removed, nor its network. Writes need write on the network's scope.
 * A subnet's prefixes are the identity of its traffic to a registry's VNet rule: while any
 * registry's rules name a subnet, it can't be deleted, and changing its prefixes needs write
 * on each such registry too (write on the network alone must not open a registry).
 */
import { registryResourceId } from '../../access/roles.js';
import type { LocalizedText } from '../../i18n/localized.js';
import { parseAddressPrefix, rangeContains, rangesOverlap, type Ipv4Range, type ParseProblem } from '../../kernel/ipv4.js';
import type { SubnetRecord, VirtualNetworkRecord } from '../../storage/metadata/network-records.js';
import type { RegistryRecord } from '../../storage/metadata/store.js';
import { armErrors, armReason } from '../../kernel/arm-errors.js';
import { addressedGroup, addressedScope, collection, created, ok, type ManagementContext, type ManagementResult } from '../context.js';
import {
  isObject,
  optionalArray,
  optionalObject,
  optionalString,
  optionalStringArray,
  optionalTags,
  propertiesOf,
  requiredString,
  type JsonObject,
} from '../../kernel/json-body.js';
import { listFilteredByVisibility, onResource, type RouteSpec } from '../route-table.js';
import { registryActions } from '../resources/lookup.js';
import { normalizeLocation } from '../resources/registries.js';
import {
  NETWORK_NAME,
  SUBNET_PATH,
  VNETS_IN_GROUP,
  VNETS_IN_SUBSCRIPTION,
  VNET_PATH,
  VNET_TYPE,
  displaySubnetId,
  resourceId,
  storeKey,
} from '../../domain/network-ids.js';
import { subnetJson, vnetJson } from './network-views.js';
import { providerState } from './providers.js';

const actions = {
  read: `${VNET_TYPE}/read`,
  write: `${VNET_TYPE}/write`,
  delete: `${VNET_TYPE}/delete`,
  subnetRead: `${VNET_TYPE}/subnets/read`,
  subnetWrite: `${VNET_TYPE}/subnets/write`,
  subnetDelete: `${VNET_TYPE}/subnets/delete`,
};

const invalid = armErrors.networkBadRequest;

/** An address prefix's parse failure as a message in every language. */
function prefixProblem(problem: ParseProblem | undefined): LocalizedText {
  switch (problem?.kind) {
    case 'empty':
      return armReason('prefixEmpty');
    case 'ipv6':
      return armReason('prefixIpv6', { value: problem.value });
    case 'prefix':
      return armReason('prefixLength', { value: problem.value, prefix: problem.prefix });
    case 'notCidr':
      return armReason('prefixNotCidr', { value: problem.value });
    default:
      return armReason('prefixInvalid', { value: problem?.value ?? '' });
  }
}

function prefixesOf(values: string[], path: string): Ipv4Range[] {
  return values.map((value, index) => {
    const parsed = parseAddressPrefix(value);
    if (!parsed.ok) throw invalid('InvalidAddressPrefixFormat', prefixProblem(parsed.problem), `${path}[${index}]`);
    return parsed.range;
  });
}

/** A subnet's prefixes from `addressPrefix` or `addressPrefixes`. */
function subnetPrefixes(properties: JsonObject, path: string): string[] {
  const one = optionalString(properties, 'addressPrefix', `${path}.addressPrefix`);
  const many = optionalStringArray(properties, 'addressPrefixes', `${path}.addressPrefixes`);
  const values = [...(one ? [one] : []), ...(many ?? [])].map((v) => v.trim());
  if (values.length === 0) throw armErrors.invalidRequestContent(armReason('fieldRequired', { path: `${path}.addressPrefix` }), `${path}.addressPrefix`);
  return [...new Set(values)];
}

function serviceEndpointsOf(properties: JsonObject, path: string): string[] {
  const list = optionalArray(properties, 'serviceEndpoints', `${path}.serviceEndpoints`) ?? [];
  const services = list.map((entry, index) => {
    if (!isObject(entry)) throw armErrors.invalidRequestContent(armReason('serviceEndpointNotObject', { path: `${path}.serviceEndpoints[${index}]` }));
    return requiredString(entry, 'service', `${path}.serviceEndpoints[${index}].service`);
  });
  return [...new Set(services)];
}

/** The widest subnet prefix: a /0–/7 "subnet" would make a VNet rule admit a large share of all addresses. */
const WIDEST_SUBNET_PREFIX = 8;

function parseSubnet(vnetId: string, name: string, properties: JsonObject, path: string): SubnetRecord {
  if (!NETWORK_NAME.test(name)) throw armErrors.invalidResourceName(armReason('kindSubnet'), name, armReason('ruleNetworkName'));
  const addressPrefixes = subnetPrefixes(properties, path);
  for (const value of addressPrefixes) {
    const parsed = parseAddressPrefix(value);
    // Malformed prefixes are reported by checkLayout with their own code.
    if (parsed.ok && parsed.range.prefix < WIDEST_SUBNET_PREFIX) {
      throw invalid('InvalidAddressPrefix', armReason('subnetTooWide', { subnet: name, value, widest: WIDEST_SUBNET_PREFIX }), `${path}.addressPrefix`);
    }
  }
  return { id: `${vnetId}/subnets/${name.toLowerCase()}`, vnetId, name, addressPrefixes, serviceEndpoints: serviceEndpointsOf(properties, path) };
}

/** A subnet's prefixes in canonical form, as a sorted set (order and spelling don't matter). */
function canonicalPrefixes(subnet: SubnetRecord): string[] {
  const canonical = subnet.addressPrefixes.map((value) => {
    const parsed = parseAddressPrefix(value);
    return parsed.ok ? parsed.range.normalized : value.trim();
  });
  return [...new Set(canonical)].sort();
}

function samePrefixes(a: SubnetRecord | undefined, b: SubnetRecord): boolean {
  if (!a) return false;
  const x = canonicalPrefixes(a);
  const y = canonicalPrefixes(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** Every subnet prefix inside the address space, and no two subnets overlapping. */
function checkLayout(vnet: VirtualNetworkRecord, subnets: SubnetRecord[]): void {
  const space = prefixesOf(vnet.addressPrefixes, 'properties.addressSpace.addressPrefixes');
  const placed: { subnet: string; range: Ipv4Range }[] = [];
  for (const subnet of subnets) {
    for (const range of prefixesOf(subnet.addressPrefixes, `subnet '${subnet.name}' addressPrefixes`)) {
      if (!space.some((s) => rangeContains(s, range))) {
        throw invalid(
          'NetcfgSubnetRangeOutsideVnet',
          armReason('subnetOutsideVnet', { subnet: subnet.name, range: range.value, vnet: vnet.name, prefixes: vnet.addressPrefixes.join(', ') }),
        );
      }
      const clash = placed.find((p) => p.subnet !== subnet.name && rangesOverlap(p.range, range));
      if (clash) {
        throw invalid(
          'NetcfgInvalidSubnet',
          armReason('subnetOverlap', { subnet: subnet.name, range: range.value, other: clash.subnet, otherRange: clash.range.value, vnet: vnet.name }),
        );
      }
      placed.push({ subnet: subnet.name, range });
    }
  }
}

async function endpointsIn(context: ManagementContext, subnetId: string) {
  return context.services.store.network.privateEndpoints({ subnetId });
}

async function refuseIfInUse(context: ManagementContext, subnet: SubnetRecord, vnetName: string): Promise<void> {
  const endpoints = await endpointsIn(context, subnet.id);
  if (endpoints.length > 0) {
    throw invalid(
      'InUseSubnetCannotBeDeleted',
      armReason('subnetUsedByEndpoints', {
        subnet: subnet.name,
        vnet: vnetName,
        endpoints: endpoints.map((e) => `'${e.name}'`).join(', '),
        count: endpoints.length,
      }),
    );
  }
}

/**
 * The registries whose virtualNetworkRules name each of `subnetIds` (store keys). The store
 * has no reverse index; listing every registry's settings is fine for a management call.
 */
async function registriesUsing(context: ManagementContext, subnetIds: string[]): Promise<Map<string, RegistryRecord[]>> {
  const wanted = new Set(subnetIds.map(storeKey));
  const users = new Map<string, RegistryRecord[]>();
  if (wanted.size === 0) return users;
  const { store } = context.services;
  for (const registry of await store.registries.list()) {
    const settings = await store.network.registrySettings(registry.name);
    for (const id of new Set(settings.virtualNetworkRules.map(storeKey))) {
      if (wanted.has(id)) users.set(id, [...(users.get(id) ?? []), registry]);
    }
  }
  return users;
}

/** Refuses (409) deleting subnets that registries' VNet rules name, whatever the caller's rights. */
async function refuseIfRuled(context: ManagementContext, subnets: SubnetRecord[], vnetName: string): Promise<void> {
  const users = await registriesUsing(
    context,
    subnets.map((s) => s.id),
  );
  for (const subnet of subnets) {
    const registries = users.get(subnet.id);
    if (registries?.length)
      throw armErrors.subnetInUseByRegistries(
        subnet.name,
        vnetName,
        registries.map((r) => r.name),
      );
  }
}

/**
 * New prefixes for subnets (`changed`: created, or their prefixes differ) need the caller's
 * write on every registry whose VNet rules name them: the prefixes are who those registries
 * admit. A subnet created under an id a rule still names counts as a change. All are checked
 * before anything is saved.
 */
async function requireRightsOfRegistriesUsing(context: ManagementContext, changed: SubnetRecord[]): Promise<void> {
  const users = await registriesUsing(
    context,
    changed.map((s) => s.id),
  );
  for (const subnet of changed) {
    for (const registry of users.get(subnet.id) ?? []) {
      const registryId = registryResourceId(registry);
      if (!(await context.access.allows(registryId, 'write'))) {
        throw armErrors.subnetUsedByRegistry(context.caller, registryActions.write, registryId, displaySubnetId(subnet.id), registry.name);
      }
    }
  }
}

/** The vnet's id as the path spells it: what the dispatcher checks the caller's right over (its subnets' too). */
const vnetIdFromParams = (subscriptionId: string, params: Record<string, string>) =>
  resourceId(subscriptionId, params.resourceGroupName!, VNET_TYPE, params.virtualNetworkName!);

/** Path params → the vnet's display id and store key, as the dispatcher found and authorized them. */
function addressed(context: ManagementContext) {
  const { subscription, resourceId: id } = addressedScope(context);
  return { subscription, group: addressedGroup(context), id: id!, key: storeKey(id!), name: context.params.virtualNetworkName! };
}

async function requireVnet(context: ManagementContext) {
  const where = addressed(context);
  const vnet = await context.services.store.network.virtualNetwork(where.key);
  if (!vnet) throw armErrors.resourceNotFound(VNET_TYPE, where.name, where.group.name);
  return { ...where, vnet };
}

async function view(context: ManagementContext, vnet: VirtualNetworkRecord): Promise<Record<string, unknown>> {
  const subnets = await context.services.store.network.subnets(vnet.id);
  const endpoints = (await Promise.all(subnets.map((s) => endpointsIn(context, s.id)))).flat();
  return vnetJson(vnet, subnets, endpoints);
}

async function listVnets(context: ManagementContext): Promise<ManagementResult> {
  const { subscription, group } = addressedScope(context);
  const vnets = await context.services.store.network.virtualNetworks({ subscriptionId: subscription.id, ...(group ? { resourceGroup: group.name } : {}) });
  const shown: unknown[] = [];
  for (const vnet of vnets) {
    if (await context.access.allows(resourceId(vnet.subscriptionId, vnet.resourceGroup, VNET_TYPE, vnet.name), 'read')) shown.push(await view(context, vnet));
  }
  return collection(shown);
}

async function getVnet(context: ManagementContext): Promise<ManagementResult> {
  const { vnet } = await requireVnet(context);
  return ok(await view(context, vnet));
}

async function putVnet(context: ManagementContext): Promise<ManagementResult> {
  const { store } = context.services;
  const where = addressed(context);
  if (!NETWORK_NAME.test(where.name)) throw armErrors.invalidResourceName(armReason('kindVirtualNetwork'), where.name, armReason('ruleNetworkName'));
  if ((await providerState(context.services, where.subscription.id, 'Microsoft.Network')) !== 'Registered') {
    throw armErrors.missingSubscriptionRegistration('Microsoft.Network', where.subscription.id);
  }
  const body = await context.body();
  const properties = propertiesOf(body);
  const location = normalizeLocation(requiredString(body, 'location', 'location'));
  const space = optionalObject(properties, 'addressSpace', 'properties.addressSpace');
  const addressPrefixes = space ? (optionalStringArray(space, 'addressPrefixes', 'properties.addressSpace.addressPrefixes') ?? []) : [];
  if (addressPrefixes.length === 0) {
    throw armErrors.invalidRequestContent(
      armReason('needsPrefix', { path: 'properties.addressSpace.addressPrefixes' }),
      'properties.addressSpace.addressPrefixes',
    );
  }
  const existing = await store.network.virtualNetwork(where.key);
  if (existing && existing.location !== location) throw armErrors.locationMismatch(existing.name, existing.location, location, where.group.name);
  const vnet: VirtualNetworkRecord = {
    id: where.key,
    subscriptionId: where.subscription.id,
    resourceGroup: where.group.name,
    name: existing?.name ?? where.name,
    location,
    addressPrefixes: addressPrefixes.map((p) => p.trim()),
    tags: optionalTags(body, 'tags', 'tags') ?? {},
    createdAt: existing?.createdAt ?? new Date().toISOString(),
  };
  // Inline subnets, when given, replace the network's subnets; when left out, they stay.
  const inline = optionalArray(properties, 'subnets', 'properties.subnets');
  const currentSubnets = existing ? await store.network.subnets(where.key) : [];
  let subnets: SubnetRecord[] | undefined;
  if (inline !== undefined) {
    subnets = inline.map((entry, index) => {
      const path = `properties.subnets[${index}]`;
      if (!isObject(entry)) throw armErrors.invalidRequestContent(armReason('mustBeObject', { path }), path);
      return parseSubnet(where.key, requiredString(entry, 'name', `${path}.name`), propertiesOf(entry), `${path}.properties`);
    });
    const names = new Set<string>();
    for (const subnet of subnets) {
      if (names.has(subnet.id)) throw invalid('InvalidRequestFormat', armReason('subnetGivenTwice', { subnet: subnet.name }), 'properties.subnets');
      names.add(subnet.id);
    }
    const gone = currentSubnets.filter((s) => !names.has(s.id));
    await refuseIfRuled(context, gone, vnet.name);
    for (const subnet of gone) await refuseIfInUse(context, subnet, vnet.name);
  }
  checkLayout(vnet, subnets ?? currentSubnets);
  if (subnets) {
    const before = new Map(currentSubnets.map((s) => [s.id, s]));
    await requireRightsOfRegistriesUsing(
      context,
      subnets.filter((s) => !samePrefixes(before.get(s.id), s)),
    );
  }
  await store.network.saveVirtualNetwork(vnet, subnets);
  context.services.events.publish({ kind: 'network' });
  const shown = await view(context, vnet);
  return existing ? ok(shown) : created(shown);
}

async function deleteVnet(context: ManagementContext): Promise<ManagementResult> {
  const { store } = context.services;
  const where = addressed(context);
  const vnet = await store.network.virtualNetwork(where.key);
  if (!vnet) return { status: 204 };
  const subnets = await store.network.subnets(vnet.id);
  await refuseIfRuled(context, subnets, vnet.name);
  for (const subnet of subnets) await refuseIfInUse(context, subnet, vnet.name);
  await store.network.deleteVirtualNetwork(vnet.id);
  context.services.events.publish({ kind: 'network' });
  return { status: 200 };
}

async function listSubnets(context: ManagementContext): Promise<ManagementResult> {
  const { vnet } = await requireVnet(context);
  const subnets = await context.services.store.network.subnets(vnet.id);
  const endpoints = (await Promise.all(subnets.map((s) => endpointsIn(context, s.id)))).flat();
  return collection(subnets.map((s) => subnetJson(vnet, s, endpoints)));
}

async function requireSubnet(context: ManagementContext) {
  const where = await requireVnet(context);
  const name = context.params.subnetName!;
  const subnet = await context.services.store.network.subnet(`${where.vnet.id}/subnets/${name.toLowerCase()}`);
  return { ...where, subnetName: name, subnet };
}

async function getSubnet(context: ManagementContext): Promise<ManagementResult> {
  const { vnet, subnet, subnetName, group } = await requireSubnet(context);
  if (!subnet) throw armErrors.resourceNotFound(`${VNET_TYPE}/${vnet.name}/subnets`, subnetName, group.name);
  return ok(subnetJson(vnet, subnet, await endpointsIn(context, subnet.id)));
}

async function putSubnet(context: ManagementContext): Promise<ManagementResult> {
  const { store } = context.services;
  const { vnet, subnet: existing, subnetName } = await requireSubnet(context);
  const body = await context.body();
  const subnet = parseSubnet(vnet.id, existing?.name ?? subnetName, propertiesOf(body), 'properties');
  const others = (await store.network.subnets(vnet.id)).filter((s) => s.id !== subnet.id);
  checkLayout(vnet, [...others, subnet]);
  // A private endpoint's address must stay inside its subnet.
  if (existing) {
    const ranges = prefixesOf(subnet.addressPrefixes, 'properties.addressPrefixes');
    for (const endpoint of await endpointsIn(context, subnet.id)) {
      const address = parseAddressPrefix(`${endpoint.address}/32`);
      if (address.ok && !ranges.some((r) => rangeContains(r, address.range))) {
        throw invalid(
          'InUseSubnetCannotBeUpdated',
          armReason('subnetKeepsEndpoint', { subnet: subnet.name, address: endpoint.address, endpoint: endpoint.name }),
        );
      }
    }
  }
  if (!samePrefixes(existing, subnet)) await requireRightsOfRegistriesUsing(context, [subnet]);
  await store.network.saveSubnet(subnet);
  context.services.events.publish({ kind: 'network' });
  const shown = subnetJson(vnet, subnet, await endpointsIn(context, subnet.id));
  return existing ? ok(shown) : created(shown);
}

async function deleteSubnet(context: ManagementContext): Promise<ManagementResult> {
  const { store } = context.services;
  const { vnet, subnet } = await requireSubnet(context);
  if (!subnet) return { status: 204 };
  await refuseIfRuled(context, [subnet], vnet.name);
  await refuseIfInUse(context, subnet, vnet.name);
  await store.network.deleteSubnet(subnet.id);
  context.services.events.publish({ kind: 'network' });
  return { status: 200 };
}

export const virtualNetworkRoutes: RouteSpec[] = [
  { id: 'virtualNetworks.listBySubscription', template: VNETS_IN_SUBSCRIPTION, methods: { GET: { handler: listVnets, needs: listFilteredByVisibility } } },
  { id: 'virtualNetworks.listByResourceGroup', template: VNETS_IN_GROUP, methods: { GET: { handler: listVnets, needs: listFilteredByVisibility } } },
  {
    id: 'virtualNetworks.virtualNetwork',
    template: VNET_PATH,
    methods: {
      GET: { handler: getVnet, needs: onResource('read', actions.read, vnetIdFromParams) },
      PUT: { handler: putVnet, needs: onResource('write', actions.write, vnetIdFromParams) },
      DELETE: { handler: deleteVnet, needs: onResource('write', actions.delete, vnetIdFromParams) },
    },
  },
  {
    id: 'virtualNetworks.subnets',
    template: `${VNET_PATH}/subnets`,
    methods: { GET: { handler: listSubnets, needs: onResource('read', actions.subnetRead, vnetIdFromParams) } },
  },
  {
    id: 'virtualNetworks.subnet',
    template: SUBNET_PATH,
    methods: {
      GET: { handler: getSubnet, needs: onResource('read', actions.subnetRead, vnetIdFromParams) },
      PUT: { handler: putSubnet, needs: onResource('write', actions.subnetWrite, vnetIdFromParams) },
      DELETE: { handler: deleteSubnet, needs: onResource('write', actions.subnetDelete, vnetIdFromParams) },
    },
  },
];

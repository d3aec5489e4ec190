/**
 * Virtual networks and their subnets as a domain service: names, address spaces, subnet
 * prefixes inside them (no two subnets overlapping, none wider than a /8), service endpoints,
 * and the uses that hold a subnet in place. A subnet holding private endpoints can't be removed
 * (nor its network), and one whose prefixes would leave an endpoint's address outside can't
 * change. A subnet's prefixes are who a registry's VNet rule admits: while any registry's
 * rules name a subnet it can't be deleted, and new prefixes need write on each such registry
 * (write on the network alone must not open a registry). Each change is one store call and
 * publishes a `network` event. The ARM handlers (management/network/virtual-networks.ts)
 * address and authorize the network, parse the body, call this, and render.
 */
import { registryResourceId } from '../access/roles.js';
import type { LocalizedText } from '../i18n/localized.js';
import { armErrors, armReason } from '../kernel/arm-errors.js';
import { parseAddressPrefix, rangeContains, rangesOverlap, type Ipv4Range, type ParseProblem } from '../kernel/ipv4.js';
import type { NetworkIndex, ProviderState, SubnetRecord, VirtualNetworkRecord } from '../storage/metadata/network-records.js';
import type { RegistryIndex, RegistryRecord } from '../storage/metadata/store.js';
import { REGISTRY_TYPE } from './arm-resources.js';
import type { ChangeEvents } from './change-events.js';
import { NETWORK_NAME, displaySubnetId, storeKey } from './network-ids.js';

interface VirtualNetworkServiceDeps {
  network: Pick<
    NetworkIndex,
    | 'virtualNetwork'
    | 'subnet'
    | 'subnets'
    | 'privateEndpoints'
    | 'registrySettings'
    | 'saveVirtualNetwork'
    | 'saveSubnet'
    | 'deleteVirtualNetwork'
    | 'deleteSubnet'
  >;
  registries: Pick<RegistryIndex, 'list'>;
  /** A resource provider's registration state in a subscription. */
  providerState(subscriptionId: string, namespace: string): Promise<ProviderState>;
  events: ChangeEvents;
}

/** Where the network is (its ARM id as stored, placement and name), from the request path. */
interface NetworkPlace {
  key: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

/** A subnet as the body gives it. */
export interface SubnetInput {
  name: string;
  /** Trimmed, without repeats; at least one. */
  addressPrefixes: string[];
  serviceEndpoints: string[];
  /** Where the body gave the subnet's properties (`properties`, `properties.subnets[0].properties`), for error targets. */
  field: string;
}

export interface VirtualNetworkInput {
  location: string;
  /** Trimmed; at least one. */
  addressPrefixes: string[];
  tags: Record<string, string>;
  /** When given, the network's subnets become these; when left out, they stay. */
  subnets?: SubnetInput[];
}

/** The caller's rights the service asks about. */
export interface NetworkCaller {
  /** Named in the refusal when the caller may not write a registry whose rules name a subnet. */
  claims: { name: string; objectId: string };
  mayWriteRegistry(registryId: string): Promise<boolean>;
}

const NETWORK_NAMESPACE = 'Microsoft.Network';
const REGISTRY_WRITE = `${REGISTRY_TYPE}/write`;
/** The widest subnet prefix: a /0–/7 "subnet" would make a VNet rule admit a large share of all addresses. */
const WIDEST_SUBNET_PREFIX = 8;

const invalid = armErrors.networkBadRequest;

export class VirtualNetworkService {
  constructor(private readonly deps: VirtualNetworkServiceDeps) {}

  /** Creates or replaces the network (and its subnets, when the request lists them). */
  async putNetwork(
    place: NetworkPlace,
    read: () => Promise<VirtualNetworkInput>,
    caller: NetworkCaller,
  ): Promise<{ vnet: VirtualNetworkRecord; created: boolean }> {
    const { network } = this.deps;
    if (!NETWORK_NAME.test(place.name)) throw armErrors.invalidResourceName(armReason('kindVirtualNetwork'), place.name, armReason('ruleNetworkName'));
    if ((await this.deps.providerState(place.subscriptionId, NETWORK_NAMESPACE)) !== 'Registered') {
      throw armErrors.missingSubscriptionRegistration(NETWORK_NAMESPACE, place.subscriptionId);
    }
    const input = await read();
    const existing = await network.virtualNetwork(place.key);
    if (existing && existing.location !== input.location)
      throw armErrors.locationMismatch(existing.name, existing.location, input.location, place.resourceGroup);
    const vnet: VirtualNetworkRecord = {
      id: place.key,
      subscriptionId: place.subscriptionId,
      resourceGroup: place.resourceGroup,
      name: existing?.name ?? place.name,
      location: input.location,
      addressPrefixes: input.addressPrefixes,
      tags: input.tags,
      createdAt: existing?.createdAt ?? new Date().toISOString(),
    };
    const currentSubnets = existing ? await network.subnets(place.key) : [];
    let subnets: SubnetRecord[] | undefined;
    if (input.subnets !== undefined) {
      subnets = input.subnets.map((subnet) => subnetRecord(place.key, subnet));
      const ids = new Set<string>();
      for (const subnet of subnets) {
        if (ids.has(subnet.id)) throw invalid('InvalidRequestFormat', armReason('subnetGivenTwice', { subnet: subnet.name }), 'properties.subnets');
        ids.add(subnet.id);
      }
      const gone = currentSubnets.filter((s) => !ids.has(s.id));
      await this.refuseIfRuled(gone, vnet.name);
      for (const subnet of gone) await this.refuseIfHoldsEndpoints(subnet, vnet.name);
    }
    checkLayout(vnet, subnets ?? currentSubnets);
    if (subnets) {
      const before = new Map(currentSubnets.map((s) => [s.id, s]));
      await this.requireRightsOfRegistriesUsing(
        subnets.filter((s) => !samePrefixes(before.get(s.id), s)),
        caller,
      );
    }
    await network.saveVirtualNetwork(vnet, subnets);
    this.deps.events.publish({ kind: 'network' });
    return { vnet, created: !existing };
  }

  /** Deletes the network and its subnets; false when there is none. */
  async deleteNetwork(key: string): Promise<boolean> {
    const { network } = this.deps;
    const vnet = await network.virtualNetwork(key);
    if (!vnet) return false;
    const subnets = await network.subnets(vnet.id);
    await this.refuseIfRuled(subnets, vnet.name);
    for (const subnet of subnets) await this.refuseIfHoldsEndpoints(subnet, vnet.name);
    await network.deleteVirtualNetwork(vnet.id);
    this.deps.events.publish({ kind: 'network' });
    return true;
  }

  /** Creates or replaces one subnet of the network. */
  async putSubnet(vnet: VirtualNetworkRecord, input: SubnetInput, caller: NetworkCaller): Promise<{ subnet: SubnetRecord; created: boolean }> {
    const { network } = this.deps;
    const existing = await network.subnet(subnetKey(vnet.id, input.name));
    const subnet = subnetRecord(vnet.id, { ...input, name: existing?.name ?? input.name });
    const others = (await network.subnets(vnet.id)).filter((s) => s.id !== subnet.id);
    checkLayout(vnet, [...others, subnet]);
    // A private endpoint's address must stay inside its subnet.
    if (existing) {
      const ranges = prefixesOf(subnet.addressPrefixes, 'properties.addressPrefixes');
      for (const endpoint of await network.privateEndpoints({ subnetId: subnet.id })) {
        const address = parseAddressPrefix(`${endpoint.address}/32`);
        if (address.ok && !ranges.some((r) => rangeContains(r, address.range))) {
          throw invalid(
            'InUseSubnetCannotBeUpdated',
            armReason('subnetKeepsEndpoint', { subnet: subnet.name, address: endpoint.address, endpoint: endpoint.name }),
          );
        }
      }
    }
    if (!samePrefixes(existing, subnet)) await this.requireRightsOfRegistriesUsing([subnet], caller);
    await network.saveSubnet(subnet);
    this.deps.events.publish({ kind: 'network' });
    return { subnet, created: !existing };
  }

  /** Deletes one subnet of the network; false when there is none. */
  async deleteSubnet(vnet: VirtualNetworkRecord, name: string): Promise<boolean> {
    const { network } = this.deps;
    const subnet = await network.subnet(subnetKey(vnet.id, name));
    if (!subnet) return false;
    await this.refuseIfRuled([subnet], vnet.name);
    await this.refuseIfHoldsEndpoints(subnet, vnet.name);
    await network.deleteSubnet(subnet.id);
    this.deps.events.publish({ kind: 'network' });
    return true;
  }

  private async refuseIfHoldsEndpoints(subnet: SubnetRecord, vnetName: string): Promise<void> {
    const endpoints = await this.deps.network.privateEndpoints({ subnetId: subnet.id });
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
  private async registriesUsing(subnetIds: string[]): Promise<Map<string, RegistryRecord[]>> {
    const wanted = new Set(subnetIds.map(storeKey));
    const users = new Map<string, RegistryRecord[]>();
    if (wanted.size === 0) return users;
    for (const registry of await this.deps.registries.list()) {
      const settings = await this.deps.network.registrySettings(registry.name);
      for (const id of new Set(settings.virtualNetworkRules.map(storeKey))) {
        if (wanted.has(id)) users.set(id, [...(users.get(id) ?? []), registry]);
      }
    }
    return users;
  }

  /** Refuses (409) deleting subnets that registries' VNet rules name, whatever the caller's rights. */
  private async refuseIfRuled(subnets: SubnetRecord[], vnetName: string): Promise<void> {
    const users = await this.registriesUsing(subnets.map((s) => s.id));
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
  private async requireRightsOfRegistriesUsing(changed: SubnetRecord[], caller: NetworkCaller): Promise<void> {
    const users = await this.registriesUsing(changed.map((s) => s.id));
    for (const subnet of changed) {
      for (const registry of users.get(subnet.id) ?? []) {
        const registryId = registryResourceId(registry);
        if (!(await caller.mayWriteRegistry(registryId))) {
          throw armErrors.subnetUsedByRegistry(caller.claims, REGISTRY_WRITE, registryId, displaySubnetId(subnet.id), registry.name);
        }
      }
    }
  }
}

/** A subnet's store key in its network. */
function subnetKey(vnetId: string, name: string): string {
  return `${vnetId}/subnets/${name.toLowerCase()}`;
}

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

/** The subnet's record, after its name and width rules (malformed prefixes are checkLayout's). */
function subnetRecord(vnetId: string, input: SubnetInput): SubnetRecord {
  if (!NETWORK_NAME.test(input.name)) throw armErrors.invalidResourceName(armReason('kindSubnet'), input.name, armReason('ruleNetworkName'));
  for (const value of input.addressPrefixes) {
    const parsed = parseAddressPrefix(value);
    if (parsed.ok && parsed.range.prefix < WIDEST_SUBNET_PREFIX) {
      throw invalid(
        'InvalidAddressPrefix',
        armReason('subnetTooWide', { subnet: input.name, value, widest: WIDEST_SUBNET_PREFIX }),
        `${input.field}.addressPrefix`,
      );
    }
  }
  return { id: subnetKey(vnetId, input.name), vnetId, name: input.name, addressPrefixes: input.addressPrefixes, serviceEndpoints: input.serviceEndpoints };
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

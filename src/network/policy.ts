/**
 * One registry's network rules compiled for fast decisions: the IP rules and the subnets of
 * its virtual network rules as matchers, and the summary sentence reasons quote. `decide` is
 * the whole of ACR's semantics (docs/network-access.md): private endpoint first, then public access,
 * default action, IP rules, virtual network rules; a public denial with bypass AzureServices is
 * bypassable by a trusted service.
 */
import type { PrivateEndpointRecord, RegistryNetworkSettings, SubnetRecord } from '../storage/metadata/network-records.js';
import { englishReason, reason, type Reason } from '../access/decision.js';
import type { ArrivalPath, GateDecision } from './contracts.js';
export { hasRegistryServiceEndpoint } from '../domain/service-endpoints.js';
import { hasRegistryServiceEndpoint, SERVICE_ENDPOINT } from '../domain/service-endpoints.js';
import { clientIpv4, displayAddress, Ipv4Matcher, parseCidr, type Ipv4Range } from '../kernel/ipv4.js';

/**
 * A decision whose English reason is rendered only when read (an allowed request never reads it).
 * A class, not a literal with a getter: one decision is made per data-plane request, and a
 * literal would allocate a fresh getter closure each time.
 */
class LazyReasonDecision implements GateDecision {
  constructor(
    readonly allowed: boolean,
    readonly rule: string,
    readonly because: Reason,
    readonly bypassable: boolean,
  ) {}
  get reason(): string {
    return englishReason(this.because);
  }
}

export function gateDecision(allowed: boolean, rule: string, because: Reason, bypassable: boolean): GateDecision {
  return new LazyReasonDecision(allowed, rule, because, bypassable);
}

function rangesOf(values: string[]): Ipv4Range[] {
  const ranges: Ipv4Range[] = [];
  for (const value of values) {
    const parsed = parseCidr(value);
    if (parsed.ok) ranges.push(parsed.range);
  }
  return ranges;
}

export class CompiledPolicy {
  private readonly ipRules: Ipv4Matcher<string>;
  /** Subnets of the rules that have the service endpoint: their traffic counts. */
  private readonly subnetRules: Ipv4Matcher<string>;
  /** Subnets of the rules without it: only to explain a denial. */
  private readonly inertSubnets: Ipv4Matcher<string>;
  /** "public network access Enabled, default action Deny, 2 IP rules, 1 virtual network rule" */
  readonly summary: Reason;
  private readonly openToPublic: boolean;

  constructor(
    readonly registry: string,
    readonly settings: RegistryNetworkSettings,
    subnets: SubnetRecord[],
  ) {
    this.ipRules = new Ipv4Matcher(
      settings.ipRules.flatMap((value) => {
        const parsed = parseCidr(value);
        return parsed.ok ? [{ range: parsed.range, label: value }] : [];
      }),
    );
    const byId = new Map(subnets.map((subnet) => [subnet.id.toLowerCase(), subnet]));
    const live: { range: Ipv4Range; label: string }[] = [];
    const inert: { range: Ipv4Range; label: string }[] = [];
    for (const id of settings.virtualNetworkRules) {
      const subnet = byId.get(id.toLowerCase());
      if (!subnet) continue; // a deleted subnet admits no one
      const target = hasRegistryServiceEndpoint(subnet) ? live : inert;
      for (const range of rangesOf(subnet.addressPrefixes)) target.push({ range, label: id });
    }
    this.subnetRules = new Ipv4Matcher(live);
    this.inertSubnets = new Ipv4Matcher(inert);
    const ipRules = settings.ipRules.length;
    const networkRules = settings.virtualNetworkRules.length;
    this.summary = reason('gateSummary', {
      publicNetworkAccess: settings.publicNetworkAccess,
      defaultAction: settings.defaultAction,
      ipRules: ipRules === 1 ? reason('ipRulesOne') : reason('ipRulesMany', { count: ipRules }),
      networkRules: networkRules === 1 ? reason('networkRulesOne') : reason('networkRulesMany', { count: networkRules }),
    });
    this.openToPublic = settings.publicNetworkAccess === 'Enabled' && settings.defaultAction === 'Allow';
  }

  decide(clientIp: string, arrival: ArrivalPath): GateDecision {
    if (arrival.kind === 'privateEndpoint') return this.privateEndpoint(clientIp, arrival.endpoint);
    const ip = displayAddress(clientIp);
    const registry = this.registry;
    if (this.openToPublic) {
      return gateDecision(true, 'defaultAction:Allow', reason('gateOpen', { registry, summary: this.summary, ip }), false);
    }
    // ACR: trusted services do not apply to a registry restricted by service endpoints (subnet rules).
    const bypassable = this.settings.bypass === 'AzureServices' && this.settings.virtualNetworkRules.length === 0;
    if (this.settings.publicNetworkAccess === 'Disabled') {
      return gateDecision(false, 'publicNetworkAccess:Disabled', reason('gatePublicDisabled', { registry, ip }), bypassable);
    }
    const address = clientIpv4(clientIp);
    if (address !== undefined) {
      const ipRule = this.ipRules.match(address);
      if (ipRule !== undefined) {
        return gateDecision(true, `ipRule:${ipRule}`, reason('gateIpRule', { registry, ipRule, ip }), false);
      }
      const subnet = this.subnetRules.match(address);
      if (subnet !== undefined) {
        return gateDecision(true, `virtualNetworkRule:${subnet}`, reason('gateSubnetRule', { registry, subnet, ip }), false);
      }
    }
    let why = reason('gateNoRuleMatches', { ip });
    if (address === undefined) {
      why = reason('gateNotIpv4', { ip });
    } else {
      const inert = this.inertSubnets.match(address);
      if (inert !== undefined) why = reason('gateInertSubnet', { ip, subnet: inert, serviceEndpoint: SERVICE_ENDPOINT });
    }
    return gateDecision(false, 'defaultAction:Deny', reason('gateDenied', { registry, summary: this.summary, why }), bypassable);
  }

  private privateEndpoint(clientIp: string, endpoint: PrivateEndpointRecord): GateDecision {
    const ip = displayAddress(clientIp);
    const rule = `privateEndpoint:${endpoint.name}`;
    const at = reason('gateArrivedAt', { ip, endpoint: endpoint.name, address: endpoint.address, port: endpoint.port });
    const named = { endpoint: endpoint.name, registry: this.registry, at };
    if (endpoint.registry.toLowerCase() !== this.registry.toLowerCase()) {
      return gateDecision(false, rule, reason('gateEndpointOtherRegistry', { ...named, endpointRegistry: endpoint.registry }), false);
    }
    if (endpoint.status !== 'Approved') {
      const because = endpoint.statusDescription
        ? reason('gateEndpointNotApprovedDescribed', { ...named, status: endpoint.status, description: endpoint.statusDescription })
        : reason('gateEndpointNotApproved', { ...named, status: endpoint.status });
      return gateDecision(false, rule, because, false);
    }
    return gateDecision(true, rule, reason('gateEndpointApproved', { registry: this.registry, at }), false);
  }
}

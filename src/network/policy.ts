/**
 * One registry's network rules compiled for fast decisions: the IP rules and the subnets of
 * its virtual network rules as matchers, and the summary sentence reasons quote. `decide` is
 * the whole of ACR's semantics (docs/network-access.md): private endpoint first, then public access,
 * default action, IP rules, virtual network rules; a public denial with bypass AzureServices is
 * bypassable by a trusted service.
 */
import type { PrivateEndpointRecord, RegistryNetworkSettings, SubnetRecord } from '../storage/metadata/network-records.js';
import type { ArrivalPath, GateDecision } from './contracts.js';
import { clientIpv4, displayAddress, Ipv4Matcher, parseCidr, type Ipv4Range } from './ipv4.js';

export const SERVICE_ENDPOINT = 'Microsoft.ContainerRegistry';

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

export function hasRegistryServiceEndpoint(subnet: SubnetRecord): boolean {
  return subnet.serviceEndpoints.some((service) => service.toLowerCase() === 'microsoft.containerregistry');
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
  readonly summary: string;
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
    this.summary =
      `public network access ${settings.publicNetworkAccess}, default action ${settings.defaultAction}, ` +
      `${plural(settings.ipRules.length, 'IP rule', 'IP rules')}, ${plural(settings.virtualNetworkRules.length, 'virtual network rule', 'virtual network rules')}`;
    this.openToPublic = settings.publicNetworkAccess === 'Enabled' && settings.defaultAction === 'Allow';
  }

  decide(clientIp: string, arrival: ArrivalPath): GateDecision {
    if (arrival.kind === 'privateEndpoint') return this.privateEndpoint(clientIp, arrival.endpoint);
    const ip = displayAddress(clientIp);
    const registry = this.registry;
    if (this.openToPublic) {
      return { allowed: true, rule: 'defaultAction:Allow', reason: `allowed by the network rules of registry '${registry}': ${this.summary} (${ip}, public endpoint)`, bypassable: false };
    }
    // ACR: trusted services do not apply to a registry restricted by service endpoints (subnet rules).
    const bypassable = this.settings.bypass === 'AzureServices' && this.settings.virtualNetworkRules.length === 0;
    if (this.settings.publicNetworkAccess === 'Disabled') {
      return {
        allowed: false,
        rule: 'publicNetworkAccess:Disabled',
        reason: `denied by the network rules of registry '${registry}': public network access Disabled; ${ip} arrived at the public endpoint, and only private endpoints may reach the registry`,
        bypassable,
      };
    }
    const address = clientIpv4(clientIp);
    if (address !== undefined) {
      const ipRule = this.ipRules.match(address);
      if (ipRule !== undefined) {
        return { allowed: true, rule: `ipRule:${ipRule}`, reason: `allowed by the network rules of registry '${registry}': IP rule '${ipRule}' matches ${ip} (public endpoint)`, bypassable: false };
      }
      const subnet = this.subnetRules.match(address);
      if (subnet !== undefined) {
        return {
          allowed: true,
          rule: `virtualNetworkRule:${subnet}`,
          reason: `allowed by the network rules of registry '${registry}': virtual network rule for subnet '${subnet}' matches ${ip} (public endpoint)`,
          bypassable: false,
        };
      }
    }
    let why = `no rule matches ${ip} (public endpoint)`;
    if (address === undefined) {
      why = `${ip} is not an IPv4 address and network rules match IPv4 addresses only (public endpoint)`;
    } else {
      const inert = this.inertSubnets.match(address);
      if (inert !== undefined) {
        why += `; ${ip} is in subnet '${inert}' of a virtual network rule, but that subnet has no service endpoint ${SERVICE_ENDPOINT}`;
      }
    }
    return { allowed: false, rule: 'defaultAction:Deny', reason: `denied by the network rules of registry '${registry}': ${this.summary}; ${why}`, bypassable };
  }

  private privateEndpoint(clientIp: string, endpoint: PrivateEndpointRecord): GateDecision {
    const ip = displayAddress(clientIp);
    const rule = `privateEndpoint:${endpoint.name}`;
    const at = `${ip} arrived at private endpoint '${endpoint.name}' (${endpoint.address}:${endpoint.port})`;
    if (endpoint.registry.toLowerCase() !== this.registry.toLowerCase()) {
      return {
        allowed: false,
        rule,
        reason: `denied: private endpoint '${endpoint.name}' is connected to registry '${endpoint.registry}', not '${this.registry}'; ${at}`,
        bypassable: false,
      };
    }
    if (endpoint.status !== 'Approved') {
      const described = endpoint.statusDescription ? ` (${endpoint.statusDescription})` : '';
      return {
        allowed: false,
        rule,
        reason: `denied: the connection of private endpoint '${endpoint.name}' to registry '${this.registry}' is ${endpoint.status}${described}, and only an Approved connection carries traffic; ${at}`,
        bypassable: false,
      };
    }
    return {
      allowed: true,
      rule,
      reason: `allowed: ${at}, whose connection to registry '${this.registry}' is Approved (IP and virtual network rules do not apply on a private endpoint)`,
      bypassable: false,
    };
  }
}

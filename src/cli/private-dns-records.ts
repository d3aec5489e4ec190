/**
 * The DNS records a client needs to reach a registry through its private endpoints, built from
 * what the management API shows (the registry's login server, data endpoint names and
 * connections; each endpoint's DNS configs), and written as a `privatelink.<domain>` zone would
 * hold them or as hosts-file lines. Pure: the command does the fetching.
 */
import { privateAddressOf, type PrivateEndpoint } from './network-resources.js';
import { cliError } from './cli-error.js';

interface EndpointNames {
  /** The registry name, as in its login server. */
  registry: string;
  /** Login server host (no port). */
  loginHost: string;
  /** Data endpoint hosts, one per region (may be empty). */
  dataHosts: string[];
}

export interface ApprovedEndpoint {
  endpoint: PrivateEndpoint;
  connection: string;
}

export interface SkippedEndpoint {
  privateEndpoint: string;
  connection: string;
  status: string;
}

interface DnsRecord {
  /** Relative to the zone, e.g. `myregistry` or `myregistry.eastus.data`. */
  name: string;
  fqdn: string;
  address: string;
  privateEndpoint: string;
}

interface PrivateDnsPlan {
  /** `<domain>`, the public zone; the private one is `privatelink.<domain>`. */
  domain: string;
  zone: string;
  records: DnsRecord[];
  /** Per endpoint, the addresses and the names each carries (hosts-file lines). */
  hosts: { privateEndpoint: string; address: string; names: string[] }[];
  skipped: SkippedEndpoint[];
}

/** `myregistry.localhost:8443` → `myregistry.localhost`. */
export function hostOf(loginServer: string): string {
  return loginServer.replace(/:\d+$/, '').toLowerCase();
}

/** The public DNS suffix: the login server without `<registry>.`, else the data endpoints' suffix. */
function domainOf(names: EndpointNames): string {
  const registry = names.registry.toLowerCase();
  if (names.loginHost.startsWith(`${registry}.`)) return names.loginHost.slice(registry.length + 1);
  for (const host of names.dataHosts) {
    const match = new RegExp(`^${registry.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.[^.]+\\.data\\.(.+)$`).exec(host.toLowerCase());
    if (match) return match[1]!;
  }
  throw cliError('loginServerNotUnderDomain', { host: names.loginHost });
}

/** Each name the endpoint serves with its address: its DNS configs, else login server + data endpoints at its one address. */
function namedAddresses(endpoint: PrivateEndpoint, names: EndpointNames): { fqdn: string; address: string }[] {
  const configs = (endpoint.properties?.customDnsConfigs ?? [])
    .filter((c) => c.fqdn && c.ipAddresses?.[0])
    .map((c) => ({ fqdn: c.fqdn!.toLowerCase(), address: c.ipAddresses![0]! }));
  if (configs.length > 0) return configs;
  const address = privateAddressOf(endpoint);
  if (!address) throw cliError('endpointHasNoAddress', { name: endpoint.name, state: endpoint.properties?.provisioningState ?? 'unknown' });
  return [names.loginHost, ...names.dataHosts].map((fqdn) => ({ fqdn, address }));
}

export function planPrivateDns(names: EndpointNames, approved: ApprovedEndpoint[], skipped: SkippedEndpoint[]): PrivateDnsPlan {
  const domain = domainOf(names);
  const records: DnsRecord[] = [];
  const hosts: PrivateDnsPlan['hosts'] = [];
  for (const { endpoint } of approved) {
    const byAddress = new Map<string, string[]>();
    for (const { fqdn, address } of namedAddresses(endpoint, names)) {
      if (!fqdn.endsWith(`.${domain}`)) continue;
      records.push({ name: fqdn.slice(0, -(domain.length + 1)), fqdn, address, privateEndpoint: endpoint.name });
      byAddress.set(address, [...(byAddress.get(address) ?? []), fqdn]);
    }
    for (const [address, hostNames] of byAddress) hosts.push({ privateEndpoint: endpoint.name, address, names: hostNames });
  }
  return { domain, zone: `privatelink.${domain}`, records, hosts, skipped };
}

function skippedLines(plan: PrivateDnsPlan, comment: string): string[] {
  return plan.skipped.map((s) => `${comment} skipped: private endpoint ${s.privateEndpoint} (connection ${s.connection}) is ${s.status}, not Approved`);
}

/** The records as zone-file text: A records in `privatelink.<domain>`, CNAMEs in the public zone. */
export function renderZone(plan: PrivateDnsPlan, registry: string): string {
  const lines = [`; private DNS for registry ${registry}: zone ${plan.zone}`, '$TTL 300'];
  const width = Math.max(...plan.records.map((r) => r.name.length), 1);
  for (const endpoint of new Set(plan.records.map((r) => r.privateEndpoint))) {
    lines.push('', `; private endpoint ${endpoint}`, `$ORIGIN ${plan.zone}.`);
    for (const r of plan.records.filter((x) => x.privateEndpoint === endpoint)) lines.push(`${r.name.padEnd(width)}  IN  A      ${r.address}`);
  }
  lines.push('', `; in the public zone ${plan.domain}: the CNAME chain that sends clients to ${plan.zone}`, `$ORIGIN ${plan.domain}.`);
  for (const name of new Set(plan.records.map((r) => r.name))) lines.push(`${name.padEnd(width)}  IN  CNAME  ${name}.${plan.zone}.`);
  const skipped = skippedLines(plan, ';');
  if (skipped.length > 0) lines.push('', ...skipped);
  return lines.join('\n') + '\n';
}

/** The records as /etc/hosts lines: one per private address. */
export function renderHosts(plan: PrivateDnsPlan, registry: string): string {
  const lines = [`# registry ${registry} through its private endpoints (add to /etc/hosts on the clients)`];
  for (const h of plan.hosts) lines.push(`${h.address} ${h.names.join(' ')}  # private endpoint ${h.privateEndpoint}`);
  lines.push(...skippedLines(plan, '#'));
  return lines.join('\n') + '\n';
}

/**
 * Host routing: which registry a request is for, from its Host header. A registry answers at
 * its login server (explicit, or see loginServerOf) and at `<name>.<domain>` on any port; `localhost`
 * and any IP address reach the default registry, so a one-registry setup needs no DNS. Data
 * endpoint hosts (`<name>.<region>.data.<domain>`) resolve to no registry here.
 *
 * Because the lookup falls back from `host:port` to the bare host and then to the default
 * registry, two registries may never claim overlapping addresses: addressClash finds such a pair
 * (start-up refuses it, ARM create refuses it), so no registry takes another's address silently.
 */
import { isIP } from 'node:net';
import type { MetadataStore, RegistryRecord } from '../storage/metadata/store.js';
import { loginServerOf, nameHostOf, type LoginServerSettings } from '../kernel/config.js';
import { parseDataEndpointHost } from './data-endpoint-names.js';
import type { ChangeEvent } from './change-events.js';

export interface ResolvedRegistry {
  registry: RegistryRecord;
  loginServer: string;
}

/** Registries change rarely; a short-lived cache keeps the lookup off the request path. */
const REFRESH_MS = 2000;

export class RegistryDirectory {
  private byHost = new Map<string, RegistryRecord>();
  private byName = new Map<string, RegistryRecord>();
  private loadedAt = 0;
  private loading: Promise<void> | null = null;
  /** What each registry resolves to, kept so the request path allocates nothing. */
  private resolved = new Map<RegistryRecord, ResolvedRegistry>();
  private resolvedAtPort: number | undefined;
  private readonly dataSuffix: string;
  /** Bumped by a registry change: a load that started before it does not count as fresh. */
  private generation = 0;

  constructor(
    private readonly store: MetadataStore,
    private readonly settings: LoginServerSettings,
  ) {
    this.dataSuffix = `.data.${settings.domain}`;
  }

  /** A registry was created, changed or deleted: the next lookup reads them again. */
  onChange(event: ChangeEvent): void {
    if (event.kind !== 'registry') return;
    this.generation++;
    this.loadedAt = 0;
  }

  async refresh(): Promise<void> {
    const generation = this.generation;
    const registries = await this.store.registries.list();
    const byHost = new Map<string, RegistryRecord>();
    const byName = new Map<string, RegistryRecord>();
    for (const registry of registries) {
      byName.set(registry.name, registry);
      byHost.set(nameHostOf(registry.name, this.settings.domain), registry);
      if (registry.loginServer) byHost.set(registry.loginServer.toLowerCase(), registry);
    }
    this.byHost = byHost;
    this.byName = byName;
    this.resolved = new Map();
    if (generation === this.generation) this.loadedAt = Date.now();
  }

  private async fresh(): Promise<void> {
    while (Date.now() - this.loadedAt >= REFRESH_MS) {
      this.loading ??= this.refresh().finally(() => {
        this.loading = null;
      });
      await this.loading;
    }
  }

  /** Undefined when no registry answers at that host. */
  async resolve(hostHeader: string | undefined): Promise<ResolvedRegistry | undefined> {
    await this.fresh();
    return this.find(hostHeader);
  }

  /** resolve() without waiting while the list is fresh (the request path's case); null when it must be reloaded first. */
  resolveNow(hostHeader: string | undefined): ResolvedRegistry | undefined | null {
    return Date.now() - this.loadedAt < REFRESH_MS ? this.find(hostHeader) : null;
  }

  private find(hostHeader: string | undefined): ResolvedRegistry | undefined {
    const host = (hostHeader ?? '').toLowerCase();
    const hostname = stripPort(host);
    // A data endpoint host serves only signed blob URLs (network/data-endpoint-routes.ts), never a registry's APIs.
    if (hostname.endsWith(this.dataSuffix) && parseDataEndpointHost(hostname, this.settings.domain)) return undefined;
    const registry = this.byHost.get(host) ?? this.byHost.get(hostname) ?? (isLocalOrIp(hostname) ? this.byName.get(this.settings.defaultRegistry) : undefined);
    if (registry === undefined) return undefined;
    // Login servers name the port clients use, known only once the server listens (port 0).
    if (this.resolvedAtPort !== this.settings.publicPort) {
      this.resolved = new Map();
      this.resolvedAtPort = this.settings.publicPort;
    }
    let resolved = this.resolved.get(registry);
    if (resolved === undefined) {
      resolved = { registry, loginServer: loginServerOf(registry, this.settings) };
      this.resolved.set(registry, resolved);
    }
    return resolved;
  }
}

export function stripPort(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end > 0 ? host.slice(1, end) : host;
  }
  const colon = host.lastIndexOf(':');
  return colon >= 0 && host.indexOf(':') === colon ? host.slice(0, colon) : host;
}

function isLocalOrIp(hostname: string): boolean {
  return hostname === 'localhost' || isIP(hostname) !== 0;
}

/** One address a registry answers at; no port: every port. */
export interface AddressClaim {
  registry: string;
  hostname: string;
  port?: number;
  /** Why it answers there, for the operator. */
  how: 'loginServer' | 'name' | 'default';
}

/** The port of `host[:port]` (IPv6 in brackets), if it names one. */
function portOf(address: string): number | undefined {
  const match = /^(?:\[[^\]]*\]|[^:]*):(\d+)$/.exec(address);
  return match ? Number(match[1]) : undefined;
}

/** Every address the registries claim, as RegistryDirectory.resolve routes them. */
function addressClaims(registries: { name: string; loginServer?: string | null }[], settings: LoginServerSettings): AddressClaim[] {
  const claims: AddressClaim[] = [];
  for (const registry of registries) {
    claims.push({ registry: registry.name, hostname: nameHostOf(registry.name, settings.domain), how: 'name' });
    if (registry.loginServer) {
      const address = registry.loginServer.toLowerCase();
      claims.push({ registry: registry.name, hostname: stripPort(address), port: portOf(address), how: 'loginServer' });
    }
    if (registry.name === settings.defaultRegistry) {
      claims.push({ registry: registry.name, hostname: 'localhost', how: 'default' });
    }
  }
  return claims;
}

function overlaps(a: AddressClaim, b: AddressClaim): boolean {
  const sameHost = a.hostname === b.hostname || (isIP(a.hostname) !== 0 && b.how === 'default') || (isIP(b.hostname) !== 0 && a.how === 'default');
  return sameHost && (a.port === undefined || b.port === undefined || a.port === b.port);
}

interface AddressClash {
  first: AddressClaim;
  second: AddressClaim;
}

/** The first pair of registries that claim one address, if any. */
export function addressClash(registries: { name: string; loginServer?: string | null }[], settings: LoginServerSettings): AddressClash | undefined {
  const claims = addressClaims(registries, settings);
  for (let i = 0; i < claims.length; i++) {
    for (let j = i + 1; j < claims.length; j++) {
      const [first, second] = [claims[i]!, claims[j]!];
      if (first.registry !== second.registry && overlaps(first, second)) return { first, second };
    }
  }
  return undefined;
}

/** How an operator reads a claim: `localhost:8443 (its loginServer)`. */
function describeClaim(claim: AddressClaim, settings: LoginServerSettings): string {
  const address = claim.port === undefined ? claim.hostname : `${claim.hostname}:${claim.port}`;
  switch (claim.how) {
    case 'loginServer':
      return `'${claim.registry}' claims ${address} (its loginServer)`;
    case 'name':
      return `'${claim.registry}' claims ${address} (every registry answers at <name>.${settings.domain})`;
    case 'default':
      return `'${claim.registry}' claims localhost and every IP address, on any port (it is the default registry)`;
  }
}

/** An operator's explanation of a clash, with the way out. */
export function describeClash(clash: AddressClash, settings: LoginServerSettings): string {
  const claims = [clash.first, clash.second];
  const explicit = claims.find((c) => c.how === 'loginServer') ?? clash.second;
  return (
    `registries '${clash.first.registry}' and '${clash.second.registry}' claim one address: ` +
    `${describeClaim(clash.first, settings)}; ${describeClaim(clash.second, settings)}. ` +
    `Give '${explicit.registry}' another loginServer in the config file's registries (listed without one, it answers at ` +
    `${loginServerOf({ name: explicit.registry }, settings)})` +
    (claims.some((c) => c.how === 'default' && c.registry !== explicit.registry)
      ? `, or make it the default registry (defaultRegistry: ${explicit.registry})`
      : '')
  );
}

/** The registry a data-plane request resolved to, and the login server it was reached by (what refusals name). */
export interface AuthTarget {
  registry: RegistryRecord;
  loginServer: string;
}

/**
 * Host routing: which registry a request is for, from its Host header. A registry answers at
 * its explicit login server or at `<name>.<domain>`; a bare IP address or `localhost` reaches
 * the default registry, so a one-registry setup needs no DNS. Data endpoint hosts
 * (`<name>.<region>.data.<domain>`) resolve to no registry here.
 */
import { isIP } from 'node:net';
import type { MetadataStore, RegistryRecord } from '../storage/metadata/store.js';
import { loginServerOf } from './config.js';
import { parseDataEndpointHost } from '../network/data-endpoint-names.js';

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

  constructor(
    private readonly store: MetadataStore,
    private readonly domain: string,
    private readonly defaultRegistry: string,
  ) {}

  async refresh(): Promise<void> {
    const registries = await this.store.registries.list();
    const byHost = new Map<string, RegistryRecord>();
    const byName = new Map<string, RegistryRecord>();
    for (const registry of registries) {
      byName.set(registry.name, registry);
      byHost.set(loginServerOf({ name: registry.name }, this.domain), registry);
      if (registry.loginServer) byHost.set(registry.loginServer.toLowerCase(), registry);
    }
    this.byHost = byHost;
    this.byName = byName;
    this.loadedAt = Date.now();
  }

  private async fresh(): Promise<void> {
    if (Date.now() - this.loadedAt < REFRESH_MS) return;
    this.loading ??= this.refresh().finally(() => {
      this.loading = null;
    });
    await this.loading;
  }

  /** Undefined when no registry answers at that host. */
  async resolve(hostHeader: string | undefined): Promise<ResolvedRegistry | undefined> {
    await this.fresh();
    const host = (hostHeader ?? '').toLowerCase();
    const hostname = stripPort(host);
    // A data endpoint host serves only signed blob URLs (network/data-endpoint-routes.ts), never a registry's APIs.
    if (parseDataEndpointHost(hostname, this.domain)) return undefined;
    const registry =
      this.byHost.get(host) ??
      this.byHost.get(hostname) ??
      (isLocalOrIp(hostname) ? this.byName.get(this.defaultRegistry) : undefined);
    return registry && { registry, loginServer: loginServerOf(registry, this.domain) };
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

/**
 * Names of a registry's dedicated data endpoints: `<registry>.<region>.data.<domain>`, one per
 * region (the registry's home location and each replication's), as ACR names them.
 */
import type { RegistryRecord } from '../storage/metadata/store.js';
import type { ReplicationRecord } from '../storage/metadata/network-records.js';

export function dataEndpointHost(registryName: string, region: string, domain: string): string {
  return `${registryName.toLowerCase()}.${region.toLowerCase()}.data.${domain}`;
}

/** Regions a registry is served in: its home location first, then its replications'. */
export function registryRegions(registry: RegistryRecord, replications: ReplicationRecord[]): string[] {
  const regions = [registry.location.toLowerCase()];
  for (const replication of replications) {
    const region = replication.location.toLowerCase();
    if (!regions.includes(region)) regions.push(region);
  }
  return regions;
}

/** Parses a data endpoint host (port stripped) into registry and region; undefined for other hosts. */
export function parseDataEndpointHost(hostname: string, domain: string): { registry: string; region: string } | undefined {
  const suffix = `.data.${domain}`;
  if (!hostname.endsWith(suffix)) return undefined;
  const head = hostname.slice(0, -suffix.length);
  const dot = head.lastIndexOf('.');
  if (dot <= 0 || dot === head.length - 1) return undefined;
  const registry = head.slice(0, dot);
  const region = head.slice(dot + 1);
  if (registry.includes('.')) return undefined;
  return { registry, region };
}

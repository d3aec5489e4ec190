/**
 * The login server's side of dedicated data endpoints: for a registry with dataEndpointEnabled,
 * an authorized blob GET is answered with a redirect to a signed URL on the data endpoint of
 * this node's region. A pull fetches many blobs in a row, so each registry's answer (enabled,
 * which region) is cached briefly instead of costing queries per blob; a change event for the
 * registry drops its entry at once.
 */
import type { BlobRedirects } from '../distribution/context.js';
import type { MetadataStore, RegistryRecord } from '../storage/metadata/store.js';
import { dataEndpointHost, registryRegions } from '../domain/data-endpoint-names.js';
import { dataBlobUrl, type DataUrlSigner } from './data-endpoint-urls.js';
import type { ChangeEvent } from '../domain/change-events.js';

/** Settings saved on another node take effect here within this time. */
const CACHE_MS = 2000;

interface Placement {
  loadedAt: number;
  /** The region whose data endpoint this node redirects to; null when data endpoints are off. */
  region: string | null;
}

interface RedirectDeps {
  store: MetadataStore;
  /** The server's settings that shape the URL. */
  config: { http: boolean; domain: string };
  /** This node's region. */
  region: string;
  signer: DataUrlSigner;
}

export class DataEndpointRedirects implements BlobRedirects {
  private readonly placements = new Map<string, Placement>();

  constructor(private readonly deps: RedirectDeps) {}

  /** A registry's settings or replications changed (or it went): its next blob reads them again. */
  onChange(event: ChangeEvent): void {
    if (event.kind === 'registry' || event.kind === 'rules') this.placements.delete(event.registry);
  }

  /** The signed data endpoint URL for `digest`, or undefined when the registry serves blobs itself. */
  async locationFor(registry: RegistryRecord, digest: string, localPort: number): Promise<string | undefined> {
    const region = await this.regionOf(registry);
    if (region === null) return undefined;
    const { config } = this.deps;
    return dataBlobUrl({
      scheme: config.http ? 'http' : 'https',
      host: dataEndpointHost(registry.name, region, config.domain),
      port: localPort,
      digest,
      registry: registry.name,
      signed: this.deps.signer.sign({ registry: registry.name, region, digest }),
    });
  }

  private async regionOf(registry: RegistryRecord): Promise<string | null> {
    const cached = this.placements.get(registry.name);
    if (cached && Date.now() - cached.loadedAt < CACHE_MS) return cached.region;
    const settings = await this.deps.store.network.registrySettings(registry.name);
    let region: string | null = null;
    if (settings.dataEndpointEnabled) {
      // The node's own region when the registry is served there (home or a replication), else home.
      const regions = registryRegions(registry, await this.deps.store.network.replications(registry.name));
      const nodeRegion = this.deps.region.toLowerCase();
      region = regions.includes(nodeRegion) ? nodeRegion : regions[0]!;
    }
    if (this.placements.size > 10_000) this.placements.clear();
    this.placements.set(registry.name, { loadedAt: Date.now(), region });
    return region;
  }
}

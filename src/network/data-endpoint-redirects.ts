/**
 * The login server's side of dedicated data endpoints: for a registry with dataEndpointEnabled,
 * an authorized blob GET is answered with a redirect to a signed URL on the data endpoint of
 * this node's region. A pull fetches many blobs in a row, so each registry's answer (enabled,
 * which region) is cached briefly instead of costing queries per blob.
 */
import type { RegistryRecord } from '../storage/metadata/store.js';
import type { WharfServices } from '../server/services.js';
import { dataEndpointHost, registryRegions } from './data-endpoint-names.js';
import { dataBlobUrl, dataUrlSignerOf, type DataUrlSigner } from './data-endpoint-urls.js';

/** Settings saved on another node take effect here within this time. */
const CACHE_MS = 2000;

interface Placement {
  loadedAt: number;
  /** The region whose data endpoint this node redirects to; null when data endpoints are off. */
  region: string | null;
}

type RedirectServices = Pick<WharfServices, 'store' | 'config' | 'sealer' | 'arm'> & { network?: Partial<Pick<WharfServices['network'], 'region'>> };

export class DataEndpointRedirects {
  private readonly placements = new Map<string, Placement>();
  private readonly signer: DataUrlSigner;

  constructor(private readonly services: RedirectServices) {
    this.signer = dataUrlSignerOf(services);
  }

  /** The signed data endpoint URL for `digest`, or undefined when the registry serves blobs itself. */
  async locationFor(registry: RegistryRecord, digest: string, localPort: number): Promise<string | undefined> {
    const region = await this.regionOf(registry);
    if (region === null) return undefined;
    const { config } = this.services;
    return dataBlobUrl({
      scheme: config.http ? 'http' : 'https',
      host: dataEndpointHost(registry.name, region, config.domain),
      port: localPort,
      digest,
      registry: registry.name,
      signed: this.signer.sign({ registry: registry.name, region, digest }),
    });
  }

  private async regionOf(registry: RegistryRecord): Promise<string | null> {
    const cached = this.placements.get(registry.name);
    if (cached && Date.now() - cached.loadedAt < CACHE_MS) return cached.region;
    const settings = await this.services.store.network.registrySettings(registry.name);
    let region: string | null = null;
    if (settings.dataEndpointEnabled) {
      // The node's own region when the registry is served there (home or a replication), else home.
      const regions = registryRegions(registry, await this.services.store.network.replications(registry.name));
      const nodeRegion = (this.services.network?.region ?? this.services.arm.location).toLowerCase();
      region = regions.includes(nodeRegion) ? nodeRegion : regions[0]!;
    }
    if (this.placements.size > 10_000) this.placements.clear();
    this.placements.set(registry.name, { loadedAt: Date.now(), region });
    return region;
  }
}

const instances = new WeakMap<object, DataEndpointRedirects | null>();

/**
 * The redirector of a server's services; null for services without a network configuration
 * (the distribution handlers also run on bare stores, in tests and tools).
 */
export function dataEndpointRedirectsOf(services: object): DataEndpointRedirects | null {
  let instance = instances.get(services);
  if (instance === undefined) {
    const candidate = services as Partial<RedirectServices>;
    instance =
      candidate.sealer && candidate.config && candidate.arm && candidate.store?.network
        ? new DataEndpointRedirects(candidate as RedirectServices)
        : null;
    instances.set(services, instance);
  }
  return instance;
}

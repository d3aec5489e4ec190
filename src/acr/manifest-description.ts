/**
 * What ACR's manifest properties say about a manifest beyond its row: the config media type,
 * the platform (architecture and os, read from the image config blob), the references of an
 * index with their platforms, and imageSize — the manifest's own bytes plus those of
 * everything it references directly (config and layers, or the manifests of an index).
 * Config blobs are immutable per digest, so their platform is remembered.
 */
import type { BlobStore } from '../storage/blob/blob-store.js';

interface ManifestDescription {
  imageSize: number;
  configMediaType?: string;
  architecture?: string;
  os?: string;
  references?: { digest: string; architecture?: string; os?: string }[];
}

interface Platform {
  architecture?: string;
  os?: string;
}

interface DescriptorJson {
  mediaType?: unknown;
  digest?: unknown;
  size?: unknown;
  platform?: { architecture?: unknown; os?: unknown };
}

const IMAGE_CONFIG_TYPES = new Set(['application/vnd.oci.image.config.v1+json', 'application/vnd.docker.container.image.v1+json']);
/** Image configs are small; anything larger is not read for two fields. */
const MAX_CONFIG_BYTES = 1024 * 1024;
const MAX_REMEMBERED = 4096;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const bytes = (value: unknown): number => (typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : 0);

function descriptors(value: unknown): DescriptorJson[] {
  return Array.isArray(value) ? value.filter((d): d is DescriptorJson => d !== null && typeof d === 'object') : [];
}

export class ManifestDescriber {
  private readonly platforms = new Map<string, Platform>();

  constructor(private readonly blobStore: BlobStore) {}

  async describe(content: Buffer): Promise<ManifestDescription> {
    let body: { config?: DescriptorJson; layers?: unknown; manifests?: unknown };
    try {
      body = JSON.parse(content.toString('utf8')) as typeof body;
    } catch {
      // Stored manifests were validated on push; this only guards against the impossible.
      return { imageSize: content.length };
    }
    if (Array.isArray(body.manifests)) {
      const children = descriptors(body.manifests);
      return {
        imageSize: children.reduce((sum, d) => sum + bytes(d.size), content.length),
        references: children
          .filter((d) => typeof d.digest === 'string')
          .map((d) => ({
            digest: d.digest as string,
            ...(text(d.platform?.architecture) ? { architecture: text(d.platform?.architecture) } : {}),
            ...(text(d.platform?.os) ? { os: text(d.platform?.os) } : {}),
          })),
      };
    }
    const config = body.config && typeof body.config === 'object' ? body.config : undefined;
    const layers = descriptors(body.layers);
    const description: ManifestDescription = {
      imageSize: layers.reduce((sum, d) => sum + bytes(d.size), content.length + bytes(config?.size)),
    };
    const configMediaType = text(config?.mediaType);
    if (configMediaType) description.configMediaType = configMediaType;
    if (config && configMediaType && IMAGE_CONFIG_TYPES.has(configMediaType) && typeof config.digest === 'string') {
      Object.assign(description, await this.platformOf(config.digest, bytes(config.size)));
    }
    return description;
  }

  private async platformOf(digest: string, size: number): Promise<Platform> {
    const known = this.platforms.get(digest);
    if (known) return known;
    if (size === 0 || size > MAX_CONFIG_BYTES) return {};
    let platform: Platform = {};
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of await this.blobStore.open(digest, { start: 0, end: size - 1 })) chunks.push(chunk as Buffer);
      const config = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { architecture?: unknown; os?: unknown };
      platform = {
        ...(text(config.architecture) ? { architecture: text(config.architecture) } : {}),
        ...(text(config.os) ? { os: text(config.os) } : {}),
      };
    } catch {
      // A config that is missing or not JSON has no platform to show; the listing still answers.
      return {};
    }
    if (this.platforms.size >= MAX_REMEMBERED) this.platforms.delete(this.platforms.keys().next().value!);
    this.platforms.set(digest, platform);
    return platform;
  }
}

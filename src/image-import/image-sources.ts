/**
 * Where an import reads from. A source gives manifests (bytes, media type, verified digest)
 * and brings blobs into the target: a registry of this Wharf links the blob it already
 * stores (copy by reference, no bytes move); a registry reached by URI streams the blob
 * into the target's upload path, where its digest is checked before it becomes visible.
 */
import type { Readable } from 'node:stream';
import { digestOf, parseDigest } from '../distribution/digest.js';
import type { BlobStore } from '../storage/blob/blob-store.js';
import type { RegistryNetworkSettings } from '../storage/metadata/network-records.js';
import type { MetadataStore, RepositoryRef } from '../storage/metadata/store.js';
import { ImportFailure, importReason } from './import-errors.js';
import type { RemoteRegistry } from './remote-registry.js';
import type { LocalizedText } from '../i18n/localized.js';

export interface SourceManifest {
  digest: string;
  content: Buffer;
  /** The media type the source served it with, if any (the body's own field decides otherwise). */
  mediaType: string | undefined;
}

export interface ImageSource {
  /** How messages name the source, e.g. `127.0.0.1:5000` or `registry 'dev'`. */
  readonly name: string;
  manifest(reference: string): Promise<SourceManifest>;
  /**
   * Either 'linked' (the blob was made visible in the target without moving bytes) or a
   * stream of its bytes for the target's upload path.
   */
  blob(digest: string, size: number, target: RepositoryRef): Promise<'linked' | Readable>;
  close(): Promise<void>;
}

/**
 * Whether an import may read from a registry of this Wharf with these network settings. ACR
 * runs the import itself, as a trusted Microsoft service, not from the caller's address: a
 * source open to the public is read; a network-restricted source (public access disabled, or
 * default action Deny) is read only when it allows trusted services (bypass AzureServices),
 * and trusted services never pass virtual network rules, as in the data plane's gate.
 */
export function localSourceNetworkRefusal(registry: string, settings: RegistryNetworkSettings): LocalizedText | undefined {
  if (settings.publicNetworkAccess === 'Enabled' && settings.defaultAction === 'Allow') return undefined;
  if (settings.bypass === 'AzureServices' && settings.virtualNetworkRules.length === 0) return undefined;
  const restriction = importReason(settings.publicNetworkAccess === 'Disabled' ? 'restrictionPublicDisabled' : 'restrictionDefaultDeny');
  const why = importReason(settings.bypass === 'AzureServices' ? 'whyVnetRules' : 'whyNoTrusted');
  return importReason('localNetworkRestricted', { registry, restriction, why });
}

/** A registry of this Wharf, named by its ARM resource id. */
export class LocalSource implements ImageSource {
  readonly name: string;

  constructor(
    private readonly store: MetadataStore,
    private readonly blobStore: BlobStore,
    private readonly ref: RepositoryRef,
  ) {
    this.name = `registry '${ref.registry}'`;
    this.quoted = `'${ref.registry}'`;
  }

  /** The registry's name as messages quote it (they say "registry" in their own language). */
  private readonly quoted: string;

  async manifest(reference: string): Promise<SourceManifest> {
    const record = await this.store.manifests.get(this.ref, reference);
    const image = `${this.ref.repository}${reference.includes(':') ? '@' : ':'}${reference}`;
    if (!record) throw ImportFailure.sourceImageNotFound({ image }, this.quoted);
    const gates = record.attributes;
    // A read-disabled repository, manifest or tag serves no pulls; an import is a pull.
    if (gates && (!gates.repository.readEnabled || !gates.manifest.readEnabled || gates.tag?.readEnabled === false)) {
      throw ImportFailure.invalid('SourceRegistryUnauthorized', importReason('readDisabled', { image, registry: this.quoted }));
    }
    return { digest: record.digest, content: record.content, mediaType: record.mediaType };
  }

  async blob(digest: string, _size: number, target: RepositoryRef): Promise<'linked'> {
    // Under the digest's lock, as a mount: the collector cannot delete the file between the check and the link.
    const linked = await this.blobStore.withDigestLock(digest, async () => {
      if (!(await this.store.blobs.stat(this.ref, digest))) return 'absent';
      if ((await this.blobStore.stat(digest)) === undefined) return 'absent';
      return (await this.store.blobs.link(target, digest)) ? 'linked' : 'absent';
    });
    if (linked !== 'linked') throw ImportFailure.sourceImageNotFound({ digest, repository: this.ref.repository }, this.quoted);
    return 'linked';
  }

  async close(): Promise<void> {}
}

/** A registry reached over HTTP(S). */
export class RemoteSource implements ImageSource {
  readonly name: string;

  constructor(
    private readonly registry: RemoteRegistry,
    private readonly repository: string,
    private readonly manifestMaxBytes: number,
  ) {
    this.name = registry.host;
  }

  async manifest(reference: string): Promise<SourceManifest> {
    const fetched = await this.registry.manifest(this.repository, reference, this.manifestMaxBytes);
    const byDigest = parseDigest(reference);
    const algorithm = byDigest?.algorithm ?? parseDigest(fetched.declaredDigest ?? '')?.algorithm ?? 'sha256';
    const digest = digestOf(algorithm, fetched.content);
    const expected = byDigest?.value ?? fetched.declaredDigest;
    if (expected !== undefined && parseDigest(expected) && expected !== digest) {
      throw ImportFailure.digestMismatch({ kind: 'manifest', image: `${this.repository}:${reference}` }, expected, digest);
    }
    return { digest, content: fetched.content, mediaType: fetched.mediaType };
  }

  blob(digest: string, size: number): Promise<Readable> {
    return this.registry.blob(this.repository, digest, size);
  }

  close(): Promise<void> {
    return this.registry.close();
  }
}

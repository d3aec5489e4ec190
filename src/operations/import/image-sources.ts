/**
 * Where an import reads from. A source gives manifests (bytes, media type, verified digest)
 * and brings blobs into the target: a registry of this Wharf links the blob it already
 * stores (copy by reference, no bytes move); a registry reached by URI streams the blob
 * into the target's upload path, where its digest is checked before it becomes visible.
 */
import type { Readable } from 'node:stream';
import { digestOf, parseDigest } from '../../distribution/digest.js';
import type { MetadataStore, RepositoryRef } from '../../storage/metadata/store.js';
import { ImportFailure } from './import-errors.js';
import type { RemoteRegistry } from './remote-registry.js';

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
  blob(digest: string, target: RepositoryRef): Promise<'linked' | Readable>;
  close(): Promise<void>;
}

/** A registry of this Wharf, named by its ARM resource id. */
export class LocalSource implements ImageSource {
  readonly name: string;

  constructor(
    private readonly store: MetadataStore,
    private readonly ref: RepositoryRef,
  ) {
    this.name = `registry '${ref.registry}'`;
  }

  async manifest(reference: string): Promise<SourceManifest> {
    const record = await this.store.manifests.get(this.ref, reference);
    const image = `${this.ref.repository}${reference.includes(':') ? '@' : ':'}${reference}`;
    if (!record) throw ImportFailure.sourceImageNotFound(image, this.name);
    const gates = record.attributes;
    // A read-disabled repository, manifest or tag serves no pulls; an import is a pull.
    if (gates && (!gates.repository.readEnabled || !gates.manifest.readEnabled || gates.tag?.readEnabled === false)) {
      throw ImportFailure.invalid('SourceRegistryUnauthorized', `${image} in ${this.name} has readEnabled false and cannot be imported`);
    }
    return { digest: record.digest, content: record.content, mediaType: record.mediaType };
  }

  async blob(digest: string, target: RepositoryRef): Promise<'linked'> {
    if (!(await this.store.blobs.stat(this.ref, digest))) {
      throw ImportFailure.sourceImageNotFound(`blob ${digest} of ${this.ref.repository}`, this.name);
    }
    if (!(await this.store.blobs.link(target, digest))) {
      throw ImportFailure.sourceImageNotFound(`blob ${digest}`, this.name);
    }
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
      throw ImportFailure.digestMismatch(`the manifest ${this.repository}:${reference}`, expected, digest);
    }
    return { digest, content: fetched.content, mediaType: fetched.mediaType };
  }

  blob(digest: string): Promise<Readable> {
    return this.registry.blob(this.repository, digest);
  }

  close(): Promise<void> {
    return this.registry.close();
  }
}

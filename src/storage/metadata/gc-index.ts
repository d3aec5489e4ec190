/**
 * What garbage collection asks of the metadata store: candidates older than a cutoff, and
 * conditional removals that re-check, in the same statement or transaction, that nothing
 * came to reference the candidate meanwhile. The collector never lists blob storage.
 */
import type { RepositoryRef } from './refs.js';

export interface BlobLinkCandidate {
  repository: string;
  digest: string;
  size: number;
}

export interface ManifestCandidate {
  repository: string;
  digest: string;
  size: number;
}

export interface OrphanBlob {
  digest: string;
  size: number;
}

/** What the grace period keeps: unreferenced blobs too young to collect. */
export interface GraceKept {
  /** Distinct blobs with an unreferenced link in the registry, or orphaned, recorded at or after the cutoff. */
  blobs: number;
  /** When the youngest of them was recorded (ISO); null when none. */
  newestIso: string | null;
}

export interface GcIndex {
  /**
   * Blob links of the registry created before the cutoff that no manifest of their
   * repository lists (as config or layer), in (repository, digest) order after `after`.
   */
  unreferencedLinks(registry: string, cutoffIso: string, limit: number, after?: { repository: string; digest: string }): Promise<BlobLinkCandidate[]>;
  /** Removes the link unless a manifest of the repository now lists the blob. */
  unlinkIfUnreferenced(ref: RepositoryRef, digest: string): Promise<boolean>;
  /**
   * Manifests of the registry created before the cutoff with no tag, not listed by another
   * manifest of their repository (an index), and not a referrer of a manifest that exists.
   */
  untaggedManifests(registry: string, cutoffIso: string, limit: number): Promise<ManifestCandidate[]>;
  /** Deletes the manifest (and its references) if it is still such a candidate. */
  deleteIfUntagged(ref: RepositoryRef, digest: string): Promise<boolean>;
  /** Blobs that no repository of any registry links, recorded before the cutoff. */
  orphanBlobs(cutoffIso: string, limit: number, afterDigest?: string): Promise<OrphanBlob[]>;
  /**
   * The unreferenced blobs the cutoff spares: links of the registry no manifest lists, and
   * blobs no repository links, recorded at or after the cutoff (a dry run's "why 0").
   */
  keptByGrace(registry: string, cutoffIso: string): Promise<GraceKept>;
  /** Forgets the blob unless some repository links it again. */
  forgetIfOrphan(digest: string): Promise<boolean>;
  /** How many repositories (of any registry) link the blob. */
  linkCount(digest: string): Promise<number>;
  /** Which of these digests have a blob row (for checking stored files in batches). */
  recordedBlobs(digests: string[]): Promise<Set<string>>;
  /** Blobs that some repository of the registry links, in digest order after `afterDigest` (scrub). */
  registryBlobs(registry: string, limit: number, afterDigest?: string): Promise<OrphanBlob[]>;
}

/** What distribution handlers are given: the stores, the caller, and the registry/repository in scope. */
import type { FastifyRequest } from 'fastify';
import type { AccessEntry } from '../access/scopes.js';
import type { AuthTarget } from '../domain/host-routing.js';
import type { DataPlaneContext, DataPlaneHandler } from './data-plane-pipeline.js';
import type { BlobStore } from '../storage/blob/blob-store.js';
import type { MetadataStore, RegistryRecord } from '../storage/metadata/store.js';
import type { UploadSessions } from './upload-sessions.js';
import type { Metrics } from '../monitoring/metrics.js';

/** Where a blob GET is sent instead of being served here (dedicated data endpoints). */
export interface BlobRedirects {
  /** The URL to redirect to, or undefined when the registry serves its blobs itself. */
  locationFor(registry: RegistryRecord, digest: string, localPort: number): Promise<string | undefined>;
}

export interface DistributionServices {
  store: MetadataStore;
  blobStore: BlobStore;
  uploads: UploadSessions;
  metrics: Metrics;
  manifestMaxBytes: number;
  /** Absent where no data endpoints exist (bare stores in tools and tests). */
  blobRedirects?: BlobRedirects;
  /** Whether a cross-repository mount may read its source. */
  mounts: MountPermission;
}

/** Whether a caller allowed to push may also mount a blob from another repository. */
export interface MountPermission {
  /** DataPlaneAuth.mayMountFrom: the caller may pull at `source` (or gets a challenge for both scopes). */
  mayMountFrom(request: FastifyRequest, target: AuthTarget, required: AccessEntry, source: AccessEntry): Promise<boolean>;
  /** `auth.openAccess`: a mount without a valid source repository still looks everywhere. */
  openAccess: boolean;
}

export interface RouteParams {
  name?: string;
  reference?: string;
  digest?: string;
  uuid?: string;
}

/** What distribution handlers are given by the data-plane pipeline. */
export type HandlerContext = DataPlaneContext<DistributionServices, RouteParams>;

export type Handler = DataPlaneHandler<DistributionServices, RouteParams>;

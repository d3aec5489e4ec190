/** What distribution handlers are given: the stores, and the registry/repository in scope. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { BlobStore } from '../storage/blob/blob-store.js';
import type { MetadataStore, RegistryRecord, RepositoryRef } from '../storage/metadata/store.js';
import type { UploadSessions } from './upload-sessions.js';
import type { Metrics } from '../ops/metrics.js';

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
}

export interface RouteParams {
  name?: string;
  reference?: string;
  digest?: string;
  uuid?: string;
}

export interface HandlerContext {
  services: DistributionServices;
  registry: RegistryRecord;
  loginServer: string;
  /** Set for repository-scoped routes. */
  repo: RepositoryRef;
  params: RouteParams;
  query: URLSearchParams;
  request: FastifyRequest;
  reply: FastifyReply;
}

export type Handler = (ctx: HandlerContext) => Promise<unknown>;

/** What /acr/v1 handlers are given: the shared services and the registry/repository in scope. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { WharfServices } from '../server/services.js';
import type { RegistryRecord, RepositoryRef } from '../storage/metadata/store.js';
import type { ManifestDescriber } from './manifest-description.js';

export interface AcrParams {
  name?: string;
  reference?: string;
  digest?: string;
}

export interface AcrContext {
  services: WharfServices;
  describer: ManifestDescriber;
  registry: RegistryRecord;
  /** What responses call `registry`: the login server the client talks to. */
  loginServer: string;
  /** Set for repository-scoped routes. */
  repo: RepositoryRef;
  params: AcrParams;
  query: URLSearchParams;
  request: FastifyRequest;
  reply: FastifyReply;
}

export type AcrHandler = (ctx: AcrContext) => Promise<unknown>;

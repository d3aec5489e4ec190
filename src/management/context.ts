/**
 * What a management handler gets (the authenticated caller, its access check, the route's
 * params, the query, a JSON body reader) and what it gives back (status, body, headers): the
 * dispatcher in routes.ts does the HTTP around it.
 */
import type { FastifyRequest } from 'fastify';
import type { IdentityClaims } from '../identity/identity-plane.js';
import type { WharfServices } from '../server/services.js';
import type { AccessCheck } from './authorization.js';

export interface ManagementContext {
  services: WharfServices;
  request: FastifyRequest;
  /** Named parts of the route template, percent-decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** Who is calling, from the verified bearer token. */
  caller: IdentityClaims;
  access: AccessCheck;
  /** `https://<Host>`: the origin the client used, for links. */
  origin: string;
  /** The request body as a JSON object (400 InvalidRequestContent otherwise). */
  body(): Promise<Record<string, unknown>>;
}

export interface ManagementResult {
  status: number;
  /** Serialized as JSON; none for 204. */
  body?: unknown;
  headers?: Record<string, string>;
}

export type ManagementHandler = (context: ManagementContext) => Promise<ManagementResult>;

export const ok = (body: unknown): ManagementResult => ({ status: 200, body });
export const created = (body: unknown): ManagementResult => ({ status: 201, body });
export const noContent = (): ManagementResult => ({ status: 204 });
/** ARM's answer to a collection GET. */
export const collection = (value: unknown[]): ManagementResult => ({ status: 200, body: { value } });

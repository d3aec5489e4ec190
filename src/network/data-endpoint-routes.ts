/**
 * Dedicated data endpoints (`<registry>.<region>.data.<domain>`): the one route they serve,
 * GET/HEAD of a blob by a signed URL the login server handed out (data-endpoint-redirects.ts).
 * A data endpoint host answers nothing else, and the blob route answers on no other host, so
 * the login server's APIs and the data endpoints never overlap.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendBlob, type BlobServing } from '../distribution/blobs.js';
import { errors } from '../kernel/errors.js';
import type { MetadataStore } from '../storage/metadata/store.js';
import { registryRegions } from '../domain/data-endpoint-names.js';
import { digestOfDataPath, type DataUrlSigner } from './data-endpoint-urls.js';

const ROUTE_URL = '/docker/registry/v2/blobs/:alg/:prefix/:hex/data';
const ROUTE_PATTERN = /^\/docker\/registry\/v2\/blobs\/[^/]+\/[^/]+\/[^/]+\/data$/;

interface DataEndpointTarget {
  registry: string;
  region: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when the request arrived at a data endpoint host (by the pipeline's host resolution; the network gate reads it too). */
    dataEndpoint?: DataEndpointTarget;
  }
}

const invalidSignature = () => errors.signedUrlInvalid();

const dataEndpointsOff = (registry: string) => errors.noDataEndpoint(registry);

/** What the data endpoints use: the stores, the blob sender's metrics and the URL signer. */
export interface DataEndpointPlane extends BlobServing {
  store: MetadataStore;
  signer: Pick<DataUrlSigner, 'verify'>;
}

export function registerDataEndpointRoutes(app: FastifyInstance, plane: DataEndpointPlane): void {
  const { signer } = plane;

  // Everything but the blob route is 404 on a data endpoint host, including the paths other
  // planes register (/v2/, /oauth2/token, ARM, /metrics), before any of them runs.
  // Callback-style: every request passes here, and an async hook would cost each one a promise.
  app.addHook('onRequest', (request, _reply, done) => {
    // Recognized once, with the Host's registry (distribution/data-plane-pipeline.ts).
    if (!request.dataEndpoint) return done();
    const path = request.url.split('?')[0]!;
    if ((request.method !== 'GET' && request.method !== 'HEAD') || !ROUTE_PATTERN.test(path)) {
      return done(errors.routeNotFound(request.method, path));
    }
    done();
  });

  const serve = async (request: FastifyRequest, reply: FastifyReply) => {
    request.routeId = 'data-endpoint-blob';
    const target = request.dataEndpoint;
    const path = request.url.split('?')[0]!;
    // The login server's hosts do not serve data endpoint paths.
    if (!target) throw errors.routeNotFound(request.method, path);
    const { alg, prefix, hex } = request.params as { alg: string; prefix: string; hex: string };
    const digest = digestOfDataPath(alg, prefix, hex);
    if (!digest) throw errors.routeNotFound(request.method, path);
    const query = request.query as Record<string, string | string[] | undefined>;
    const one = (name: string) => (typeof query[name] === 'string' ? query[name] : undefined);
    // The URL names its registry, and must be used on that registry's host.
    if (one('r')?.toLowerCase() !== target.registry) throw invalidSignature();
    const check = signer.verify({ registry: target.registry, region: target.region, digest }, one('se'), one('sig'));
    if (!check.ok) {
      request.log.info({ registry: target.registry, region: target.region, digest, why: check.why }, 'data endpoint: signed URL refused');
      throw invalidSignature();
    }
    // A URL signed before the registry was deleted, or its data endpoints turned off, no longer works.
    const registry = await plane.store.registries.get(target.registry);
    if (!registry) throw dataEndpointsOff(target.registry);
    const settings = await plane.store.network.registrySettings(registry.name);
    if (!settings.dataEndpointEnabled) throw dataEndpointsOff(registry.name);
    const regions = registryRegions(registry, await plane.store.network.replications(registry.name));
    if (!regions.includes(target.region)) throw dataEndpointsOff(registry.name);
    const size = await plane.blobStore.stat(digest);
    if (size === undefined) throw errors.blobUnknown(digest);
    return sendBlob(plane, digest, size, request, reply);
  };

  app.route({ method: ['GET', 'HEAD'], url: ROUTE_URL, handler: serve });
}

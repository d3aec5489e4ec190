/** Operations endpoints: liveness, readiness (metadata and blob stores answer) and metrics. */
import type { FastifyInstance } from 'fastify';
import type { BlobStore } from '../storage/blob/blob-store.js';
import type { MetadataStore } from '../storage/metadata/store.js';
import type { Metrics } from './metrics.js';

export function registerOpsRoutes(app: FastifyInstance, deps: { store: MetadataStore; blobStore: BlobStore; metrics: Metrics }): void {
  app.get('/healthz', async (request, reply) => {
    request.routeId = 'healthz';
    return reply.send({ status: 'ok' });
  });
  app.get('/readyz', async (request, reply) => {
    request.routeId = 'readyz';
    const checks: Record<string, string> = {};
    let ready = true;
    for (const [name, check] of [
      ['metadata', () => deps.store.ping()],
      ['blobs', () => deps.blobStore.check()],
    ] as const) {
      try {
        await check();
        checks[name] = 'ok';
      } catch (error) {
        ready = false;
        checks[name] = (error as Error).message;
      }
    }
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks });
  });
  app.get('/metrics', async (request, reply) => {
    request.routeId = 'metrics';
    reply.header('Content-Type', deps.metrics.registry.contentType);
    return reply.send(await deps.metrics.registry.metrics());
  });
}

/** Operations endpoints: liveness, readiness (metadata and blob stores answer) and metrics. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { BlobStore } from '../storage/blob/blob-store.js';
import type { MetadataStore } from '../storage/metadata/store.js';
import type { Metrics } from './metrics.js';

export interface OpsRouteOptions {
  /**
   * Whether this listener serves /metrics, and who may read them: 'open' (the operations
   * listener), a guard run first (the main listener: the firewall), or false (not served here).
   */
  metrics: 'open' | false | ((request: FastifyRequest, reply: FastifyReply) => Promise<void>);
}

/** What the operations endpoints read. */
export interface OpsDeps {
  store: MetadataStore;
  blobStore: BlobStore;
  metrics: Metrics;
}

export function registerOpsRoutes(app: FastifyInstance, deps: OpsDeps, options: OpsRouteOptions = { metrics: 'open' }): void {
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
  if (options.metrics === false) return;
  const guard = options.metrics === 'open' ? undefined : options.metrics;
  app.get('/metrics', { ...(guard ? { onRequest: guard } : {}) }, async (request, reply) => {
    request.routeId = 'metrics';
    reply.header('Content-Type', deps.metrics.registry.contentType);
    return reply.send(await deps.metrics.registry.metrics());
  });
}

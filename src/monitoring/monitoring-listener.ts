/**
 * The operations listener (operations.listen): plain HTTP on its own address, serving only
 * /metrics, /healthz and /readyz, for a Prometheus or a load balancer on the operator's own
 * network. It has no registry routes, no firewall and no authentication: its address is the
 * access control, so it belongs on loopback or a management network.
 */
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { parseListenAddress } from '../kernel/config.js';
import type { BlobStore } from '../storage/blob/blob-store.js';
import type { MetadataStore } from '../storage/metadata/store.js';
import type { Metrics } from './metrics.js';
import { registerOpsRoutes } from './routes.js';

export interface OpsListener {
  url: string;
  close(): Promise<void>;
}

export async function startOpsListener(
  address: string,
  deps: { store: MetadataStore; blobStore: BlobStore; metrics: Metrics },
  logger: Logger,
): Promise<OpsListener> {
  const parsed = parseListenAddress(address);
  if (!parsed) throw new Error(`operations.listen: '${address}' is not host:port`);
  const app = Fastify({ loggerInstance: logger.child({ listener: 'operations' }), disableRequestLogging: true }) as unknown as FastifyInstance;
  registerOpsRoutes(app, deps, { metrics: 'open' });
  try {
    await app.listen({ host: parsed.host, port: parsed.port });
  } catch (error) {
    await app.close();
    throw new Error(`operations listener on ${address}: ${(error as Error).message}`);
  }
  const { port } = app.server.address() as AddressInfo;
  const host = parsed.host.includes(':') ? `[${parsed.host}]` : parsed.host;
  const url = `http://${host}:${port}`;
  logger.info({ url }, 'operations listener: /metrics, /healthz and /readyz');
  return { url, close: () => app.close() };
}

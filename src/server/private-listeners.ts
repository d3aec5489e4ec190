/**
 * Private endpoints' listeners: for every private endpoint in the store (any registry), an
 * extra HTTPS (or HTTP) server on the endpoint's address:port serving the same Fastify app, so
 * requests that arrive there are classified by their socket's local address. Nodes share the
 * database, so each node reconciles at start, every few seconds and when the management plane
 * asks. An address this host does not have (EADDRNOTAVAIL) or a port in use is reported by
 * `status()`, which the management plane shows as the endpoint's provisioning state.
 * Reconciling also keeps the certificate's names current (endpoint addresses, data endpoints).
 */
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { ListenerSettings } from './listener-settings.js';
import type { PrivateEndpointRecord } from '../storage/metadata/network-records.js';
import type { MetadataStore } from '../storage/metadata/store.js';
import type { SecureContextTarget, ServerCertificate } from '../kernel/tls.js';
import type { PrivateEndpointListeners } from '../network/contracts.js';

const RECONCILE_INTERVAL_MS = 5000;

interface ListenerStatus {
  listening: boolean;
  /** Why there is no listener (bind failure), in words. */
  error?: string;
  /** Set when the main listener (a wildcard address) already receives this endpoint's traffic. */
  via?: 'main';
}

interface ListenerLogger {
  info(object: Record<string, unknown>, message: string): void;
  warn(object: Record<string, unknown>, message: string): void;
}

interface PrivateListenerOptions {
  store: MetadataStore;
  /** The app's request handler (Fastify's `app.routing`). */
  handler: (request: IncomingMessage, response: ServerResponse) => void;
  /** The main listener: its address and port, and its server (to swap certificates into). */
  main: { host: string; port: number; server: unknown };
  /** Null over plain HTTP. */
  certificate: ServerCertificate | null;
  /** Every name the certificate must cover, given the current private endpoints. */
  certificateNames: (endpoints: PrivateEndpointRecord[]) => Promise<string[]>;
  logger: ListenerLogger;
  /** Same timeouts and connection limits as the main server. */
  listener: Pick<ListenerSettings, 'serverOptions' | 'configure' | 'answerClientError'>;
}

interface OpenListener {
  key: string;
  server: HttpServer;
}

const WILDCARDS = new Set(['0.0.0.0', '::', '']);

export class EndpointListeners implements PrivateEndpointListeners {
  private readonly open = new Map<string, OpenListener>();
  private readonly failures = new Map<string, string>();
  private readonly viaMain = new Set<string>();
  private running: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: PrivateListenerOptions) {
    if (options.certificate) options.certificate.attach(options.main.server as SecureContextTarget);
  }

  /** Reconciles now, then every `intervalMs` (other nodes' changes arrive through the database). */
  async start(intervalMs = RECONCILE_INTERVAL_MS): Promise<void> {
    await this.reconcile();
    this.timer = setInterval(() => {
      this.reconcile().catch((error: unknown) => this.options.logger.warn({ err: error }, 'private endpoints: reconcile failed'));
    }, intervalMs);
    this.timer.unref();
  }

  /** One reconcile at a time; a call made during one runs after it (it may see newer rows). */
  reconcile(): Promise<void> {
    const next = this.running.then(() => this.reconcileOnce());
    this.running = next.catch(() => undefined);
    return next;
  }

  status(endpointId: string): ListenerStatus {
    const id = endpointId.toLowerCase();
    if (this.open.has(id)) return { listening: true };
    if (this.viaMain.has(id)) return { listening: true, via: 'main' };
    const error = this.failures.get(id);
    // Not reconciled yet (created a moment ago, or on another node): no listener, but no failure either.
    return error === undefined ? { listening: false } : { listening: false, error };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await Promise.all([...this.open.keys()].map((id) => this.stop(id)));
  }

  private async reconcileOnce(): Promise<void> {
    if (this.closed) return;
    const endpoints = await this.options.store.network.privateEndpoints({});
    const { certificate } = this.options;
    if (certificate && certificate.update(await this.options.certificateNames(endpoints))) {
      this.options.logger.info({}, 'TLS: the server certificate was re-issued for new names and swapped in');
    }
    const wanted = new Map(endpoints.map((endpoint) => [endpoint.id.toLowerCase(), endpoint]));
    for (const [id, listener] of this.open) {
      const endpoint = wanted.get(id);
      if (!endpoint || listener.key !== keyOf(endpoint)) await this.stop(id);
    }
    for (const id of [...this.failures.keys(), ...this.viaMain]) {
      if (!wanted.has(id)) {
        this.failures.delete(id);
        this.viaMain.delete(id);
      }
    }
    for (const [id, endpoint] of wanted) {
      if (this.open.has(id) || this.closed) continue;
      const { main } = this.options;
      if (endpoint.port === main.port && (WILDCARDS.has(main.host) || main.host === endpoint.address)) {
        // The main listener already receives this address's traffic; the gate tells them apart by local address.
        this.viaMain.add(id);
        this.failures.delete(id);
        continue;
      }
      this.viaMain.delete(id);
      await this.listen(id, endpoint);
    }
  }

  private async listen(id: string, endpoint: PrivateEndpointRecord): Promise<void> {
    const { certificate, handler } = this.options;
    const server: HttpServer = certificate
      ? createHttpsServer({ key: certificate.material.key, cert: certificate.material.cert, ...this.options.listener.serverOptions }, handler)
      : createHttpServer(this.options.listener.serverOptions, handler);
    this.options.listener.configure(server);
    server.on('clientError', this.options.listener.answerClientError);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host: endpoint.address, port: endpoint.port }, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'ERROR';
      const why =
        code === 'EADDRNOTAVAIL'
          ? `cannot listen on ${endpoint.address}:${endpoint.port}: the address is not on this host (EADDRNOTAVAIL); use a subnet whose addresses this host has (for example 127.0.x.0/24 on loopback)`
          : code === 'EADDRINUSE'
            ? `cannot listen on ${endpoint.address}:${endpoint.port}: the port is in use on that address (EADDRINUSE)`
            : `cannot listen on ${endpoint.address}:${endpoint.port}: ${(error as Error).message}`;
      if (this.failures.get(id) !== why)
        this.options.logger.warn({ endpoint: endpoint.name, address: endpoint.address, port: endpoint.port, code }, `private endpoint: ${why}`);
      this.failures.set(id, why);
      return;
    }
    server.on('error', (error) => this.options.logger.warn({ err: error, endpoint: endpoint.name }, 'private endpoint listener error'));
    this.failures.delete(id);
    this.open.set(id, { key: keyOf(endpoint), server });
    if (certificate) certificate.attach(server as unknown as SecureContextTarget);
    this.options.logger.info(
      { endpoint: endpoint.name, registry: endpoint.registry, address: endpoint.address, port: endpoint.port },
      'private endpoint: listening',
    );
  }

  private async stop(id: string): Promise<void> {
    const listener = this.open.get(id);
    if (!listener) return;
    this.open.delete(id);
    this.options.certificate?.detach(listener.server as unknown as SecureContextTarget);
    const closed = new Promise<void>((resolve) => listener.server.close(() => resolve()));
    listener.server.closeIdleConnections();
    // In-flight requests finish; connections still open after a grace period are cut.
    const deadline = setTimeout(() => listener.server.closeAllConnections(), 5000);
    deadline.unref();
    await closed;
    clearTimeout(deadline);
  }
}

function keyOf(endpoint: PrivateEndpointRecord): string {
  return `${endpoint.address}:${endpoint.port}`;
}

/**
 * The HTTP application: Fastify with no body parsing (handlers stream request bodies
 * themselves), request ids, the common headers, metrics, and one error path that renders
 * every failure in the OCI error format.
 */
import { isStorageFull, registerStorageGuard } from '../kernel/storage-full.js';
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { type AcrPlane, registerAcrRoutes } from '../acr/routes.js';
import { type AuditHookDeps, registerAuditHook } from '../audit/audit-hook.js';
import { registerTokenRoutes, type TokenServer } from '../auth/token-routes.js';
import type { DistributionServices } from '../distribution/context.js';
import { registerDistributionRoutes } from '../distribution/routes.js';
import { registerIdentityRoutes, type IdentityRoutesDeps } from '../identity/identity-plane.js';
import type { ManagementServices } from '../management/context.js';
import { registerManagementRoutes } from '../management/routes.js';
import { registerDataEndpointRoutes, type DataEndpointPlane } from '../network/data-endpoint-routes.js';
import type { CachedNetworkGate } from '../network/gate.js';
import { registerNetworkGate } from '../network/gate-hook.js';
import type { Metrics } from '../monitoring/metrics.js';
import { registerOpsRoutes, type OpsDeps, type OpsRouteOptions } from '../monitoring/routes.js';
import { drainUnreadBody } from '../kernel/body.js';
import { BodyTooSlow, watchBody } from '../kernel/body-watch.js';
import type { WharfConfig } from '../kernel/config.js';
import { errors, RegistryError } from '../kernel/errors.js';
import { clientErrorOf, planeErrorBody, planeOf, requestIds } from './plane-errors.js';
import type { RegistryDirectory } from '../domain/host-routing.js';
import { registerHostResolution, type DataPlaneAuthorizer } from '../distribution/data-plane-pipeline.js';
import { localizedErrorBody } from '../audit/localized-error-body.js';
import type { ListenerSettings } from './listener-settings.js';
import type { StorageGuard } from '../kernel/storage-full.js';

/** A signed data-endpoint URL is a bearer credential for its lifetime: logs keep its path only. */
function withoutSignature(url: string): string {
  return url.includes('sig=') ? url.replace(/([?&]sig=)[^&]*/g, '$1REDACTED') : url;
}

/** What is drained of a refused body before answering; past that, the connection closes. */
const UNREAD_BODY_DRAIN = { maxBytes: 4 * 1024 * 1024, maxMs: 2000 };

/** Each plane with the narrow dependencies it uses, wired by the composition root (start.ts). */
export interface AppPlanes {
  ops: OpsDeps;
  /** /metrics on the main listener, open only to callers every registry's firewall allows; false when it moved to the operations listener. */
  metrics: OpsRouteOptions['metrics'];
  audit: AuditHookDeps;
  /** Host routing: the data-plane pipeline resolves each request's registry once (data-plane-pipeline.ts). */
  hosts: { directory: RegistryDirectory; domain: string };
  gate: { gate: CachedNetworkGate; settings: Pick<WharfConfig['network'], 'firewallHelpUrl'> };
  dataEndpoints: DataEndpointPlane;
  tokens: TokenServer;
  distribution: { services: DistributionServices; auth: DataPlaneAuthorizer };
  acr: AcrPlane;
  identity: IdentityRoutesDeps;
  management: ManagementServices;
}

interface AppOptions {
  logger: FastifyServerOptions['loggerInstance'];
  serverFactory?: FastifyServerOptions['serverFactory'];
  https?: { key: string; cert: string };
  /** Timeouts and connection limits (listener-settings.ts). */
  listener: ListenerSettings;
  /** request.ip is the client's: X-Forwarded-For counts only from these proxies (proxy-addr). */
  trustedProxies: string[];
  metrics: Metrics;
  /** Whether the disk is full (writes that add data are then refused with 507). */
  storage: StorageGuard;
  planes: AppPlanes;
}

/** Whether `log` writes info lines: the request line's fields are not even built when it doesn't (warn, the usual level). */
function logsInfo(log: FastifyBaseLogger): boolean {
  const pino = log as FastifyBaseLogger & { isLevelEnabled?: (level: string) => boolean };
  return pino.isLevelEnabled === undefined || pino.isLevelEnabled('info');
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { planes, metrics, storage } = options;
  const app = Fastify({
    loggerInstance: options.logger,
    // One line per request, written by the onResponse hook below.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    exposeHeadRoutes: false,
    requestIdHeader: false,
    genReqId: () => randomUUID(),
    // Uploads of large blobs may take long: no fixed total; bodies are watched for pace instead
    // (body-watch.ts), headers by the headers timeout (listener-settings.ts).
    requestTimeout: 0,
    connectionTimeout: 0,
    keepAliveTimeout: options.listener.keepAliveTimeoutMs,
    // Refusals of Node's HTTP parser (headers too large or too late, not HTTP) in the plane's error shape.
    clientErrorHandler: options.listener.answerClientError,
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 2048 },
    ...(options.https ? { https: { ...options.https, ...options.listener.serverOptions } } : { http: options.listener.serverOptions }),
    // request.ip is the client's: X-Forwarded-For counts only from the configured proxies (proxy-addr).
    trustProxy: options.trustedProxies.length > 0 ? options.trustedProxies : false,
    // Errors the framework raises before routing (a malformed URL) get the error shape of the plane the URL names.
    frameworkErrors: (error, request, reply: FastifyReply) => {
      const failure =
        (error as { code?: string }).code === 'FST_ERR_BAD_URL' ? errors.malformedUrl(request.url.slice(0, 300)) : errors.frameworkBadRequest(error.message);
      const body = localizedErrorBody(request, (language) => planeErrorBody(planeOf(request.url), failure, requestIds(request), language), failure.text);
      void reply.code(400).header('Content-Type', 'application/json; charset=utf-8').send(JSON.stringify(body));
    },
  }) as unknown as FastifyInstance;

  options.listener.configure(app.server);

  // Bodies are streamed by the handlers, never buffered by the framework.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));

  // The hooks every request runs are callback-style: an async hook costs a promise and a
  // microtask on every request even when, as here, nothing waits.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('X-Request-Id', request.id);
    // ACR's header: clients quote it, and it finds the request's audit rows.
    reply.header('x-ms-correlation-request-id', request.id);
    // The registry plane's header; the management and identity planes speak other APIs.
    if (request.url.startsWith('/v2') || request.url.startsWith('/oauth2/') || request.url.startsWith('/acr/')) {
      reply.header('Docker-Distribution-API-Version', 'registry/2.0');
    }
    reply.header('X-Content-Type-Options', 'nosniff');
    watchBody(request.raw, options.listener.bodyPace, (error) => {
      request.log.warn(
        { ...error.facts, method: request.method, url: withoutSignature(request.url), ip: request.socket.remoteAddress },
        `request cut: ${error.message}`,
      );
    });
    done();
  });
  // A body not read to its end (refused mid-stream as too large, or never read) leaves bytes on
  // the connection before its next request: they are drained, within bounds, or the connection
  // closes after this answer (else the next request on it would wait forever).
  app.addHook('onSend', (request, reply, payload, done) => {
    if (request.raw.complete) return done(null, payload);
    drainUnreadBody(request.raw, UNREAD_BODY_DRAIN).then(
      (drained) => {
        if (!drained) reply.header('Connection', 'close');
        done(null, payload);
      },
      (error: Error) => done(error),
    );
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeId ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    metrics.requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.duration.observe({ method: request.method, route }, seconds);
    if (logsInfo(request.log)) {
      request.log.info(
        { method: request.method, url: withoutSignature(request.url), route, status: reply.statusCode, ms: Math.round(reply.elapsedTime), ip: request.ip },
        'request',
      );
    }
    done();
  });

  app.setErrorHandler(async (error, request, reply) => {
    let registryError: RegistryError;
    // A RegistryError was raised on purpose, in the registry's format; anything else is rendered in the plane's.
    const plane = error instanceof RegistryError ? 'registry' : planeOf(request.url);
    const clientError = error instanceof RegistryError ? undefined : clientErrorOf(error, request);
    if (error instanceof RegistryError) {
      registryError = error;
    } else if (error instanceof BodyTooSlow) {
      // Logged when cut; answered where the connection still stands.
      registryError = errors.requestTimeout(error.why);
    } else if (isStorageFull(error)) {
      storage.reportFull(error, `${request.method} ${request.routeId ?? request.url}`);
      registryError = errors.storageFull();
    } else if (clientError) {
      registryError = clientError;
    } else if ((error as NodeJS.ErrnoException).code === 'ECONNRESET' || (error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') {
      // The client went away mid-body; nothing was acknowledged, nothing to answer.
      request.log.warn({ err: error }, 'client aborted the request');
      registryError = errors.clientAborted();
    } else {
      request.log.error({ err: error }, 'unhandled error');
      registryError = errors.internal(request.id);
    }
    // Headers a handler set for a success it did not reach would misdescribe the error body.
    for (const name of ['content-length', 'content-range', 'docker-content-digest', 'etag']) reply.removeHeader(name);
    for (const [name, value] of Object.entries(registryError.headers)) reply.header(name, value);
    reply.header('Content-Type', 'application/json; charset=utf-8');
    return reply
      .code(registryError.status)
      .send(JSON.stringify(localizedErrorBody(request, (language) => planeErrorBody(plane, registryError, requestIds(request), language), registryError.text)));
  });
  app.setNotFoundHandler(async (request, reply) => {
    const error = errors.routeNotFound(request.method, request.url.split('?')[0]!);
    reply.header('Content-Type', 'application/json; charset=utf-8');
    return reply.code(404).send(JSON.stringify(localizedErrorBody(request, (language) => error.toBody(language), error.text)));
  });

  // /metrics moves to the operations listener when there is one; here it obeys the firewall.
  registerOpsRoutes(app, planes.ops, { metrics: planes.metrics });
  registerAuditHook(app, planes.audit);
  // The data plane's pipeline (data-plane-pipeline.ts): the Host's registry, resolved once; then
  // the network gate, before authentication and every data-plane route; then each route's
  // declared needs, authorized by the dispatcher of its table, before its handler.
  registerHostResolution(app, planes.hosts.directory, planes.hosts.domain);
  registerNetworkGate(app, planes.gate.settings, planes.gate.gate);
  registerStorageGuard(app, storage);
  registerDataEndpointRoutes(app, planes.dataEndpoints);
  registerTokenRoutes(app, planes.tokens);
  registerDistributionRoutes(app, planes.distribution.services, planes.distribution.auth);
  registerAcrRoutes(app, planes.acr);
  registerIdentityRoutes(app, planes.identity);
  registerManagementRoutes(app, planes.management);
  await app.ready();
  return app;
}

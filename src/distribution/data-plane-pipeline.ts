/**
 * The registry data plane's request pipeline, declared in one place. In order:
 *
 * 1. `registerHostResolution` (an onRequest hook, before the network gate): the registry the
 *    Host names, resolved once per request and kept as `request.registryTarget`. A data
 *    endpoint host (`<registry>.<region>.data.<domain>`) is kept as `request.dataEndpoint`, with
 *    its registry as the target (its rules apply to the signed blob URLs served there).
 * 2. The network gate ([network/gate-hook.ts]) judges the request by that registry.
 * 3. `dataPlaneDispatcher` (the handler of `/v2` and `/acr/v1`): decodes the path, matches the
 *    plane's route table, authenticates and authorizes against what the route declares it needs
 *    (`DataPlaneAuth.authorize`), then
 * 4. runs the route's handler with `{principal, registry, repo}` and the plane's services.
 *
 * The token endpoints (auth/token-routes.ts) take steps 1 and 2 and authenticate themselves.
 * docs/architecture.md ("A request's path") walks through it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccessEntry, RepositoryAction } from '../access/scopes.js';
import { auditOf, type RepositoryOperation } from '../audit/request-audit.js';
import type { Principal } from '../access/principal.js';
import type { RegistryRecord, RepositoryRef } from '../storage/metadata/store.js';
import { checkRepositoryName } from './names.js';
import { distributionMessages } from './distribution-messages.js';
import { localize } from '../i18n/localized.js';
import { parseDataEndpointHost } from '../domain/data-endpoint-names.js';
import { errors, type RegistryError } from '../kernel/errors.js';
import { stripPort, type RegistryDirectory, type ResolvedRegistry } from '../domain/host-routing.js';
import { decodeUrl, matchRoute, rawPathOf, type DecodedUrl, type NamedRoute } from '../kernel/url-path.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The registry this data-plane request is for, resolved once from its Host (or its data
     * endpoint host); undefined off the data plane or when no registry answers at the Host.
     */
    registryTarget?: ResolvedRegistry;
    /** The route of a plane's table that matched, for metrics and logs. */
    routeId?: string;
  }
}

/**
 * The routes of the registry data plane, whose Host names a registry and which the network gate
 * judges; management, identity, /metrics and /readyz serve any Host and are not gated. Judged by
 * the matched route, never by the raw URL: the router decodes percent-escapes (`/%762/…` is
 * `/v2/…`) and drops an absolute-form request line's scheme and host.
 */
const DATA_PLANE_ROUTES = new Set(['/v2', '/v2/*', '/acr/v1', '/acr/v1/*', '/oauth2/token', '/oauth2/exchange']);

function isDataPlaneRoute(request: FastifyRequest): boolean {
  const route = request.routeOptions.url;
  return route !== undefined && DATA_PLANE_ROUTES.has(route);
}

/** Resolves the Host once per request (step 1), before the network gate reads the result. */
export function registerHostResolution(app: FastifyInstance, directory: RegistryDirectory, domain: string): void {
  const dataSuffix = `.data.${domain}`;
  // Callback style: on a fresh directory (the usual case) this costs no promise.
  app.addHook('onRequest', (request, _reply, done) => {
    const host = request.headers.host;
    let lookup = host;
    const hostname = host === undefined ? '' : stripPort(host.toLowerCase());
    const dataEndpoint = hostname.endsWith(dataSuffix) ? parseDataEndpointHost(hostname, domain) : undefined;
    if (dataEndpoint !== undefined) {
      request.dataEndpoint = dataEndpoint;
      lookup = `${dataEndpoint.registry}.${domain}`;
    } else if (!isDataPlaneRoute(request)) {
      // The management and identity planes serve every Host.
      return done();
    }
    const now = directory.resolveNow(lookup);
    if (now !== null) {
      request.registryTarget = now;
      return done();
    }
    directory.resolve(lookup).then((resolved) => {
      request.registryTarget = resolved;
      done();
    }, done);
  });
}

function malformedPath(rawUrl: string): RegistryError {
  return errors.badRequest(localize(distributionMessages, 'pathEncoding', { path: rawPathOf(rawUrl) }));
}

/** Splits the raw URL, decoding each path segment (so `a%2Fb` names the repository `a/b`). */
export function decodePath(rawUrl: string): DecodedUrl {
  const decoded = decodeUrl(rawUrl);
  if (!decoded) throw malformedPath(rawUrl);
  return decoded;
}

/** 405 naming the methods the path does support. */
export function methodNotAllowed(method: string, path: string, methods: object): RegistryError {
  return errors.methodNotSupported(method, path, Object.keys(methods));
}

export const DATA_PLANE_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** What a data-plane route runs for one method, and what it needs. */
export interface DataPlaneOperation<Handler> {
  handler: Handler;
  /** The action needed on the repository, or the catalog; none: only authentication (GET /v2/). */
  needs?: RepositoryAction | 'catalog';
  /** ACR logs these as repository events: described before anything can fail, so a refusal is recorded as what it tried. */
  audit?: RepositoryOperation;
  /** Scopes a refusal's challenge asks for besides `needs` (a mount's source), so a token client gets one token for all the request can use. */
  alsoChallenge?: (query: URLSearchParams) => AccessEntry[];
}

export type DataPlaneRoute<Handler> = NamedRoute<DataPlaneOperation<Handler>>;

/** The scope a route's declared need means, in the token server's terms; null when it needs none. */
function requiredAccess(needs: RepositoryAction | 'catalog' | undefined, repository: string): AccessEntry | null {
  if (!needs) return null;
  if (needs === 'catalog') return { type: 'registry', name: 'catalog', actions: ['*'] };
  return { type: 'repository', name: repository, actions: [needs] };
}

/** What a data-plane handler is given (step 4): the plane's services and what the pipeline established. */
export interface DataPlaneContext<Services, Params = Record<string, string>> {
  services: Services;
  /** Who authenticated, allowed what the route declares it needs. */
  principal: Principal;
  registry: RegistryRecord;
  /** What responses call the registry: the login server the client talks to. */
  loginServer: string;
  /** The repository in scope (`repository` is '' for routes without one: the catalog, GET /v2/). */
  repo: RepositoryRef;
  /** The scope the route needed (null: none). */
  required: AccessEntry | null;
  params: Params;
  query: URLSearchParams;
  request: FastifyRequest;
  reply: FastifyReply;
}

export type DataPlaneHandler<Services, Params = Record<string, string>> = (ctx: DataPlaneContext<Services, Params>) => Promise<unknown>;

/** The one call into authentication and authorization the pipeline makes (auth/data-plane-auth.ts). */
export interface DataPlaneAuthorizer {
  authorize(request: FastifyRequest, target: ResolvedRegistry, required: AccessEntry | null, alsoChallenge?: AccessEntry[]): Promise<Principal>;
}

/**
 * Steps 3 and 4 for one plane's route table, whose handlers get `services`. Misses are the
 * registry's errors (404, 405, 400 for bad encoding).
 */
export function dataPlaneDispatcher<Services, Params>(
  routes: readonly DataPlaneRoute<DataPlaneHandler<Services, Params>>[],
  auth: DataPlaneAuthorizer,
  services: Services,
): (request: FastifyRequest, reply: FastifyReply) => Promise<unknown> {
  return async (request, reply) => {
    const decoded = decodeUrl(request.url);
    if (!decoded) throw malformedPath(request.url);
    const { path, query } = decoded;
    const found = matchRoute(routes, request.method, path);
    if (!found) throw errors.routeNotFound(request.method, path);
    const operation = found.operation;
    if (!operation) throw methodNotAllowed(request.method, path, found.route.methods);
    const params = found.params;
    request.routeId = found.route.id;
    if (operation.audit) {
      auditOf(request).repository = { operationName: operation.audit, repository: params.name ?? '', tag: params.reference ?? null, digest: null };
    }
    const target = request.registryTarget;
    if (!target) throw errors.unknownHost(request.headers.host ?? '');
    const repository = params.name !== undefined ? checkRepositoryName(params.name) : '';
    const required = requiredAccess(operation.needs, repository);
    const principal = await auth.authorize(request, target, required, operation.alsoChallenge?.(query));
    const registry = target.registry;
    return operation.handler({
      services,
      principal,
      registry,
      loginServer: target.loginServer,
      repo: { registry: registry.name, repository },
      required,
      params: params as Params,
      query,
      request,
      reply,
    });
  };
}

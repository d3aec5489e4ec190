/**
 * The management plane: an ARM-compatible API (`/subscriptions/…`, `/providers/Microsoft.…`)
 * and a Microsoft Graph v1.0 subset for identities (`/v1.0/…`), on any Host. One dispatcher
 * decodes the path, finds the route in the table (one module per resource type), checks
 * api-version (ARM only) and the bearer token, checks what the route declares it needs
 * (authorization.ts for ARM's, graph/graph-access.ts for Graph's), runs the handler and renders
 * its result, or its failure in ARM's (or Graph's) error shape. Every route declares what it needs.
 */
import { addsManagementData, isStorageFull } from '../kernel/storage-full.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { localizedErrorBody } from '../audit/localized-error-body.js';
import { checkApiVersion } from './api-versions.js';
import { ArmError, armErrors } from '../kernel/arm-errors.js';
import { decodeUrl, matchRoute, rawPathOf, type DecodedUrl } from '../kernel/url-path.js';
import { authenticate } from './authentication.js';
import { AccessCheck, authorizeRoute } from './authorization.js';
import type { ManagementContext, ManagementResult, ManagementServices } from './context.js';
import { authorizeDirectoryRoute } from './graph/graph-access.js';
import { graphErrorBody } from './graph/graph-errors.js';
import { graphRoutes } from './graph/graph-routes.js';
import { readJsonObject, type JsonObject } from '../kernel/json-body.js';
import { networkWhatIfRoutes } from './network/network-what-if.js';
import { privateEndpointConnectionRoutes } from './network/private-endpoint-connections.js';
import { privateEndpointRoutes } from './network/private-endpoints.js';
import { providerRoutes } from './network/providers.js';
import { replicationRoutes } from './network/replications.js';
import { subscriptionAliasRoutes } from './network/subscription-aliases.js';
import { trustedServiceRoutes } from './network/trusted-services.js';
import { virtualNetworkRoutes } from './network/virtual-networks.js';
import { adminCredentialRoutes } from './resources/admin-credentials.js';
import { auditEventRoutes } from './resources/audit-events.js';
import { diagnoseRoutes } from './resources/diagnose.js';
import { managedIdentityRoutes } from './resources/managed-identities.js';
import { operationRoutes } from './resources/operations.js';
import { registryRoutes } from './resources/registries.js';
import { registryOperationRoutes } from './resources/registry-operations.js';
import { roleAssignmentRoutes } from './resources/role-assignments.js';
import { roleDefinitionRoutes } from './resources/role-definitions.js';
import { scopeMapRoutes } from './resources/scope-maps.js';
import { signingKeyRoutes } from './resources/signing-keys.js';
import { subscriptionRoutes } from './resources/subscriptions.js';
import { tokenRoutes } from './resources/tokens.js';
import { compileRoutes, HTTP_METHODS, isDirectoryNeed, type CompiledRoute, type Plane, type RouteNeed } from './route-table.js';

export const ARM_ROUTES = compileRoutes('arm', [
  ...subscriptionRoutes,
  ...registryRoutes,
  ...adminCredentialRoutes,
  ...registryOperationRoutes,
  ...scopeMapRoutes,
  ...tokenRoutes,
  ...auditEventRoutes,
  ...diagnoseRoutes,
  ...roleAssignmentRoutes,
  ...roleDefinitionRoutes,
  ...managedIdentityRoutes,
  ...operationRoutes,
  ...signingKeyRoutes,
  ...networkWhatIfRoutes,
  ...privateEndpointConnectionRoutes,
  ...replicationRoutes,
  ...virtualNetworkRoutes,
  ...privateEndpointRoutes,
  ...trustedServiceRoutes,
  ...subscriptionAliasRoutes,
  // Last: `{providerNamespace}` would match any namespace the routes above name literally.
  ...providerRoutes,
]);
export const GRAPH_ROUTES = compileRoutes('graph', graphRoutes);

/** Path (each segment percent-decoded) and query of a raw request URL. */
function splitUrl(rawUrl: string): DecodedUrl {
  const decoded = decodeUrl(rawUrl);
  if (!decoded) throw armErrors.malformedPath(rawPathOf(rawUrl));
  return decoded;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function send(reply: FastifyReply, request: FastifyRequest, result: ManagementResult): FastifyReply {
  for (const [name, value] of Object.entries(result.headers ?? {})) reply.header(name, value);
  reply.code(result.status);
  if (result.body === undefined || request.method === 'HEAD') return reply.send();
  return reply.header('Content-Type', 'application/json; charset=utf-8').send(JSON.stringify(result.body));
}

function sendError(reply: FastifyReply, request: FastifyRequest, plane: Plane, error: ArmError): FastifyReply {
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  const body = localizedErrorBody(
    request,
    (language) => (plane === 'graph' ? graphErrorBody(error, request.id, firstHeader(request.headers['client-request-id']), language) : error.toBody(language)),
    error.text,
  );
  return send(reply, request, { status: error.status, body });
}

async function dispatch(services: ManagementServices, routes: CompiledRoute<RouteNeed>[], plane: Plane, request: FastifyRequest): Promise<ManagementResult> {
  const { path, query } = splitUrl(request.url);
  const match = matchRoute(routes, request.method, path);
  if (!match) throw armErrors.noRoute(request.method, path);
  request.routeId = `management.${match.route.id}`;
  const operation = match.operation;
  if (!operation) throw armErrors.methodNotAllowed(request.method, path, Object.keys(match.route.methods));
  if (plane === 'arm' && !query.get('api-version')) throw armErrors.missingApiVersion();
  if (plane === 'arm') checkApiVersion(path, query.get('api-version')!);

  const origin = `${services.config.http ? 'http' : 'https'}://${request.headers.host ?? `${services.config.host}:${services.config.port}`}`;
  const caller = await authenticate(services, request, plane, origin);
  if (addsManagementData(request.method, path) && services.storage?.full) throw armErrors.insufficientStorage();
  let body: Promise<JsonObject> | undefined;
  const context: ManagementContext = {
    services,
    request,
    params: match.params,
    query,
    caller,
    access: new AccessCheck(services.store, caller),
    origin,
    body: () => (body ??= readJsonObject(request)),
  };
  // What the route declares it needs, checked before its handler runs.
  const { needs } = operation;
  if (needs) await (isDirectoryNeed(needs) ? authorizeDirectoryRoute(context, needs) : authorizeRoute(context, needs));
  return operation.handler(context);
}

export function registerManagementRoutes(app: FastifyInstance, services: ManagementServices): void {
  const handle = (plane: Plane, routes: CompiledRoute<RouteNeed>[]) => async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header('x-ms-request-id', request.id);
    const clientRequestId = firstHeader(request.headers['x-ms-client-request-id']);
    if (clientRequestId) reply.header('x-ms-client-request-id', clientRequestId.slice(0, 256));
    try {
      return send(reply, request, await dispatch(services, routes, plane, request));
    } catch (error) {
      if (error instanceof ArmError) return sendError(reply, request, plane, error);
      if (isStorageFull(error)) {
        services.storage?.reportFull(error, `${request.method} ${request.routeId ?? request.url}`);
        return sendError(reply, request, plane, armErrors.insufficientStorage());
      }
      request.log.error({ err: error }, 'management request failed');
      return sendError(reply, request, plane, armErrors.internal(request.id));
    }
  };
  const arm = handle('arm', ARM_ROUTES);
  for (const url of ['/subscriptions', '/subscriptions/*', '/providers/*']) app.route({ method: HTTP_METHODS, url, handler: arm });
  app.route({ method: HTTP_METHODS, url: '/v1.0/*', handler: handle('graph', GRAPH_ROUTES) });
}

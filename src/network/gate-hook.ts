/**
 * The network gate on the request path: one onRequest hook, before authentication, for the
 * registry data plane (/v2, /oauth2/token, /oauth2/exchange, /acr/) and every request to a
 * data endpoint host. An allowed request costs a directory lookup, a Map lookup and a compiled
 * match. A denial is ACR's 403 plus a 'Network' login event; a bypassable denial of a request
 * with credentials waits for authentication (settleBypass) to see whether a trusted service
 * is calling.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { stripPort } from '../server/host-routing.js';
import type { WharfServices } from '../server/services.js';
import { requestLanguage } from '../kernel/request-language.js';
import { parseDataEndpointHost } from './data-endpoint-names.js';
import { auditNetworkDenial, NETWORK_DECISION_HEADER, NetworkDenied, ruleKindOf } from './denial.js';
import type { CachedNetworkGate } from './gate.js';

/**
 * The routes of the registry data plane; management, identity, /metrics and /readyz are not
 * gated. Judged by the matched route, never by the raw URL: the router decodes percent-escapes
 * (`/%762/…` is `/v2/…`) and drops an absolute-form request line's scheme and host.
 */
const DATA_PLANE_ROUTES = new Set(['/v2', '/v2/*', '/acr/v1', '/acr/v1/*', '/oauth2/token', '/oauth2/exchange']);

export function isDataPlaneRoute(request: FastifyRequest): boolean {
  const route = request.routeOptions.url;
  return route !== undefined && DATA_PLANE_ROUTES.has(route);
}

/** `GET /v2/`, the version check, however it was spelled. */
function isVersionCheck(request: FastifyRequest): boolean {
  const route = request.routeOptions.url;
  return route === '/v2' || (route === '/v2/*' && (request.params as Record<string, string | undefined>)['*'] === '');
}

/** Credentials the token server or the registry APIs will check (a POST to the token endpoints carries them in its body). */
function carriesCredentials(request: FastifyRequest): boolean {
  if (request.headers.authorization) return true;
  const route = request.routeOptions.url;
  return request.method === 'POST' && (route === '/oauth2/token' || route === '/oauth2/exchange');
}

/**
 * Denied requests without credentials that get the 403 even when a trusted service might pass:
 * the version check (`GET /v2/`, which az, check-health, docker, podman and skopeo make first
 * and read as "firewall") and the token endpoints. Other requests without credentials go on to
 * their 401 challenge, so a client that authenticates only when challenged (the Azure SDKs) can
 * present a trusted service's identity; a client that presents none is then refused with the 403
 * by the token endpoint. With bypass None every denied request gets the 403 at once.
 */
function refusedAtOnce(request: FastifyRequest): boolean {
  if (carriesCredentials(request)) return false;
  return isVersionCheck(request) || (request.routeOptions.url ?? '').startsWith('/oauth2/');
}

const JSON_TYPE = 'application/json; charset=utf-8';

export function registerNetworkGate(app: FastifyInstance, services: WharfServices, gate: CachedNetworkGate): void {
  const domain = services.config.domain;
  const dataSuffix = `.data.${domain}`;
  const helpUrl = services.config.network.firewallHelpUrl;

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const host = request.headers.host;
    const hostname = host === undefined ? '' : stripPort(host.toLowerCase());
    const dataEndpoint = hostname.endsWith(dataSuffix) ? parseDataEndpointHost(hostname, domain) : undefined;
    let target;
    if (dataEndpoint !== undefined) target = await services.directory.resolve(`${dataEndpoint.registry}.${domain}`);
    else if (isDataPlaneRoute(request)) target = await services.directory.resolve(host);
    // Not the data plane, or no registry here: the routes answer (404, unknown host).
    if (target === undefined) return;
    const clientIp = request.ip;
    const socket = request.socket;
    const name = target.registry.name;
    const decision =
      gate.decideNow(name, clientIp, socket.localAddress, socket.localPort) ?? (await gate.decide(name, clientIp, socket.localAddress, socket.localPort));
    request.networkDecision = decision;
    if (decision.allowed) return;
    // Only routes that authenticate can settle a bypass; a data endpoint's signed URL is no identity.
    if (decision.bypassable && dataEndpoint === undefined && !refusedAtOnce(request)) {
      request.networkBypass = { decision, clientIp, helpUrl, gate, anonymous: !carriesCredentials(request) };
      return;
    }
    auditNetworkDenial(request, decision.reason, { registry: target.registry.name, loginServer: target.loginServer });
    reply.code(403).header('Content-Type', JSON_TYPE).header(NETWORK_DECISION_HEADER, ruleKindOf(decision.rule));
    return reply.send(JSON.stringify(new NetworkDenied(clientIp, helpUrl).toBody(requestLanguage(request))));
  });

  // Defence in depth: a pending bypass that no authentication settled never yields a success.
  app.addHook('onSend', async (request, reply, payload) => {
    const pending = request.networkBypass;
    if (pending === undefined || reply.statusCode >= 400) return payload;
    request.networkBypass = undefined;
    request.log.error({ route: request.routeOptions.url }, 'network gate: a bypassable denial reached a response without authentication; refused');
    if (payload !== null && typeof payload === 'object' && 'destroy' in payload && typeof payload.destroy === 'function') payload.destroy();
    auditNetworkDenial(request, pending.decision.reason);
    reply.code(403).header('Content-Type', JSON_TYPE).header(NETWORK_DECISION_HEADER, ruleKindOf(pending.decision.rule)).removeHeader('content-length');
    return JSON.stringify(new NetworkDenied(pending.clientIp, helpUrl).toBody(requestLanguage(request)));
  });
}

/**
 * The network gate on the request path: one onRequest hook, before authentication, for the
 * registry data plane (/v2, /oauth2/token, /oauth2/exchange, /acr/) and every request to a
 * data endpoint host, judged by the registry the pipeline resolved from the Host. An allowed
 * request costs a Map lookup and a compiled match. A denial is ACR's 403 plus a 'Network' login
 * event; a bypassable denial of a request with credentials is left on the request as a value for
 * authentication to settle (network/bypass.ts settleNetwork), which knows whether a trusted
 * service is calling.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { GateDecision } from './contracts.js';
import type { ResolvedRegistry } from '../domain/host-routing.js';
import type { WharfConfig } from '../kernel/config.js';
import { renderRefusal } from './refusal.js';
import { bypassUnsettled } from './bypass.js';
import { gateRefusal, recordNetworkDenial } from './denial.js';
import { requestLanguage } from '../kernel/request-language.js';
import type { CachedNetworkGate } from './gate.js';

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

export function registerNetworkGate(app: FastifyInstance, settings: Pick<WharfConfig['network'], 'firewallHelpUrl'>, gate: CachedNetworkGate): void {
  const helpUrl = settings.firewallHelpUrl;

  /** Keeps the decision with the request; refuses here unless it is allowed or a trusted service may still lift it. */
  const settle = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction, target: ResolvedRegistry, decision: GateDecision): void => {
    request.networkDecision = decision;
    if (decision.allowed) return done();
    const clientIp = request.ip;
    // Only routes that authenticate can settle a bypass; a data endpoint's signed URL is no identity.
    if (decision.bypassable && request.dataEndpoint === undefined && !refusedAtOnce(request)) {
      request.bypassableDenial = { decision, clientIp, helpUrl, services: gate, anonymous: !carriesCredentials(request) };
      return done();
    }
    const refusal = gateRefusal(decision);
    recordNetworkDenial(request, refusal, { registry: target.registry.name, loginServer: target.loginServer });
    const error = renderRefusal(refusal, { protocol: 'network', clientIp, helpUrl });
    // Answered here: a callback-style hook that sends does not call done.
    void reply
      .code(error.status)
      .header('Content-Type', JSON_TYPE)
      .headers(error.headers)
      .send(JSON.stringify(error.toBody(requestLanguage(request))));
  };

  // Callback-style: with the registry's rules cached (the usual case) the decision costs no promise.
  app.addHook('onRequest', (request, reply, done) => {
    // The pipeline resolved the Host once, before this hook (distribution/data-plane-pipeline.ts).
    const target = request.registryTarget;
    // Not the data plane, or no registry here: the routes answer (404, unknown host).
    if (target === undefined) return done();
    const clientIp = request.ip;
    const socket = request.socket;
    const name = target.registry.name;
    const now = gate.decideNow(name, clientIp, socket.localAddress, socket.localPort);
    if (now !== undefined) return settle(request, reply, done, target, now);
    gate
      .decide(name, clientIp, socket.localAddress, socket.localPort)
      .then((decision) => settle(request, reply, done, target, decision))
      .catch(done);
  });

  // Defence in depth: a bypassable denial that no trusted service lifted never yields a success.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (request.bypassableDenial === undefined || reply.statusCode >= 400) return done(null, payload);
    const pending = bypassUnsettled(request);
    if (pending === undefined) return done(null, payload);
    request.log.error({ route: request.routeOptions.url }, 'network gate: a bypassable denial reached a response without authentication; refused');
    if (payload !== null && typeof payload === 'object' && 'destroy' in payload && typeof payload.destroy === 'function') payload.destroy();
    const refusal = gateRefusal(pending.decision);
    recordNetworkDenial(request, refusal);
    const error = renderRefusal(refusal, { protocol: 'network', clientIp: pending.clientIp, helpUrl });
    reply.code(error.status).header('Content-Type', JSON_TYPE).headers(error.headers).removeHeader('content-length');
    done(null, JSON.stringify(error.toBody(requestLanguage(request))));
  });
}

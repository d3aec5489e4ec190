/**
 * /metrics on the main listener answers only callers that every registry's firewall allows:
 * the figures cover all registries, so a caller a registry shuts out must not read them there.
 * The refusal is the firewall's own 403. (A separate operations listener, operations.listen,
 * serves them to whoever can reach its address, which is the operator's to choose.)
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CachedNetworkGate } from '../network/gate.js';
import { NetworkDenied } from '../network/denial.js';
import { requestLanguage } from '../kernel/request-language.js';
import type { MetadataStore } from '../storage/metadata/store.js';

interface MetricsGateDeps {
  gate: CachedNetworkGate;
  store: MetadataStore;
  helpUrl: string;
}

export function metricsGate(deps: MetricsGateDeps): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async (request, reply) => {
    const { localAddress, localPort } = request.socket;
    for (const registry of await deps.store.registries.list()) {
      const decision =
        deps.gate.decideNow(registry.name, request.ip, localAddress, localPort) ?? (await deps.gate.decide(registry.name, request.ip, localAddress, localPort));
      if (decision.allowed) continue;
      request.log.warn({ ip: request.ip, registry: registry.name, rule: decision.rule }, 'metrics refused: the registry firewall denies the caller');
      await reply
        .code(403)
        .header('Content-Type', 'application/json; charset=utf-8')
        .send(JSON.stringify(new NetworkDenied(request.ip, deps.helpUrl).toBody(requestLanguage(request))));
      return;
    }
  };
}

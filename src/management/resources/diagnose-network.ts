/**
 * Diagnose, stage 1: the network gate replayed for a client address and the listener the
 * request arrived at, by the gate itself (`CachedNetworkGate.decide`, the request path's
 * decision, private endpoints included), and a bypassable denial settled for a trusted service
 * the way authentication settles it (`trustedService`). Adds the fix for a denial.
 */
import type { Principal } from '../../access/principal.js';
import { reason } from '../../access/decision.js';
import { principalReason } from '../../access/reasons.js';
import type { GateDecision } from '../../network/contracts.js';
import { CachedNetworkGate } from '../../network/gate.js';
import { clientIpv4, displayAddress, parseCidr } from '../../kernel/ipv4.js';
import { gateDecision, hasRegistryServiceEndpoint } from '../../network/policy.js';
import type { PrivateEndpointRecord } from '../../storage/metadata/network-records.js';
import type { RegistryRecord } from '../../storage/metadata/store.js';
import type { DiagnoseFix, DiagnoseStageResult } from './diagnose-types.js';
import type { ManagementServices } from '../context.js';

/** What this module uses of the management plane's services (context.ts): nothing else is in reach. */
type HandlerServices = Pick<ManagementServices, 'network' | 'store'>;

export interface Listener {
  address: string;
  port: number;
}

/** `address:port` → its parts; undefined when it is not that shape. */
export function parseListener(text: string): Listener | undefined {
  const match = /^\[?([0-9A-Fa-f:.]+?)\]?:(\d{1,5})$/.exec(text.trim());
  if (!match || Number(match[2]) > 65535) return undefined;
  return { address: match[1]!, port: Number(match[2]) };
}

const ENTRA_KINDS = new Set(['ServicePrincipal', 'ManagedIdentity', 'User']);

/** The subnet of one of the registry's rules that holds the address but lacks the service endpoint. */
async function inertSubnetHolding(services: HandlerServices, registry: string, ip: string) {
  const address = clientIpv4(ip);
  if (address === undefined) return undefined;
  const settings = await services.store.network.registrySettings(registry);
  const ruled = new Set(settings.virtualNetworkRules.map((id) => id.toLowerCase()));
  for (const subnet of await services.store.network.allSubnets()) {
    if (!ruled.has(subnet.id.toLowerCase()) || hasRegistryServiceEndpoint(subnet)) continue;
    for (const prefix of subnet.addressPrefixes) {
      const parsed = parseCidr(prefix);
      if (parsed.ok && address >= parsed.range.start && address <= parsed.range.end) return subnet;
    }
  }
  return undefined;
}

async function fixOf(
  services: HandlerServices,
  registry: RegistryRecord,
  ip: string,
  decision: GateDecision,
  endpoint: PrivateEndpointRecord | undefined,
): Promise<DiagnoseFix | undefined> {
  if (decision.rule === 'publicNetworkAccess:Disabled') return { kind: 'enablePublicAccess', params: { registry: registry.name } };
  if (decision.rule.startsWith('privateEndpoint:') && endpoint) {
    if (endpoint.registry.toLowerCase() !== registry.name.toLowerCase()) {
      return { kind: 'useOwnEndpoint', params: { registry: registry.name, endpoint: endpoint.name, endpointRegistry: endpoint.registry } };
    }
    return { kind: 'approveConnection', params: { registry: registry.name, connection: endpoint.connectionName, endpoint: endpoint.name } };
  }
  if (decision.rule === 'defaultAction:Deny') {
    const inert = await inertSubnetHolding(services, registry.name, ip);
    if (inert) {
      // `<vnet id>/subnets/<name>`: the vnet's name and resource group are in its id.
      const vnet = /\/resourcegroups\/([^/]+)\/providers\/microsoft\.network\/virtualnetworks\/([^/]+)/i.exec(inert.vnetId);
      return {
        kind: 'addServiceEndpoint',
        params: { subnetId: inert.id, subnet: inert.name, vnet: vnet?.[2] ?? inert.vnetId, resourceGroup: vnet?.[1] ?? '' },
      };
    }
    if (clientIpv4(ip) !== undefined) return { kind: 'addIpRule', params: { registry: registry.name, ipAddress: displayAddress(ip) } };
  }
  return undefined;
}

/**
 * Why a trusted service's identity did not pass a public denial, when it is one for this
 * registry's subscription: bypass None, or virtual network rules on the registry (as on ACR,
 * trusted services do not pass a registry that has them; docs/network-access.md).
 */
async function trustedServiceRefusal(
  services: HandlerServices,
  registry: RegistryRecord,
  ip: string,
  principal: Principal | undefined,
): Promise<{ why: string; details: Record<string, string>; fix: DiagnoseFix } | undefined> {
  if (!principal || !ENTRA_KINDS.has(principal.kind)) return undefined;
  const service = (await services.store.network.trustedServices()).find(
    (s) => s.principalId.toLowerCase() === principal.id.toLowerCase() && s.subscriptionId.toLowerCase() === registry.subscriptionId.toLowerCase(),
  );
  if (!service) return undefined;
  const settings = await services.store.network.registrySettings(registry.name);
  const details = { trustedService: service.name, serviceType: service.serviceType };
  if (settings.bypass !== 'AzureServices') {
    return {
      why: `the identity is the trusted service '${service.name}', but trusted services may not bypass the network rules (networkRuleBypassOptions None)`,
      details: { ...details, trustedServiceBlockedBy: 'bypassNone' },
      fix: { kind: 'allowTrustedServices', params: { registry: registry.name, service: service.name } },
    };
  }
  if (settings.virtualNetworkRules.length > 0 && settings.publicNetworkAccess !== 'Disabled' && clientIpv4(ip) !== undefined) {
    return {
      why: `the identity is the trusted service '${service.name}', but trusted services do not pass the rules of a registry that has virtual network rules (${settings.virtualNetworkRules.length})`,
      details: { ...details, trustedServiceBlockedBy: 'virtualNetworkRules' },
      fix: { kind: 'trustedServiceBlocked', params: { registry: registry.name, ipAddress: displayAddress(ip), service: service.name } },
    };
  }
  return undefined;
}

export async function replayNetwork(
  services: HandlerServices,
  registry: RegistryRecord,
  ip: string,
  listener: Listener | undefined,
  principal: Principal | undefined,
): Promise<DiagnoseStageResult> {
  const gate = services.network.gate;
  let decision: GateDecision;
  let endpoint: PrivateEndpointRecord | undefined;
  if (gate instanceof CachedNetworkGate) {
    decision = await gate.decide(registry.name, ip, listener?.address, listener?.port);
    const arrival = await gate.arrivalOf(listener?.address, listener?.port);
    if (arrival.kind === 'privateEndpoint') endpoint = arrival.endpoint;
    if (!decision.allowed && decision.bypassable && principal && ENTRA_KINDS.has(principal.kind)) {
      const service = await gate.trustedService(principal.id, decision);
      if (service) {
        // The live request path's reason (network/denial.ts settleNetwork), replayed.
        const because = reason('trustedServiceAllowed', {
          gate: decision.because,
          principal: principalReason(principal),
          service: service.name,
          serviceType: service.serviceType,
        });
        decision = gateDecision(true, `trustedService:${service.name}`, because, false);
      }
    }
  } else {
    // Another gate implementation: its pure evaluation over the stored settings.
    const [settings, subnets, endpoints] = await Promise.all([
      services.store.network.registrySettings(registry.name),
      services.store.network.allSubnets(),
      services.store.network.privateEndpoints({}),
    ]);
    endpoint = listener ? endpoints.find((e) => e.address === listener.address && e.port === listener.port) : undefined;
    decision = gate.evaluate({
      registry: registry.name,
      settings,
      subnets,
      clientIp: ip,
      arrival: endpoint ? { kind: 'privateEndpoint', endpoint } : { kind: 'public' },
    });
  }
  const details: Record<string, string> = { listener: endpoint ? `${endpoint.name} (${endpoint.address}:${endpoint.port})` : 'public' };
  if (decision.allowed) return { stage: 'network', result: 'allowed', rule: decision.rule, reason: decision.reason, details };
  const trusted = endpoint ? undefined : await trustedServiceRefusal(services, registry, ip, principal);
  if (trusted) {
    const reason = `${decision.reason}; ${trusted.why}`;
    return {
      stage: 'network',
      result: 'denied',
      code: 'NETWORK_DENIED',
      rule: decision.rule,
      reason,
      details: { ...details, ...trusted.details },
      fix: trusted.fix,
    };
  }
  const fix = await fixOf(services, registry, ip, decision, endpoint);
  return { stage: 'network', result: 'denied', code: 'NETWORK_DENIED', rule: decision.rule, reason: decision.reason, details, ...(fix ? { fix } : {}) };
}

/**
 * The trusted-services bypass (bypass AzureServices): a public-path denial that a trusted
 * service's identity would lift is left on the request by the gate as a value, and settled in
 * one place, settleNetwork, once authentication has decided (docs/architecture.md, "A
 * request's path").
 */
import type { FastifyRequest } from 'fastify';
import { auditOf } from '../audit/request-audit.js';
import { reason, type Reason } from '../access/decision.js';
import type { Principal } from '../access/principal.js';
import { principalReason } from '../access/reasons.js';
import { renderRefusal } from './refusal.js';
import type { GateDecision } from './contracts.js';
import { gateRefusal, recordNetworkDenial } from './denial.js';

/** Who can lift a bypassable denial: the gate's trusted services, as it knows them. */
export interface TrustedServices {
  /** The trusted service with this object id registered in the subscription of the registry `decision` denied. */
  trustedService(principalId: string, decision: GateDecision): Promise<{ name: string; serviceType: string } | undefined>;
  /** Whether the object id is a trusted service in some subscription: for the refusal's reason. */
  trustedElsewhere(principalId: string): boolean;
}

/**
 * A public-path denial that a trusted service's identity would turn into an allow: set once by
 * the gate (network/gate-hook.ts) and read only by settleNetwork.
 */
export interface BypassableDenial {
  /** As the gate made it: the gate knows which registry (and so which subscription) it denied. */
  decision: GateDecision;
  clientIp: string;
  helpUrl: string;
  services: TrustedServices;
  /** The request carried no credentials: its 401 challenge stands, so the client can authenticate. */
  anonymous: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The gate's decision for this request (allowed ones too); the audit and diagnose read it. */
    networkDecision?: GateDecision;
    /** A denial waiting for authentication to name the principal (never changed once set). */
    bypassableDenial?: BypassableDenial;
  }
}

/**
 * The network's last word on a request whose denial a trusted service could lift, once
 * authentication has decided. `principal` is who the credentials identified (undefined when
 * they identified no one); `refusedStatus` the status of authentication's refusal, if any.
 * Returns when the request may go on (a trusted service of the registry's subscription, with
 * the network's reason in the audit; or authentication's own refusal stands); throws the
 * network's 403, recorded, otherwise. Does nothing when no denial is pending.
 */
export async function settleNetwork(request: FastifyRequest, principal: Principal | undefined, refusedStatus?: number): Promise<void> {
  const pending = request.bypassableDenial;
  if (pending === undefined || request.audit?.network !== undefined) return;
  const gate = pending.decision;
  const entra = principal !== undefined && (principal.kind === 'ManagedIdentity' || principal.kind === 'ServicePrincipal' || principal.kind === 'User');
  const service = entra ? await pending.services.trustedService(principal.id, gate) : undefined;
  if (service !== undefined) {
    if (refusedStatus !== undefined) return; // a trusted service refused for another reason: that refusal stands
    auditOf(request).network = reason('trustedServiceAllowed', {
      gate: gate.because,
      principal: principalReason(principal!),
      service: service.name,
      serviceType: service.serviceType,
    });
    return;
  }
  // No credentials: the 401 challenge stands, so a client that authenticates only when challenged can.
  if (refusedStatus === 401 && pending.anonymous) return;
  let because: Reason;
  if (principal === undefined || refusedStatus !== undefined) because = reason('credentialsNotTrusted', { gate: gate.because });
  else if (entra && pending.services.trustedElsewhere(principal.id))
    because = reason('trustedElsewhere', { gate: gate.because, principal: principalReason(principal) });
  else because = reason('notTrustedService', { gate: gate.because, principal: principalReason(principal) });
  const refusal = gateRefusal(gate, because);
  recordNetworkDenial(request, refusal);
  throw renderRefusal(refusal, { protocol: 'network', clientIp: pending.clientIp, helpUrl: pending.helpUrl });
}

/** Whether a pending denial was lifted: a response to a request with one, and no trusted service recorded, is refused. */
export function bypassUnsettled(request: FastifyRequest): BypassableDenial | undefined {
  const pending = request.bypassableDenial;
  return pending !== undefined && request.audit?.network === undefined ? pending : undefined;
}

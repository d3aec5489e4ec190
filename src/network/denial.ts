/**
 * The network gate's refusal as clients see it (ACR's wording, which check-health and az read
 * as "firewall"), and the one place a denial a trusted service could lift (bypass
 * AzureServices) is settled, once authentication knows who is calling.
 */
import type { FastifyRequest } from 'fastify';
import { auditOf } from '../audit/request-audit.js';
import { reason, type Decision, type Reason } from '../auth/decision.js';
import type { Principal } from '../auth/principal.js';
import { principalReason } from '../auth/reasons.js';
import type { Language } from '../i18n/index.js';
import { localize } from '../i18n/localized.js';
import { RegistryError } from '../server/errors.js';
import type { GateDecision } from './contracts.js';
import { denialMessages } from './denial-messages.js';
import { displayAddress } from './ipv4.js';

/**
 * The header naming the kind of rule that denied a request (`privateEndpoint`,
 * `publicNetworkAccess:Disabled`, `defaultAction:Deny`): the body stays exactly ACR's, and
 * check-health reports the server's decision instead of guessing it. Never a name or an address.
 */
export const NETWORK_DECISION_HEADER = 'X-Wharf-Network-Decision';

/** The rule of a decision without the names it carries (`privateEndpoint:pe1` → `privateEndpoint`). */
export function ruleKindOf(rule: string): string {
  const kind = rule.split(':')[0]!;
  return kind === 'publicNetworkAccess' || kind === 'defaultAction' ? rule : kind;
}

/** A 403 DENIED whose body is exactly ACR's (no `detail`), in the request's language. */
export class NetworkDenied extends RegistryError {
  constructor(clientIp: string, helpUrl: string, decision?: { rule: string }) {
    super(403, 'DENIED', localize(denialMessages, 'notAllowed', { ip: displayAddress(clientIp), helpUrl }), null, decision ? { [NETWORK_DECISION_HEADER]: ruleKindOf(decision.rule) } : {});
  }

  override toBody(language: Language = 'en'): { errors: { code: string; message: string }[] } {
    return { errors: [{ code: this.code, message: this.messageIn(language) }] };
  }
}

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

/** A refusal by the network in the request's audit: a 'Network' login event with the decision. */
export function recordNetworkDenial(request: FastifyRequest, decision: Decision, target?: { registry: string; loginServer: string }): void {
  const audit = auditOf(request);
  audit.login = { operationName: 'Network' };
  if (target) {
    audit.registry = target.registry;
    audit.loginServer = target.loginServer;
  }
  audit.decision = decision;
  audit.reason = undefined;
}

/** The gate's own refusal of a request (no trusted service can lift it, or none will be asked). */
export function gateRefusal(decision: GateDecision, because: Reason = decision.because): Decision {
  return { allowed: false, stage: 'network', rule: decision.rule, reason: because };
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
    auditOf(request).network = reason('trustedServiceAllowed', { gate: gate.because, principal: principalReason(principal!), service: service.name, serviceType: service.serviceType });
    return;
  }
  // No credentials: the 401 challenge stands, so a client that authenticates only when challenged can.
  if (refusedStatus === 401 && pending.anonymous) return;
  let because: Reason;
  if (principal === undefined || refusedStatus !== undefined) because = reason('credentialsNotTrusted', { gate: gate.because });
  else if (entra && pending.services.trustedElsewhere(principal.id)) because = reason('trustedElsewhere', { gate: gate.because, principal: principalReason(principal) });
  else because = reason('notTrustedService', { gate: gate.because, principal: principalReason(principal) });
  recordNetworkDenial(request, gateRefusal(gate, because));
  throw new NetworkDenied(pending.clientIp, pending.helpUrl, gate);
}

/** Whether a pending denial was lifted: a response to a request with one, and no trusted service recorded, is refused. */
export function bypassUnsettled(request: FastifyRequest): BypassableDenial | undefined {
  const pending = request.bypassableDenial;
  return pending !== undefined && request.audit?.network === undefined ? pending : undefined;
}

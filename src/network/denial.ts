/**
 * The network gate's refusal as clients see it (ACR's wording, which check-health and az read
 * as "firewall"), and the decision a request carries to authentication when a trusted service
 * might still pass (bypass AzureServices).
 */
import type { FastifyRequest } from 'fastify';
import { auditOf } from '../audit/request-audit.js';
import { describePrincipal, type Principal } from '../auth/principal.js';
import type { Language } from '../i18n/index.js';
import { localize } from '../i18n/localized.js';
import { RegistryError } from '../server/errors.js';
import type { GateDecision } from './contracts.js';
import type { CachedNetworkGate } from './gate.js';
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
  constructor(clientIp: string, helpUrl: string, decision?: GateDecision) {
    super(403, 'DENIED', localize(denialMessages, 'notAllowed', { ip: displayAddress(clientIp), helpUrl }), null, decision ? { [NETWORK_DECISION_HEADER]: ruleKindOf(decision.rule) } : {});
  }

  override toBody(language: Language = 'en'): { errors: { code: string; message: string }[] } {
    return { errors: [{ code: this.code, message: this.messageIn(language) }] };
  }
}

/** A public-path denial that a trusted service's identity would turn into an allow. */
export interface PendingBypass {
  /** As the gate made it: the gate knows which registry (and so which subscription) it denied. */
  decision: GateDecision;
  clientIp: string;
  helpUrl: string;
  gate: CachedNetworkGate;
  /** The request carried no credentials: its 401 challenge stands, so the client can authenticate. */
  anonymous: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The gate's decision for this request (allowed ones too); the audit and diagnose read it. */
    networkDecision?: GateDecision;
    /** Set while a bypassable denial waits for authentication to name the principal. */
    networkBypass?: PendingBypass;
  }
}

/** Marks a refusal by the network in the request's audit: a 'Network' login event with the reason. */
export function auditNetworkDenial(request: FastifyRequest, reason: string, target?: { registry: string; loginServer: string }): void {
  const audit = auditOf(request);
  audit.login = { operationName: 'Network' };
  if (target) {
    audit.registry = target.registry;
    audit.loginServer = target.loginServer;
  }
  audit.reason = reason;
}

/**
 * Called once authentication knows the principal: a trusted service registered in the
 * registry's subscription passes (rule `trustedService:<name>`); anyone else, including a
 * trusted service of another subscription, gets the network's 403. No-op when nothing is pending.
 */
export async function settleBypass(request: FastifyRequest, principal: Principal): Promise<void> {
  const pending = request.networkBypass;
  if (pending === undefined) return;
  request.networkBypass = undefined;
  const entra = principal.kind === 'ManagedIdentity' || principal.kind === 'ServicePrincipal' || principal.kind === 'User';
  const service = entra ? await pending.gate.trustedService(principal.id, pending.decision) : undefined;
  if (service !== undefined) {
    const reason = `${pending.decision.reason}; allowed because ${describePrincipal(principal)} is the trusted service '${service.name}' (${service.serviceType}) and bypass AzureServices is on`;
    request.networkDecision = { allowed: true, rule: `trustedService:${service.name}`, reason, bypassable: false };
    auditOf(request).network = reason;
    return;
  }
  const elsewhere = entra && pending.gate.trustedElsewhere(principal.id);
  const why = elsewhere ? "is a trusted service of another subscription, not of the registry's" : 'is not a registered trusted service';
  auditNetworkDenial(request, `${pending.decision.reason}; ${describePrincipal(principal)} ${why}`);
  throw new NetworkDenied(pending.clientIp, pending.helpUrl, pending.decision);
}

/**
 * What to throw when authentication failed while a bypass was pending: the network's 403
 * (the request would be refused anyway), unless the caller is a trusted service whose request
 * failed for another reason — then that error stands.
 */
export async function bypassFailure(request: FastifyRequest, error: unknown): Promise<unknown> {
  const pending = request.networkBypass;
  if (pending === undefined) return error;
  const principal = request.audit?.principal;
  if (principal && principal.kind !== 'anonymous' && (await pending.gate.trustedService(principal.id, pending.decision)) !== undefined) {
    request.networkBypass = undefined;
    return error;
  }
  request.networkBypass = undefined;
  if (pending.anonymous && error instanceof RegistryError && error.status === 401) return error;
  auditNetworkDenial(request, `${pending.decision.reason}; the request's credentials did not identify a trusted service`);
  return new NetworkDenied(pending.clientIp, pending.helpUrl, pending.decision);
}

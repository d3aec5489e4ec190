/**
 * The network gate's refusal: as clients see it (ACR's wording, which check-health and az read
 * as "firewall"), as a decision value, and as the request's audit record. A denial a trusted
 * service could lift is settled in network/bypass.ts.
 */
import type { FastifyRequest } from 'fastify';
import { auditOf } from '../audit/request-audit.js';
import type { Decision, Reason } from '../access/decision.js';
import type { Language } from '../i18n/index.js';
import { localize } from '../i18n/localized.js';
import { RegistryError } from '../kernel/errors.js';
import type { GateDecision } from './contracts.js';
import { denialMessages } from './denial-messages.js';
import { displayAddress } from '../kernel/ipv4.js';

/**
 * The header naming the kind of rule that denied a request (`privateEndpoint`,
 * `publicNetworkAccess:Disabled`, `defaultAction:Deny`): the body stays exactly ACR's, and
 * check-health reports the server's decision instead of guessing it. Never a name or an address.
 */
const NETWORK_DECISION_HEADER = 'X-Wharf-Network-Decision';

/** The rule of a decision without the names it carries (`privateEndpoint:pe1` → `privateEndpoint`). */
function ruleKindOf(rule: string): string {
  const kind = rule.split(':')[0]!;
  return kind === 'publicNetworkAccess' || kind === 'defaultAction' ? rule : kind;
}

/** A 403 DENIED whose body is exactly ACR's (no `detail`), in the request's language. */
export class NetworkDenied extends RegistryError {
  constructor(clientIp: string, helpUrl: string, decision?: { rule: string }) {
    super(
      403,
      'DENIED',
      localize(denialMessages, 'notAllowed', { ip: displayAddress(clientIp), helpUrl }),
      null,
      decision ? { [NETWORK_DECISION_HEADER]: ruleKindOf(decision.rule) } : {},
    );
  }

  override toBody(language: Language = 'en'): { errors: { code: string; message: string }[] } {
    return { errors: [{ code: this.code, message: this.messageIn(language) }] };
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

/** The gate's refusal of a request: a 403 by the rule that denied it, and why. */
export function gateRefusal(decision: GateDecision, because: Reason = decision.because): Decision & { allowed: false; status: 403 } {
  return { allowed: false, stage: 'network', rule: decision.rule, reason: because, status: 403 };
}

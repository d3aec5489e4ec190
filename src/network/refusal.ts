/**
 * A refused decision and its two renderings: the protocol's error, in the request's language
 * (`renderRefusal`), and the request's audit record (`recordDecision`, which the audit hook
 * turns into the row). Every refusal of the network gate, authentication, authorization and
 * the token endpoints goes through here, so the client, the audit log and `wharf diagnose`
 * read the same value.
 */
import type { FastifyRequest } from 'fastify';
import { auditOf } from '../audit/request-audit.js';
import { localize, type LocalizedText, type MessageValue } from '../i18n/localized.js';
import { errors, RegistryError, type RefusedAt } from '../kernel/errors.js';
import { NetworkDenied } from './denial.js';
import { authMessages } from '../access/auth-messages.js';
import { reasonText, type Decision } from '../access/decision.js';

export type RefusalStatus = 400 | 401 | 403 | 429;

export interface Refusal extends Decision {
  allowed: false;
  status: RefusalStatus;
  /** What the client reads, when it must say less than the reason (a wrong password does not say which). */
  told?: LocalizedText;
  /** 429: seconds until another attempt is allowed. */
  retryAfter?: number;
}

/**
 * How the refusal goes on the wire. `registry`: /v2 and /acr, a 401 carries the Bearer
 * challenge. `token`: /oauth2/token and /oauth2/exchange, a 401 carries none (the client is
 * already talking to the realm). `network`: the gate's 403, ACR's exact body naming the
 * client's address (check-health and az read it as "firewall"). All are the registry's
 * `{"errors":[…]}` body, as ACR answers.
 */
export type Wire =
  | { protocol: 'registry'; challenge: string; detail?: unknown; at?: RefusedAt }
  | { protocol: 'token'; detail?: unknown; at?: RefusedAt }
  | { protocol: 'network'; clientIp: string; helpUrl: string };

const m = (key: Extract<keyof typeof authMessages.messages.en, string>, values?: Record<string, MessageValue>) => localize(authMessages, key, values);

/** The message of a refusal that says its whole reason: ACR's lead-in and the reason, in one language. */
function toldOf(refusal: Refusal): LocalizedText {
  if (refusal.told) return refusal.told;
  const why = reasonText(refusal.reason);
  switch (refusal.status) {
    case 400:
      return m('tokenRequestInvalid', { why });
    case 403:
      return m('accessDenied', { why });
    default:
      return m('helpWhy', { why: reasonText(refusal.reason, true) });
  }
}

/** The refusal as the protocol's error, rendered in the request's language when it is sent. */
export function renderRefusal(refusal: Refusal, wire: Wire): RegistryError {
  if (wire.protocol === 'network') return new NetworkDenied(wire.clientIp, wire.helpUrl, refusal.rule === undefined ? undefined : { rule: refusal.rule });
  const told = toldOf(refusal);
  switch (refusal.status) {
    case 400:
      return new RegistryError(400, 'UNSUPPORTED', told);
    case 403:
      return errors.denied(told, wire.detail ?? null);
    case 429:
      return errors.tooManyRequests(told, refusal.retryAfter ?? 1);
    case 401:
      return wire.protocol === 'registry'
        ? errors.unauthorized(told, wire.challenge, wire.detail ?? null, wire.at)
        : errors.loginFailed(told, wire.detail ?? null, wire.at);
  }
}

/** The decision in the request's audit record: the row's reason, its key and values, come from it. */
export function recordDecision(request: FastifyRequest, decision: Decision): void {
  const audit = auditOf(request);
  audit.decision = decision;
  audit.reason = undefined;
}

/** Records the refusal and returns its error, to be thrown. */
export function refuse(request: FastifyRequest, refusal: Refusal, wire: Wire): RegistryError {
  recordDecision(request, refusal);
  return renderRefusal(refusal, wire);
}

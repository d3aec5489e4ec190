/**
 * What a request contributes to the audit trail. Handlers and the auth stages fill
 * `request.audit`; one onResponse hook (audit/recorder.ts) turns it into a login event or a
 * repository event with the final status, so every success and every failure is recorded once.
 */
import type { Decision, Reason } from '../access/decision.js';
import type { Principal } from '../access/principal.js';
import type { StoredMessage } from '../i18n/localized.js';

export type RepositoryOperation = 'Push' | 'Pull' | 'Delete' | 'Untag';

export interface RequestAudit {
  /** The client's address, taken while the connection is open (it is gone once a client aborts). */
  callerIp?: string;
  registry?: string;
  loginServer?: string;
  principal?: Principal;
  jwtId?: string | null;
  /**
   * The access decision (network gate, authentication, authorization, token request): the
   * row's reason is rendered from it, and its key and values are stored with the row.
   */
  decision?: Decision;
  /** A handler's own reason for a failure after the decision (free text, no key); it wins over the decision's. */
  reason?: string;
  /** The error message `reason` was read from, as a catalog message: the row stores its key and values. */
  message?: StoredMessage;
  /** Set when the network gate let the request through by an exception (a trusted service): why. */
  network?: Reason;
  /** Set by the token endpoints: this request is a login. */
  login?: { operationName: string };
  /** Set by data-plane handlers whose operation ACR logs as a repository event. */
  repository?: {
    operationName: RepositoryOperation;
    repository: string;
    tag?: string | null;
    digest?: string | null;
    mediaType?: string | null;
    artifactType?: string | null;
    size?: number | null;
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    audit?: RequestAudit;
  }
}

/** The request's audit record, created on first use. */
export function auditOf(request: { audit?: RequestAudit; ip?: string }): RequestAudit {
  request.audit ??= { callerIp: request.ip };
  return request.audit;
}

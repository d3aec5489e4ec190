/**
 * Turns a finished request's `request.audit` into its login event and/or repository event.
 * The reason is the access decision's (access/decision.ts): its English text fills the row's
 * `reason` column, its key and values are stored beside it. Two hooks: onSend reads the
 * reason of a failure that no decision explains (a handler's error after the request was
 * allowed, e.g. an unknown manifest) from the error body; onResponse builds the event with the
 * final status and duration and queues it. A request without `request.audit` (most manifest
 * and blob GETs in open setups, /metrics…) costs one property check.
 */
import { STATUS_CODES } from 'node:http';
import { englishReason, reason as reasonOf, storedReason, type Reason } from '../access/decision.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RegistryDirectory } from '../domain/host-routing.js';
import type { Metrics } from '../monitoring/metrics.js';
import type { AuditRecorder } from './recorder.js';
import { stripPort } from '../domain/host-routing.js';
import { reasonFromErrorBody } from './failure-reason.js';
import { STORED_LIMITS, storedOptional, storedText } from '../kernel/stored-text.js';
import type { AuditEntry } from './audit-entry.js';
import { storedMessageKey } from '../i18n/localized.js';
import type { RequestAudit } from './request-audit.js';
import { localAddressKey } from '../kernel/local-address.js';

/** What the event needs from the request and its response. */
export interface RequestFacts {
  /** Epoch ms when the request arrived. */
  startedAt: number;
  durationMs: number;
  statusCode: number;
  ip: string;
  correlationId: string;
  userAgent: string;
  region: string;
  registry: string;
  loginServer: string;
  /** `address:port` of the private endpoint listener the request arrived at; null on the public endpoint. */
  listener?: string | null;
}

/** The events one request contributes: a login, a repository operation, both, or none. */
export function auditEntriesOf(audit: RequestAudit, facts: RequestFacts): AuditEntry[] {
  const entries: AuditEntry[] = [];
  if (audit.login === undefined && audit.repository === undefined) return entries;
  // Built field by field, without an intermediate object: every pull is an event.
  const failed = facts.statusCode >= 400;
  const timeGenerated = new Date(facts.startedAt).toISOString();
  const durationMs = facts.durationMs > 0 ? Math.round(facts.durationMs) : 0;
  // Names, agents and repositories of refused requests are the client's words: cut and made safe to print.
  const identity = storedText(audit.principal?.name ?? '', STORED_LIMITS.identity);
  const identityType = audit.principal?.kind ?? '';
  const tenantId = audit.principal?.tenantId ?? null;
  const resultType = failed ? 'Failed' : 'Succeeded';
  const resultDescription = String(facts.statusCode);
  const keyed = keyedReason(audit);
  const decided = keyed ? englishReason(keyed) : (audit.reason ?? (failed ? (STATUS_CODES[facts.statusCode] ?? 'failed') : ''));
  const reason = storedText(decided, STORED_LIMITS.reason);
  const stored = keyed
    ? storedReason(keyed)
    : audit.message !== undefined
      ? { key: storedMessageKey(audit.message), values: JSON.stringify(audit.message.values) }
      : undefined;
  // Only keyed rows carry the fields: a free-text reason's row is as before.
  const key = stored ? { reasonKey: stored.key, reasonValues: stored.values } : {};
  const userAgent = storedText(facts.userAgent, STORED_LIMITS.userAgent);
  const callerIpAddress = storedText(facts.ip, STORED_LIMITS.address);
  if (audit.login !== undefined) {
    const entry: AuditEntry = {
      category: 'login',
      event: {
        timeGenerated,
        registry: facts.registry,
        loginServer: facts.loginServer,
        callerIpAddress,
        correlationId: facts.correlationId,
        durationMs,
        identity,
        identityType,
        jwtId: storedOptional(audit.jwtId, STORED_LIMITS.reference),
        operationName: audit.login.operationName,
        resultType,
        resultDescription,
        reason,
        ...key,
        userAgent,
        tenantId,
        region: facts.region,
      },
    };
    // Only on a private endpoint: public requests (almost all) carry no extra field.
    if (facts.listener) entry.event.listener = facts.listener;
    entries.push(entry);
  }
  const repository = audit.repository;
  if (repository !== undefined) {
    const entry: AuditEntry = {
      category: 'repository',
      event: {
        timeGenerated,
        registry: facts.registry,
        loginServer: facts.loginServer,
        callerIpAddress,
        correlationId: facts.correlationId,
        durationMs,
        identity,
        identityType,
        operationName: repository.operationName,
        repository: storedText(repository.repository, STORED_LIMITS.repository),
        tag: storedOptional(repository.tag, STORED_LIMITS.reference),
        digest: storedOptional(repository.digest, STORED_LIMITS.reference),
        mediaType: storedOptional(repository.mediaType, STORED_LIMITS.reference),
        artifactType: storedOptional(repository.artifactType, STORED_LIMITS.reference),
        size: repository.size ?? null,
        resultType,
        resultDescription,
        reason,
        ...key,
        userAgent,
        userTenantId: tenantId,
        region: facts.region,
      },
    };
    if (facts.listener) entry.event.listener = facts.listener;
    entries.push(entry);
  }
  return entries;
}

/**
 * The reason a row keeps as a key: the decision's, with the network's exception when a trusted
 * service passed. None when a handler gave its own reason after the decision (free text).
 */
function keyedReason(audit: RequestAudit): Reason | undefined {
  if (audit.reason !== undefined || audit.decision === undefined) return undefined;
  const decided = audit.decision.reason;
  return audit.network === undefined ? decided : reasonOf('withNetwork', { decided, network: audit.network });
}

/**
 * The private endpoint listener (`address:port`) a request arrived at, as the network gate
 * classified it; null on the public endpoint. What `wharf diagnose` replays the gate with.
 */
function privateListenerOf(request: FastifyRequest): string | null {
  const rule = request.networkDecision?.rule;
  if (rule === undefined || !rule.startsWith('privateEndpoint:')) return null;
  const socket = request.socket;
  return socket.localAddress ? localAddressKey(socket.localAddress, socket.localPort) : null;
}

/** What the audit hooks use. */
export interface AuditHookDeps {
  audit: AuditRecorder;
  metrics: Pick<Metrics, 'registry'>;
  /** The region rows are recorded in. */
  region: string;
  directory: Pick<RegistryDirectory, 'resolve'>;
}

export function registerAuditHook(app: FastifyInstance, services: AuditHookDeps): void {
  const recorder = services.audit;
  recorder.attach({ logger: app.log, metrics: services.metrics.registry });
  if (!recorder.enabled) return;
  const region = services.region;

  app.addHook('onSend', (request, reply, payload, done) => {
    const audit = request.audit;
    if (audit !== undefined && audit.reason === undefined && reply.statusCode >= 400 && audit.decision === undefined) {
      const reason = reasonFromErrorBody(payload, reply.getHeader('content-type'));
      if (reason !== undefined) audit.reason = reason;
    }
    done(null, payload);
  });

  app.addHook('onResponse', (request, reply, done) => {
    const audit = request.audit;
    if (audit !== undefined && (audit.login !== undefined || audit.repository !== undefined)) {
      if (audit.registry !== undefined && audit.loginServer !== undefined) {
        queue(request, reply, audit, audit.registry, audit.loginServer);
      } else {
        // The handler failed before it knew its registry (e.g. an unknown host): the pipeline's
        // resolution of the Host (distribution/data-plane-pipeline.ts), else ask the directory.
        const known = request.dataEndpoint === undefined ? request.registryTarget : undefined;
        (known !== undefined ? Promise.resolve(known) : services.directory.resolve(request.headers.host)).then(
          (resolved) =>
            queue(
              request,
              reply,
              audit,
              audit.registry ?? resolved?.registry.name ?? '',
              audit.loginServer ?? resolved?.loginServer ?? stripPort((request.headers.host ?? '').toLowerCase()),
            ),
          (error: unknown) => request.log.error({ err: error }, 'audit: resolving the registry of an event failed'),
        );
      }
    }
    done();
  });

  function queue(request: FastifyRequest, reply: FastifyReply, audit: RequestAudit, registry: string, loginServer: string): void {
    const durationMs = reply.elapsedTime;
    const entries = auditEntriesOf(audit, {
      startedAt: Date.now() - durationMs,
      durationMs,
      statusCode: reply.statusCode,
      ip: audit.callerIp ?? request.ip ?? '',
      correlationId: String(request.id),
      userAgent: request.headers['user-agent'] ?? '',
      region,
      registry,
      loginServer,
      listener: privateListenerOf(request),
    });
    for (const entry of entries) recorder.record(entry);
  }
}

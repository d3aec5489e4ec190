/**
 * The audit trail as ACR's resource logs show it: rows with the column names of the
 * ContainerRegistryLoginEvents and ContainerRegistryRepositoryEvents tables, plus Wharf's
 * `Reason`, `IdentityType` and `Count`; and the query parameters of the management API's
 * `/loginEvents` and `/repositoryEvents` read into a store filter.
 */
import { parseStoredReason, renderReason } from '../access/decision.js';
import type { Language } from '../i18n/languages.js';
import { parseStoredMessage, renderStoredMessage } from '../i18n/localized.js';
import type { AuditFilter, LoginEvent, RepositoryEvent } from '../storage/metadata/access-records.js';

const LOGIN_CATEGORY = 'ContainerRegistryLoginEvents';
const REPOSITORY_CATEGORY = 'ContainerRegistryRepositoryEvents';

interface AcrLoginRow {
  TimeGenerated: string;
  Category: typeof LOGIN_CATEGORY;
  Type: typeof LOGIN_CATEGORY;
  CallerIpAddress: string;
  CorrelationId: string;
  /** A string in ACR's table. */
  DurationMs: string;
  Identity: string;
  IdentityType: string;
  JwtId: string | null;
  LoginServer: string;
  OperationName: string;
  Region: string;
  ResultDescription: string;
  ResultType: string;
  Reason: string;
  UserAgent: string;
  TenantId: string | null;
  /** Wharf: how many requests the row stands for; above 1 for a coalesced flood of failures. */
  Count: number;
}

interface AcrRepositoryRow {
  TimeGenerated: string;
  Category: typeof REPOSITORY_CATEGORY;
  Type: typeof REPOSITORY_CATEGORY;
  ArtifactType: string | null;
  CallerIpAddress: string;
  CorrelationId: string;
  Digest: string | null;
  DurationMs: string;
  Identity: string;
  IdentityType: string;
  LoginServer: string;
  MediaType: string | null;
  OperationName: string;
  Region: string;
  Repository: string;
  ResultDescription: string;
  ResultType: string;
  Reason: string;
  Size: number | null;
  Tag: string | null;
  UserAgent: string;
  UserTenantId: string | null;
  /** Wharf: how many requests the row stands for; above 1 for a coalesced flood of failures. */
  Count: number;
}

/**
 * The reason a reader sees: in English the stored text (the row as written, coalescing note
 * included); in another language the stored key rendered in it. A row without a key (written
 * before migration 0009, or a handler's free-text reason) shows its text.
 */
export function reasonIn(event: Pick<LoginEvent, 'reason' | 'reasonKey' | 'reasonValues'>, language: Language): string {
  if (language === 'en') return event.reason;
  const keyed = parseStoredReason(event.reasonKey, event.reasonValues);
  if (keyed) return renderReason(keyed, language);
  // A failure no decision explains keeps its error message's key (an unknown host, a read-only repository…).
  const message = parseStoredMessage(event.reasonKey, event.reasonValues);
  return (message && renderStoredMessage(message, language)) ?? event.reason;
}

export function loginRow(event: LoginEvent, language: Language = 'en'): AcrLoginRow {
  return {
    TimeGenerated: event.timeGenerated,
    Category: LOGIN_CATEGORY,
    Type: LOGIN_CATEGORY,
    CallerIpAddress: event.callerIpAddress,
    CorrelationId: event.correlationId,
    DurationMs: String(event.durationMs),
    Identity: event.identity,
    IdentityType: event.identityType,
    JwtId: event.jwtId,
    LoginServer: event.loginServer,
    OperationName: event.operationName,
    Region: event.region,
    ResultDescription: event.resultDescription,
    ResultType: event.resultType,
    Reason: reasonIn(event, language),
    UserAgent: event.userAgent,
    TenantId: event.tenantId,
    Count: event.count ?? 1,
  };
}

export function repositoryRow(event: RepositoryEvent, language: Language = 'en'): AcrRepositoryRow {
  return {
    TimeGenerated: event.timeGenerated,
    Category: REPOSITORY_CATEGORY,
    Type: REPOSITORY_CATEGORY,
    ArtifactType: event.artifactType,
    CallerIpAddress: event.callerIpAddress,
    CorrelationId: event.correlationId,
    Digest: event.digest,
    DurationMs: String(event.durationMs),
    Identity: event.identity,
    IdentityType: event.identityType,
    LoginServer: event.loginServer,
    MediaType: event.mediaType,
    OperationName: event.operationName,
    Region: event.region,
    Repository: event.repository,
    ResultDescription: event.resultDescription,
    ResultType: event.resultType,
    Reason: reasonIn(event, language),
    Size: event.size,
    Tag: event.tag,
    UserAgent: event.userAgent,
    UserTenantId: event.userTenantId,
    Count: event.count ?? 1,
  };
}

/** A query parameter the API cannot use; the message says which and why. */
export class AuditQueryError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

const DEFAULT_TOP = 100;
const MAX_TOP = 10_000;

/**
 * `failuresOnly`, `identity`, `callerIpAddress`, `operationName`, `correlationId`,
 * `repository`, `from`, `to` (ISO times) and `top` into a store filter for `registry`.
 * Throws AuditQueryError for a value that cannot be a filter (the API answers 400).
 */
export function auditFilterFromQuery(registry: string, query: Record<string, unknown>): AuditFilter {
  const filter: AuditFilter = { registry, limit: DEFAULT_TOP };
  const failuresOnly = single(query, 'failuresOnly');
  if (failuresOnly !== undefined) {
    if (!/^(true|false)$/i.test(failuresOnly)) throw new AuditQueryError('failuresOnly', `failuresOnly must be true or false, not '${failuresOnly}'`);
    filter.failuresOnly = failuresOnly.toLowerCase() === 'true';
  }
  for (const name of ['identity', 'callerIpAddress', 'operationName', 'correlationId', 'repository'] as const) {
    const value = single(query, name);
    if (value !== undefined && value !== '') filter[name] = value;
  }
  for (const name of ['from', 'to'] as const) {
    const value = single(query, name);
    if (value === undefined || value === '') continue;
    const time = Date.parse(value);
    if (Number.isNaN(time)) throw new AuditQueryError(name, `${name} must be an ISO 8601 time, not '${value}'`);
    filter[name] = new Date(time).toISOString();
  }
  if (filter.from && filter.to && filter.from > filter.to) {
    throw new AuditQueryError('from', `from (${filter.from}) is after to (${filter.to})`);
  }
  const top = single(query, 'top') ?? single(query, '$top');
  if (top !== undefined) {
    if (!/^\d+$/.test(top) || Number(top) < 1 || Number(top) > MAX_TOP) {
      throw new AuditQueryError('top', `top must be a whole number from 1 to ${MAX_TOP}, not '${top}'`);
    }
    filter.limit = Number(top);
  }
  return filter;
}

function single(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    throw new AuditQueryError(name, `${name} may be given once`);
  }
  throw new AuditQueryError(name, `${name} has an unusable value`);
}

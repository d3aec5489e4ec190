/**
 * Authentication and authorization of registry data-plane requests (/v2, /acr/v1): a Bearer
 * access token from /oauth2/token, Basic credentials (admin user, token, service principal,
 * null GUID + ACR token), or nothing (anonymous). The decision — who, allowed or not, and
 * why — goes into request.audit; a refusal is a 401 with ACR's Bearer challenge, a 403 when
 * valid credentials lack the action, or a 429 when failed logins from the address or for the
 * identity are over the limit.
 */
import type { FastifyRequest } from 'fastify';
import { intersect, missingActions, type GrantSet } from '../access/grants.js';
import type { GrantResolver } from '../access/grant-resolver.js';
import { formatScope, type AccessEntry } from '../access/scopes.js';
import { auditOf, type RepositoryOperation } from '../audit/request-audit.js';
import { TokenRejected } from '../identity/key-ring.js';
import { bypassFailure, settleBypass } from '../network/denial.js';
import { errors } from '../server/errors.js';
import type { RegistryRecord } from '../storage/metadata/store.js';
import type { AcrTokens } from './acr-tokens.js';
import { localize, type MessageValue, type Text } from '../i18n/localized.js';
import { authMessages } from './auth-messages.js';
import type { CredentialCheck, CredentialChecker, CredentialRefusal } from './credentials.js';
import { ANONYMOUS, describePrincipal, type Principal } from './principal.js';
import { describeThrottleKey, type LoginThrottle, type ThrottleKey } from './throttle.js';
import type { RefreshBinding } from './acr-tokens.js';
import { createHash } from 'node:crypto';

export interface AuthTarget {
  registry: RegistryRecord;
  loginServer: string;
}

/** What a refusal names: the registry the request resolved to (see errors.unauthorized). */
export function refusedAt(target: AuthTarget): { registry: string; loginServer: string } {
  return { registry: target.registry.name, loginServer: target.loginServer };
}

const PLAIN_HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** Everyone, with every action: `auth.openAccess` (insecure, opt-in). */
const OPEN_ACCESS: Principal = { kind: 'anonymous', id: 'anonymous', name: 'anonymous (open access)', tenantId: null };

export interface DataPlaneAuthDeps {
  openAccess: boolean;
  tokens: AcrTokens;
  credentials: CredentialChecker;
  grants: GrantResolver;
  throttle: LoginThrottle;
}

/** The `Authorization` header, split. */
export type PresentedCredentials =
  | { scheme: 'none' }
  | { scheme: 'bearer'; token: string }
  | { scheme: 'basic'; username: string; password: string }
  | { scheme: 'invalid'; why: string };

export function parseAuthorization(header: string | undefined): PresentedCredentials {
  if (!header) return { scheme: 'none' };
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const value = space < 0 ? '' : header.slice(space + 1).trim();
  if (scheme === 'bearer') return value ? { scheme: 'bearer', token: value } : { scheme: 'invalid', why: 'empty Bearer token' };
  if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { scheme: 'invalid', why: 'Basic credentials without a colon' };
    const username = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    // `Og==` (":"), which skopeo sends when it has no credentials, means no credentials.
    if (username === '' && password === '') return { scheme: 'none' };
    return { scheme: 'basic', username, password };
  }
  return { scheme: 'invalid', why: `unsupported authorization scheme '${scheme}'` };
}

export function describeScope(required: AccessEntry): string {
  if (required.type === 'registry' && required.name === 'catalog') return 'list the repositories of the registry (registry:catalog:*)';
  return `${required.actions.join(', ')} on repository '${required.name}'`;
}

function actionDetail(required: AccessEntry, actions: string[], principal?: Principal) {
  return actions.map((action) => ({
    Type: required.type,
    Name: required.name,
    Action: action,
    ...(principal ? { Identity: principal.name } : {}),
  }));
}

export class DataPlaneAuth {
  private readonly pending = new Map<string, Promise<CredentialCheck>>();

  /** What a refusal's challenge asks for besides the scope required, while a request is authorized. */
  private readonly alsoChallenged = new WeakMap<FastifyRequest, AccessEntry[]>();

  constructor(readonly deps: DataPlaneAuthDeps) {}

  /**
   * The challenge for a request to `target`, with the scope it needs (if any) and any scope
   * authorize() was told to ask for too, space-separated as Distribution writes them.
   */
  challenge(request: FastifyRequest, target: AuthTarget, required: AccessEntry | null, error?: string): string {
    return this.challengeFor(request, target, [...(required ? [required] : []), ...(this.alsoChallenged.get(request) ?? [])], error);
  }

  private challengeFor(request: FastifyRequest, target: AuthTarget, scopes: AccessEntry[], error?: string): string {
    // The realm is where the client reached us; a Host that is not a plain host[:port] is not echoed.
    const given = request.headers.host;
    const host = given && PLAIN_HOST.test(given) ? given : target.loginServer;
    const parts = [`Bearer realm="${request.protocol}://${host}/oauth2/token"`, `service="${target.loginServer}"`];
    if (scopes.length > 0) parts.push(`scope="${scopes.map(formatScope).join(' ')}"`);
    if (error) parts.push(`error="${error}"`);
    return parts.join(',');
  }

  /**
   * Authenticates the request and checks it may do `required` (null: only be authenticated, as
   * for GET /v2/). Returns the principal; throws a RegistryError otherwise. A refusal's
   * challenge asks for `alsoChallenge` too (a mount's source), so a token client gets, in one
   * token, everything the request can use.
   */
  async authorize(request: FastifyRequest, target: AuthTarget, required: AccessEntry | null, alsoChallenge: AccessEntry[] = []): Promise<Principal> {
    if (alsoChallenge.length === 0) return this.authorizeOnly(request, target, required);
    this.alsoChallenged.set(request, alsoChallenge);
    try {
      return await this.authorizeOnly(request, target, required);
    } finally {
      this.alsoChallenged.delete(request);
    }
  }

  /**
   * Whether a request allowed `required` may also mount from `source` (pull there). An access
   * token that lacks `source` while its principal may pull there is refused with a challenge
   * for both, as Distribution does, so the client asks again and mounts instead of uploading;
   * any other lack is `false` (the upload goes on without the mount).
   */
  async mayMountFrom(request: FastifyRequest, target: AuthTarget, required: AccessEntry, source: AccessEntry): Promise<boolean> {
    if (await this.permits(request, target, source)) return true;
    const presented = parseAuthorization(request.headers.authorization);
    if (presented.scheme !== 'bearer') return false;
    let claims;
    try {
      claims = await this.deps.tokens.verify(presented.token, target.loginServer, 'access_token');
    } catch {
      return false;
    }
    if (!covers(await this.deps.grants.grantsOf(claims.principal, target.registry), source)) return false;
    const why = `the access token of ${describePrincipal(claims.principal)} does not allow ${describeScope(source)}, which a mount from it needs: ask for a token with both scopes`;
    auditOf(request).reason = why;
    throw errors.unauthorized(
      m('helpWhy', { why }),
      this.challengeFor(request, target, [required, source], 'insufficient_scope'),
      actionDetail(source, source.actions, claims.principal),
    );
  }

  private async authorizeOnly(request: FastifyRequest, target: AuthTarget, required: AccessEntry | null): Promise<Principal> {
    if (request.networkBypass === undefined) return this.check(request, target, required);
    // The network refused this address, unless the principal is a trusted service (network/denial.ts).
    let principal: Principal;
    try {
      principal = await this.check(request, target, required);
    } catch (error) {
      throw await bypassFailure(request, error);
    }
    await settleBypass(request, principal);
    return principal;
  }

  private async check(request: FastifyRequest, target: AuthTarget, required: AccessEntry | null): Promise<Principal> {
    const audit = auditOf(request);
    audit.registry = target.registry.name;
    audit.loginServer = target.loginServer;
    if (this.deps.openAccess) {
      audit.principal = OPEN_ACCESS;
      audit.reason = 'open access (auth.openAccess is on: every request is allowed)';
      return OPEN_ACCESS;
    }
    const presented = parseAuthorization(request.headers.authorization);
    switch (presented.scheme) {
      case 'none':
        return this.anonymous(request, target, required);
      case 'bearer':
        return this.bearer(request, target, required, presented.token);
      case 'basic':
        return this.basic(request, target, required, presented.username, presented.password);
      case 'invalid':
        audit.reason = presented.why;
        throw errors.unauthorized(m('authenticationRequiredWhy', { why: presented.why }), this.challenge(request, target, required, 'invalid_request'), null, refusedAt(target));
    }
  }

  /** Whether the request's credentials allow `required` too; records nothing, throws nothing. */
  async permits(request: FastifyRequest, target: AuthTarget, required: AccessEntry): Promise<boolean> {
    const saved = request.audit ? { ...request.audit } : undefined;
    try {
      await this.authorize(request, target, required);
      return true;
    } catch {
      return false;
    } finally {
      request.audit = saved;
    }
  }

  private async anonymous(request: FastifyRequest, target: AuthTarget, required: AccessEntry | null): Promise<Principal> {
    const audit = auditOf(request);
    audit.principal = ANONYMOUS;
    if (required) {
      const grants = await this.deps.grants.grantsOf(ANONYMOUS, target.registry);
      if (covers(grants, required)) {
        audit.reason = `anonymous pull is enabled on registry '${target.registry.name}'`;
        return ANONYMOUS;
      }
    }
    const why = required
      ? target.registry.anonymousPullEnabled
        ? `anonymous clients may only pull; ${describeScope(required)} needs credentials`
        : `no credentials were presented and anonymous pull is disabled on registry '${target.registry.name}'`
      : 'no credentials were presented';
    audit.reason = why;
    throw errors.unauthorized(m('authenticationRequired'), this.challenge(request, target, required), required ? actionDetail(required, required.actions) : null, refusedAt(target));
  }

  private async bearer(request: FastifyRequest, target: AuthTarget, required: AccessEntry | null, token: string): Promise<Principal> {
    const audit = auditOf(request);
    let claims;
    try {
      claims = await this.deps.tokens.verify(token, target.loginServer, 'access_token');
    } catch (error) {
      if (!(error instanceof TokenRejected)) throw error;
      audit.reason = `access token refused: ${error.message}`;
      throw errors.unauthorized(m('tokenRefused', { why: error.message }), this.challenge(request, target, required, 'invalid_token'), null, refusedAt(target));
    }
    audit.principal = claims.principal;
    audit.jwtId = claims.jwtId;
    if (!required) {
      audit.reason = 'valid access token';
      return claims.principal;
    }
    const missing = missingActions(claims.access, required);
    if (missing.length === 0) {
      audit.reason = `the access token allows ${describeScope(required)}`;
      return claims.principal;
    }
    const held = claims.access.map(formatScope).join(' ') || 'nothing';
    const why =
      claims.principal.kind === 'anonymous' && !target.registry.anonymousPullEnabled
        ? `no credentials were presented and anonymous pull is disabled on registry '${target.registry.name}': log in first (docker login ${target.loginServer}, az acr login)`
        : `${describePrincipal(claims.principal)} may not ${describeScope({ ...required, actions: missing })}: its access token allows ${held}`;
    audit.reason = why;
    recordRefusal(request, required);
    throw errors.unauthorized(
      m('helpWhy', { why }),
      this.challenge(request, target, required, 'insufficient_scope'),
      actionDetail(required, missing, claims.principal),
      refusedAt(target),
    );
  }

  /**
   * A user name and password, throttled per address and identity: 429 past the limit, else
   * `refusal(message)` for wrong credentials. The principal, or the refusal's reason, goes into
   * request.audit. Shared by Basic credentials on the registry APIs and the token endpoints.
   */
  async checkPassword(
    request: FastifyRequest,
    target: AuthTarget,
    username: string,
    password: string,
    refusal: (message: Text, why: CredentialRefusal) => Error,
  ): Promise<{ principal: Principal; jwtId: string | null; binding: RefreshBinding }> {
    const audit = auditOf(request);
    const result = await this.throttledCheck(request, target, username, password);
    if (!result.ok) {
      audit.principal = { kind: 'anonymous', id: result.identity, name: result.identity, tenantId: null };
      audit.reason = result.reason;
      if (target.registry.anonymousPullEnabled) {
        // The seeds' stale-credentials case: stored credentials stop an anonymous pull.
        audit.reason += `; anonymous pull is enabled on registry '${target.registry.name}': a client with stale stored credentials should log out (docker logout ${target.loginServer}) to pull anonymously`;
      }
      throw refusal(result.message, result.refusal);
    }
    audit.principal = result.principal;
    audit.jwtId = result.jwtId;
    return result;
  }

  /**
   * One credential check under the throttle. The same credentials from the same address while a
   * check of them is under way share its answer (one scrypt, one failure counted); any other
   * attempt reserves its place in the throttle first, or is refused with 429.
   */
  private throttledCheck(request: FastifyRequest, target: AuthTarget, username: string, password: string): Promise<CredentialCheck> {
    const key = createHash('sha256').update([target.registry.name, request.ip, username, password].join('\u0000')).digest('base64');
    const pending = this.pending.get(key);
    if (pending) return pending;
    const begun = this.deps.throttle.begin(request.ip, username);
    if (begun.limited) {
      const { verdict } = begun;
      const audit = auditOf(request);
      audit.principal = { kind: 'anonymous', id: username, name: username, tenantId: null };
      audit.reason = `too many failed logins for ${describeThrottleKey(verdict.key!)}`;
      throw errors.tooManyRequests(m('tooManyLogins', { key: throttleKey(verdict.key!), retryAfter: verdict.retryAfter }), verdict.retryAfter);
    }
    const check = this.deps.credentials
      .check(username, password, target.registry, target.loginServer)
      .then(
        (result) => {
          if (result.ok) begun.attempt.succeeded();
          else begun.attempt.failed();
          return result;
        },
        (error: unknown) => {
          begun.attempt.succeeded();
          throw error;
        },
      )
      .finally(() => this.pending.delete(key));
    this.pending.set(key, check);
    return check;
  }

  private async basic(request: FastifyRequest, target: AuthTarget, required: AccessEntry | null, username: string, password: string): Promise<Principal> {
    const audit = auditOf(request);
    let principal: Principal;
    try {
      ({ principal } = await this.checkPassword(request, target, username, password, (message) =>
        errors.unauthorized(message, this.challenge(request, target, required), null, refusedAt(target)),
      ));
    } catch (error) {
      // A Basic login on a registry API is a login event only when refused (not one per request).
      audit.login = { operationName: 'Login' };
      throw error;
    }
    if (!required) {
      audit.reason = 'valid credentials';
      return principal;
    }
    const grants = await this.deps.grants.grantsOf(principal, target.registry);
    const allowed = intersect(grants, [required])[0]?.actions ?? [];
    const missing = required.actions.filter((a) => !allowed.includes(a) && !(a === '*' && allowed.length > 0));
    if (missing.length === 0) {
      audit.reason = `${grants.sources.join(', ')} allow ${describeScope(required)}`;
      return principal;
    }
    const has = grants.sources.length > 0 ? `its grants: ${grants.sources.join(', ')}` : `it has no role or scope map on registry '${target.registry.name}'`;
    const why = `${describePrincipal(principal)} may not ${describeScope({ ...required, actions: missing })} (${has})`;
    audit.reason = why;
    recordRefusal(request, required);
    throw errors.denied(m('accessDenied', { why }), actionDetail(required, missing, principal));
  }
}

const m = (key: Extract<keyof typeof authMessages.messages.en, string>, values?: Record<string, MessageValue>) => localize(authMessages, key, values);

/** The throttle's key in the client's words. */
function throttleKey(key: ThrottleKey): Text {
  return key.kind === 'address' ? m('throttleAddress', { address: key.address }) : m('throttleIdentity', { identity: key.identity, address: key.address });
}

const OPERATION_OF: Record<string, RepositoryOperation> = { pull: 'Pull', push: 'Push', delete: 'Delete', metadata_write: 'Untag' };

/** A refused repository operation is a repository event too (the handler never runs). */
function recordRefusal(request: FastifyRequest, required: AccessEntry | null): void {
  if (!required || required.type !== 'repository') return;
  const operationName = OPERATION_OF[required.actions[0] ?? ''];
  const audit = auditOf(request);
  if (operationName && !audit.repository) audit.repository = { operationName, repository: required.name };
}

function covers(grants: GrantSet, required: AccessEntry): boolean {
  const allowed = intersect(grants, [required])[0]?.actions ?? [];
  return required.actions.every((a) => allowed.includes(a) || (a === '*' && allowed.length > 0));
}


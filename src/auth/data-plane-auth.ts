/**
 * Authentication and authorization of registry data-plane requests (/v2, /acr/v1): a Bearer
 * access token from /oauth2/token, Basic credentials (admin user, token, service principal,
 * null GUID + ACR token), or nothing (anonymous). Each path returns a decision value — who,
 * allowed or not, by which rule and why (access/decision.ts) — which authorize() records in the
 * request's audit and, for a refusal, renders once (network/refusal.ts): a 401 with ACR's Bearer
 * challenge, a 403 when valid credentials lack the action, or a 429 when failed logins from
 * the address or for the identity are over the limit.
 */
import type { FastifyRequest } from 'fastify';
import { intersect, missingActions, type GrantSet } from '../access/grants.js';
import type { GrantResolver } from '../access/grant-resolver.js';
import { formatScope, type AccessEntry } from '../access/scopes.js';
import { auditOf, type RepositoryOperation } from '../audit/request-audit.js';
import { TokenRejected } from '../identity/key-ring.js';
import { settleNetwork } from '../network/bypass.js';
import type { AcrTokens } from './acr-tokens.js';
import { localize, type LocalizedText, type MessageValue } from '../i18n/localized.js';
import { authMessages } from '../access/auth-messages.js';
import type { CredentialCheck, CredentialChecker, CredentialRefusal } from './credentials.js';
import { englishReason, reason, reasonText, type Decision, type Reason } from '../access/decision.js';
import { ANONYMOUS, type Principal } from '../access/principal.js';
import { principalReason, scopeReason, throttleKeyReason, tokenRejectedReason } from '../access/reasons.js';
import { recordDecision, renderRefusal, type Refusal, type Wire } from '../network/refusal.js';
import type { LoginThrottle, ThrottleKey, ThrottleVerdict } from '../access/login-throttle.js';
import type { RefreshBinding } from './acr-tokens.js';
import { createHash } from 'node:crypto';

import type { AuthTarget } from '../domain/host-routing.js';

/** What a refusal names: the registry the request resolved to (see errors.unauthorized). */
export function refusedAt(target: AuthTarget): { registry: string; loginServer: string } {
  return { registry: target.registry.name, loginServer: target.loginServer };
}

const PLAIN_HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** Everyone, with every action: `auth.openAccess` (insecure, opt-in). */
const OPEN_ACCESS: Principal = { kind: 'anonymous', id: 'anonymous', name: 'anonymous (open access)', tenantId: null };

interface DataPlaneAuthDeps {
  openAccess: boolean;
  tokens: AcrTokens;
  credentials: CredentialChecker;
  grants: GrantResolver;
  throttle: LoginThrottle;
}

/** The `Authorization` header, split. */
type PresentedCredentials =
  { scheme: 'none' } | { scheme: 'bearer'; token: string } | { scheme: 'basic'; username: string; password: string } | { scheme: 'invalid'; why: Reason };

export function parseAuthorization(header: string | undefined): PresentedCredentials {
  if (!header) return { scheme: 'none' };
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const value = space < 0 ? '' : header.slice(space + 1).trim();
  if (scheme === 'bearer') return value ? { scheme: 'bearer', token: value } : { scheme: 'invalid', why: reason('headerEmptyBearer') };
  if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { scheme: 'invalid', why: reason('headerBasicWithoutColon') };
    const username = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    // `Og==` (":"), which skopeo sends when it has no credentials, means no credentials.
    if (username === '' && password === '') return { scheme: 'none' };
    return { scheme: 'basic', username, password };
  }
  return { scheme: 'invalid', why: reason('headerUnsupportedScheme', { scheme }) };
}

function actionDetail(required: AccessEntry, actions: string[], principal?: Principal) {
  return actions.map((action) => ({
    Type: required.type,
    Name: required.name,
    Action: action,
    ...(principal ? { Identity: principal.name } : {}),
  }));
}

/** The English description of a scope (diagnose's reasons quote it). */
export function describeScope(required: AccessEntry): string {
  return englishReason(scopeReason(required));
}

/** What authentication and authorization found for a request, before anything is recorded or thrown. */
interface Outcome {
  decision: Decision | Refusal;
  /** Who the request acts as; for a refused login, who it claimed to be. */
  principal?: Principal;
  /** The credentials were verified: `principal` is who is calling (not just who it claimed to be). */
  identified: boolean;
  jwtId?: string | null;
  /** How a refusal goes on the wire. */
  wire?: Wire;
  /** A Basic login on a registry API is a login event only when refused (not one per request). */
  loginEvent?: boolean;
  /** A refused repository operation is a repository event too (the handler never runs). */
  refusedOperation?: AccessEntry | null;
}

/** A checked user name and password: the principal, or the refusal with who it claimed to be. */
type PasswordCheck =
  | { ok: true; principal: Principal; jwtId: string | null; binding: RefreshBinding }
  | { ok: false; refusal: Refusal; claimed: Principal; credential?: CredentialRefusal };

const allowed = (stage: Decision['stage'], rule: string, why: Reason): Decision => ({ allowed: true, stage, rule, reason: why });

export class DataPlaneAuth {
  private readonly pending = new Map<string, Promise<CredentialCheck>>();

  /** What a refusal's challenge asks for besides the scope required, while a request is authorized. */
  private readonly alsoChallenged = new WeakMap<FastifyRequest, AccessEntry[]>();

  constructor(private readonly deps: DataPlaneAuthDeps) {}

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
   * token, everything the request can use. The decision, and the network's when a trusted
   * service's identity could lift its denial, go into the request's audit.
   */
  async authorize(request: FastifyRequest, target: AuthTarget, required: AccessEntry | null, alsoChallenge: AccessEntry[] = []): Promise<Principal> {
    let outcome: Outcome;
    try {
      outcome = await this.decide(request, target, required, alsoChallenge);
    } catch (error) {
      // No decision (a store failure): while the network's denial is pending, the network refuses.
      await settleNetwork(request, undefined, 500);
      throw error;
    }
    this.record(request, target, outcome);
    const refused = outcome.decision.allowed ? undefined : (outcome.decision as Refusal);
    // Most requests carry no pending denial: they skip the call (and its await) altogether.
    if (request.bypassableDenial !== undefined) await settleNetwork(request, outcome.identified ? outcome.principal : undefined, refused?.status);
    if (refused) throw renderRefusal(refused, outcome.wire!);
    return outcome.principal!;
  }

  /** The decision for a request, with nothing recorded (permits() and authorize() share it). */
  private async decide(request: FastifyRequest, target: AuthTarget, required: AccessEntry | null, alsoChallenge: AccessEntry[]): Promise<Outcome> {
    if (alsoChallenge.length === 0) return this.check(request, target, required);
    this.alsoChallenged.set(request, alsoChallenge);
    try {
      return await this.check(request, target, required);
    } finally {
      this.alsoChallenged.delete(request);
    }
  }

  /** The outcome in the request's audit record: who, which registry, the decision, and the events it makes. */
  private record(request: FastifyRequest, target: AuthTarget, outcome: Outcome): void {
    const audit = auditOf(request);
    audit.registry = target.registry.name;
    audit.loginServer = target.loginServer;
    if (outcome.principal) audit.principal = outcome.principal;
    if (outcome.jwtId !== undefined) audit.jwtId = outcome.jwtId;
    recordDecision(request, outcome.decision);
    if (outcome.loginEvent) audit.login = { operationName: 'Login' };
    const required = outcome.refusedOperation;
    if (required && required.type === 'repository') {
      const operationName = OPERATION_OF[required.actions[0] ?? ''];
      if (operationName && !audit.repository) audit.repository = { operationName, repository: required.name };
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
    const refusal: Refusal = {
      allowed: false,
      stage: 'authorization',
      rule: 'accessToken:insufficientScope',
      status: 401,
      reason: reason('mountNeedsBothScopes', { principal: principalReason(claims.principal), scope: scopeReason(source) }),
    };
    recordDecision(request, refusal);
    throw renderRefusal(refusal, {
      protocol: 'registry',
      challenge: this.challengeFor(request, target, [required, source], 'insufficient_scope'),
      detail: actionDetail(source, source.actions, claims.principal),
    });
  }

  /** Whether the request's credentials allow `required` too; records nothing, throws nothing. */
  async permits(request: FastifyRequest, target: AuthTarget, required: AccessEntry): Promise<boolean> {
    try {
      return (await this.check(request, target, required)).decision.allowed;
    } catch {
      return false;
    }
  }

  private async check(request: FastifyRequest, target: AuthTarget, required: AccessEntry | null): Promise<Outcome> {
    if (this.deps.openAccess) {
      return { decision: allowed('authentication', 'openAccess', reason('openAccess')), principal: OPEN_ACCESS, identified: true };
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
        return {
          decision: {
            allowed: false,
            stage: 'authentication',
            rule: 'authorization:invalid',
            status: 401,
            reason: presented.why,
            told: m('authenticationRequiredWhy', { why: reasonText(presented.why) }),
          } satisfies Refusal,
          identified: false,
          wire: { protocol: 'registry', challenge: this.challenge(request, target, required, 'invalid_request'), at: refusedAt(target) },
        };
    }
  }

  private async anonymous(request: FastifyRequest, target: AuthTarget, required: AccessEntry | null): Promise<Outcome> {
    if (required) {
      const grants = await this.deps.grants.grantsOf(ANONYMOUS, target.registry);
      if (covers(grants, required)) {
        return {
          decision: allowed('authorization', 'anonymousPull', reason('anonymousPullEnabled', { registry: target.registry.name })),
          principal: ANONYMOUS,
          identified: true,
        };
      }
    }
    const why = required
      ? target.registry.anonymousPullEnabled
        ? reason('anonymousOnlyPull', { scope: scopeReason(required) })
        : reason('anonymousPullDisabled', { registry: target.registry.name })
      : reason('noCredentials');
    return {
      decision: { allowed: false, stage: 'authentication', rule: 'anonymous', status: 401, reason: why, told: m('authenticationRequired') } satisfies Refusal,
      principal: ANONYMOUS,
      identified: false,
      wire: {
        protocol: 'registry',
        challenge: this.challenge(request, target, required),
        detail: required ? actionDetail(required, required.actions) : null,
        at: refusedAt(target),
      },
    };
  }

  private async bearer(request: FastifyRequest, target: AuthTarget, required: AccessEntry | null, token: string): Promise<Outcome> {
    let claims;
    try {
      claims = await this.deps.tokens.verify(token, target.loginServer, 'access_token');
    } catch (error) {
      if (!(error instanceof TokenRejected)) throw error;
      const why = tokenRejectedReason(error.reason);
      return {
        decision: {
          allowed: false,
          stage: 'authentication',
          rule: `accessToken:${error.reason}`,
          status: 401,
          reason: reason('accessTokenRefused', { why }),
          told: m('tokenRefused', { why: reasonText(why) }),
        } satisfies Refusal,
        identified: false,
        wire: { protocol: 'registry', challenge: this.challenge(request, target, required, 'invalid_token'), at: refusedAt(target) },
      };
    }
    const principal = claims.principal;
    const found = { principal, jwtId: claims.jwtId, identified: true };
    if (!required) return { ...found, decision: allowed('authentication', 'accessToken', reason('validAccessToken')) };
    const missing = missingActions(claims.access, required);
    if (missing.length === 0)
      return { ...found, decision: allowed('authorization', 'accessToken', reason('accessTokenAllows', { scope: scopeReason(required) })) };
    const held = claims.access.map(formatScope).join(' ');
    const why =
      principal.kind === 'anonymous' && !target.registry.anonymousPullEnabled
        ? reason('anonymousTokenLogInFirst', { registry: target.registry.name, loginServer: target.loginServer })
        : held
          ? reason('accessTokenLacks', { principal: principalReason(principal), scope: scopeReason({ ...required, actions: missing }), held })
          : reason('accessTokenAllowsNothing', { principal: principalReason(principal), scope: scopeReason({ ...required, actions: missing }) });
    return {
      ...found,
      decision: { allowed: false, stage: 'authorization', rule: 'accessToken:insufficientScope', status: 401, reason: why } satisfies Refusal,
      refusedOperation: required,
      wire: {
        protocol: 'registry',
        challenge: this.challenge(request, target, required, 'insufficient_scope'),
        detail: actionDetail(required, missing, principal),
        at: refusedAt(target),
      },
    };
  }

  /**
   * A user name and password, throttled per address and identity: a 429 refusal past the
   * limit, else the credential check's. Records nothing: callers record the decision. Shared
   * by Basic credentials on the registry APIs and the token endpoints.
   */
  async checkPassword(request: FastifyRequest, target: AuthTarget, username: string, password: string): Promise<PasswordCheck> {
    const begun = this.throttledCheck(request, target, username, password);
    if ('limited' in begun) {
      const { verdict } = begun;
      const key = throttleKeyReason(verdict.key!);
      return {
        ok: false,
        claimed: { kind: 'anonymous', id: username, name: username, tenantId: null },
        refusal: {
          allowed: false,
          stage: 'authentication',
          rule: `throttle:${verdict.key!.kind}`,
          status: 429,
          reason: reason('tooManyLogins', { key }),
          told: m('tooManyLogins', { key: throttleKeyText(verdict.key!), retryAfter: verdict.retryAfter }),
          retryAfter: verdict.retryAfter,
        },
      };
    }
    const result = await begun;
    if (result.ok) return result;
    // The seeds' stale-credentials case: stored credentials stop an anonymous pull.
    const why = target.registry.anonymousPullEnabled
      ? reason('staleCredentials', { refusal: result.reason, registry: target.registry.name, loginServer: target.loginServer })
      : result.reason;
    return {
      ok: false,
      claimed: { kind: 'anonymous', id: result.identity, name: result.identity, tenantId: null },
      credential: result.refusal,
      refusal: {
        allowed: false,
        stage: 'authentication',
        rule: credentialRule(result.refusal),
        status: 401,
        reason: why,
        ...(result.told ? { told: result.told } : {}),
      },
    };
  }

  /**
   * One credential check under the throttle. The same credentials from the same address while a
   * check of them is under way share its answer (one scrypt, one failure counted); any other
   * attempt reserves its place in the throttle first, or is refused.
   */
  private throttledCheck(
    request: FastifyRequest,
    target: AuthTarget,
    username: string,
    password: string,
  ): Promise<CredentialCheck> | { limited: true; verdict: ThrottleVerdict } {
    const key = createHash('sha256').update([target.registry.name, request.ip, username, password].join('\u0000')).digest('base64');
    const pending = this.pending.get(key);
    if (pending) return pending;
    const begun = this.deps.throttle.begin(request.ip, username);
    if (begun.limited) return { limited: true, verdict: begun.verdict };
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

  private async basic(request: FastifyRequest, target: AuthTarget, required: AccessEntry | null, username: string, password: string): Promise<Outcome> {
    const checked = await this.checkPassword(request, target, username, password);
    if (!checked.ok) {
      return {
        decision: checked.refusal,
        principal: checked.claimed,
        identified: false,
        loginEvent: true,
        wire: { protocol: 'registry', challenge: this.challenge(request, target, required), at: refusedAt(target) },
      };
    }
    const { principal } = checked;
    const found = { principal, jwtId: checked.jwtId, identified: true };
    if (!required) return { ...found, decision: allowed('authentication', 'credentials', reason('validCredentials')) };
    const grants = await this.deps.grants.grantsOf(principal, target.registry);
    const granted = intersect(grants, [required])[0]?.actions ?? [];
    const missing = required.actions.filter((a) => !granted.includes(a) && !(a === '*' && granted.length > 0));
    if (missing.length === 0) {
      return {
        ...found,
        decision: allowed('authorization', 'grant', reason('grantsAllow', { sources: grants.sources, scope: scopeReason(required) })),
      };
    }
    const lacking = { principal: principalReason(principal), scope: scopeReason({ ...required, actions: missing }) };
    const why =
      grants.sources.length > 0
        ? reason('grantsLack', { ...lacking, sources: grants.sources })
        : reason('noGrants', { ...lacking, registry: target.registry.name });
    return {
      ...found,
      decision: {
        allowed: false,
        stage: 'authorization',
        rule: grants.sources.length > 0 ? 'noMatchingGrant' : 'noGrant',
        status: 403,
        reason: why,
      } satisfies Refusal,
      refusedOperation: required,
      wire: { protocol: 'registry', challenge: this.challenge(request, target, required), detail: actionDetail(required, missing, principal) },
    };
  }
}

/** The rule a credential refusal is known by: what diagnose replays and check-health reads. */
function credentialRule(refusal: CredentialRefusal): string {
  return `${refusal.credential}:${refusal.refusal}`;
}

const m = (key: Extract<keyof typeof authMessages.messages.en, string>, values?: Record<string, MessageValue>) => localize(authMessages, key, values);

/** The throttle's key in the client's words. */
function throttleKeyText(key: ThrottleKey): LocalizedText {
  return key.kind === 'address' ? m('throttleAddress', { address: key.address }) : m('throttleIdentity', { identity: key.identity, address: key.address });
}

const OPERATION_OF: Record<string, RepositoryOperation> = { pull: 'Pull', push: 'Push', delete: 'Delete', metadata_write: 'Untag' };

function covers(grants: GrantSet, required: AccessEntry): boolean {
  const allowed = intersect(grants, [required])[0]?.actions ?? [];
  return required.actions.every((a) => allowed.includes(a) || (a === '*' && allowed.length > 0));
}

/**
 * ACR's token server, on every login server:
 *   GET  /oauth2/token    Basic credentials (or none) → access token  (docker, skopeo, podman)
 *   POST /oauth2/token    form grant_type=refresh_token | password     (az, Azure SDK, identitytoken)
 *   POST /oauth2/exchange form grant_type=access_token[_refresh_token] → ACR refresh token
 * An access token carries only requested ∩ granted actions. Every call is a login event.
 *
 * Refresh tokens live auth.refreshTokenMinutes. docker login asks for one (offline_token=true)
 * and, given one, keeps it in config.json *instead of* the password: a login with a password
 * that does not expire (admin user, token password, client secret) would then stop working
 * when the refresh token does. So, as ACR does for these logins, GET answers with a refresh
 * token only to a caller that already presented one (the null GUID user or a Bearer: az acr
 * login's `docker login`), and docker keeps the password.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { intersect } from '../access/grants.js';
import { parseScopes, type AccessEntry } from '../access/scopes.js';
import { auditOf } from '../audit/request-audit.js';
import { localize, type LocalizedText, type MessageValue } from '../i18n/localized.js';
import { settleNetwork } from '../network/bypass.js';
import { NetworkDenied } from '../network/denial.js';
import { BodyTooLarge, readForm } from '../kernel/body.js';
import { errors, RegistryError } from '../kernel/errors.js';
import type { ResolvedRegistry } from '../domain/host-routing.js';
import type { RegistryDirectory } from '../domain/host-routing.js';
import type { IdentityPlane } from '../identity/identity-plane.js';
import type { GrantResolver } from '../access/grant-resolver.js';
import type { AcrTokens } from './acr-tokens.js';
import type { CredentialChecker } from './credentials.js';
import type { DataPlaneAuth } from './data-plane-auth.js';
import type { LoginThrottle } from '../access/login-throttle.js';
import { authMessages } from '../access/auth-messages.js';
import { parseAuthorization, refusedAt } from './data-plane-auth.js';
import { reason, reasonText, type Decision, type Reason } from '../access/decision.js';
import { recordDecision, refuse, type Refusal } from '../network/refusal.js';
import { tokenRejectedReason } from '../access/reasons.js';
import { ANONYMOUS, type Principal } from '../access/principal.js';
import { NULL_GUID, type RefreshBinding, type RefreshOrigin } from './acr-tokens.js';
import { AccessTokenRejected } from '../identity/identity-plane.js';
import { RefreshTokenRejected } from '../identity/token-issuer.js';

interface Issued {
  principal: Principal;
  access: AccessEntry[];
  reason: Reason;
  jwtId: string | null;
  /** What a refresh token issued with this answer is bound to. */
  binding: RefreshBinding;
}

/**
 * The audiences of Entra tokens /oauth2/exchange accepts: ARM's, ACR's, and this server's own
 * names. Never the request's Host header: a client chooses it, so a token meant for another
 * service would pass by naming that service as the Host.
 */
function exchangeAudiences(domain: string, loginServer: string): string[] {
  const hosts = [loginServer, `management.${domain}`];
  return ['https://management.azure.com', 'https://management.core.windows.net', 'https://containerregistry.azure.net', ...hosts.map((h) => `https://${h}`)];
}

/** What the token server uses. */
export interface TokenServer {
  /** The DNS suffix of this server's names (exchangeAudiences). */
  domain: string;
  /** Resolves a `service` parameter naming another host than the request's. */
  directory: Pick<RegistryDirectory, 'resolve'>;
  auth: Pick<DataPlaneAuth, 'checkPassword'>;
  tokens: AcrTokens;
  credentials: CredentialChecker;
  grants: GrantResolver;
  throttle: LoginThrottle;
  identity: Pick<IdentityPlane, 'verifyAccessToken' | 'redeemRefreshToken' | 'directory'>;
}

export function registerTokenRoutes(app: FastifyInstance, services: TokenServer): void {
  const { tokens, credentials, grants, throttle } = services;

  /** The registry a token request is for: the `service` parameter, else the Host header. */
  async function targetOf(request: FastifyRequest, service: string | null): Promise<ResolvedRegistry> {
    // The Host's registry was resolved once, before the network gate (distribution/data-plane-pipeline.ts).
    const byHost = request.registryTarget;
    const resolved = service ? await services.directory.resolve(service) : byHost;
    if (!resolved) throw errors.unknownHost(service || (request.headers.host ?? ''));
    // The network gate judged the request by its Host's registry: a token for another
    // registry must be asked of that registry's own login server, behind its own rules.
    if (service) {
      if (!byHost) throw errors.unknownHost(request.headers.host ?? '');
      if (byHost.registry.name !== resolved.registry.name) {
        const values = { service, registry: resolved.registry.name, hostRegistry: byHost.registry.name, loginServer: resolved.loginServer };
        const refusal: Refusal = {
          allowed: false,
          stage: 'request',
          rule: 'tokenRequest:serviceMismatch',
          status: 400,
          reason: reason('serviceMismatch', values),
          told: m('serviceMismatch', values),
        };
        throw refuse(request, refusal, { protocol: 'token' });
      }
    }
    const audit = auditOf(request);
    audit.registry = resolved.registry.name;
    audit.loginServer = resolved.loginServer;
    return resolved;
  }

  /** Username/password, throttled; a refusal (401, or 429 past the limit) is recorded and thrown in the registry's error format. */
  async function login(request: FastifyRequest, target: ResolvedRegistry, username: string, password: string) {
    const checked = await services.auth.checkPassword(request, target, username, password);
    if (checked.ok) return checked;
    auditOf(request).principal = checked.claimed;
    throw refuse(request, checked.refusal, { protocol: 'token', detail: checked.credential ?? null, at: refusedAt(target) });
  }

  async function grantFor(
    principal: Principal,
    target: ResolvedRegistry,
    scopes: AccessEntry[],
    jwtId: string | null,
    binding: RefreshBinding = { credential: null },
  ): Promise<Issued> {
    const granted = await grants.grantsOf(principal, target.registry);
    const access = intersect(granted, scopes);
    const requested = scopes.map((s) => `${s.type}:${s.name}:${s.actions.join(',')}`).join(' ') || reason('scopeNone');
    const given = access.map((s) => `${s.type}:${s.name}:${s.actions.join(',')}`).join(' ') || reason('scopeNothing');
    const from = granted.sources.length > 0 ? granted.sources : reason('grantsNone');
    return { principal, access, jwtId, binding, reason: reason('tokenGranted', { requested, given, from }) };
  }

  async function answer(request: FastifyRequest, reply: FastifyReply, target: ResolvedRegistry, issued: Issued, refresh: boolean) {
    await settleNetwork(request, issued.principal);
    const audit = auditOf(request);
    const accessToken = await tokens.issue('access_token', issued.principal, target.loginServer, issued.access);
    audit.principal = issued.principal;
    audit.jwtId = accessToken.jwtId;
    recordDecision(request, allowedToken('token:issued', issued.reason));
    const body: Record<string, unknown> = {
      access_token: accessToken.token,
      // docker and containers/image read `token`; ACR's clients read `access_token`.
      token: accessToken.token,
      expires_in: accessToken.expiresIn,
      issued_at: new Date().toISOString(),
    };
    if (refresh && issued.principal.kind !== 'anonymous') {
      body.refresh_token = (await tokens.issue('refresh_token', issued.principal, target.loginServer, [], issued.binding)).token;
    }
    return reply.header('Content-Type', 'application/json; charset=utf-8').header('Cache-Control', 'no-store').send(JSON.stringify(body));
  }

  async function tokenByGet(request: FastifyRequest, reply: FastifyReply) {
    const query = new URLSearchParams(request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '');
    auditOf(request).login = { operationName: 'Login' };
    const target = await targetOf(request, query.get('service'));
    const scopes = parseScopes(query.getAll('scope'));
    const presented = parseAuthorization(request.headers.authorization);
    let principal: Principal = ANONYMOUS;
    let jwtId: string | null = null;
    let binding: RefreshBinding = { credential: null };
    if (presented.scheme === 'basic') {
      ({ principal, jwtId, binding } = await login(request, target, presented.username, presented.password));
    } else if (presented.scheme === 'bearer') {
      // A client may present its refresh token (never an access token) as a bearer token.
      const result = await credentials.checkAcrToken(presented.token, target.registry, target.loginServer);
      if (!result.ok) {
        throw refuse(request, refused(`${result.refusal.credential}:${result.refusal.refusal}`, 401, result.reason, result.told), {
          protocol: 'token',
          at: refusedAt(target),
        });
      }
      ({ principal, jwtId, binding } = result);
    } else if (presented.scheme === 'invalid') {
      const told = m('authenticationRequiredWhy', { why: reasonText(presented.why) });
      throw refuse(request, refused('authorization:invalid', 401, presented.why, told), { protocol: 'token', at: refusedAt(target) });
    }
    const issued = await grantFor(principal, target, scopes, jwtId, binding);
    const presentedRefreshToken = presented.scheme === 'bearer' || (presented.scheme === 'basic' && presented.username === NULL_GUID);
    return answer(request, reply, target, issued, query.get('offline_token') === 'true' && presentedRefreshToken);
  }

  async function tokenByPost(request: FastifyRequest, reply: FastifyReply) {
    const form = await readForm(request.raw);
    const grantType = form.get('grant_type') ?? '';
    const audit = auditOf(request);
    audit.login = { operationName: grantType === 'refresh_token' ? 'RefreshToken' : 'Login' };
    const target = await targetOf(request, form.get('service'));
    const scopes = parseScopes(form.getAll('scope'));
    if (grantType === 'refresh_token') {
      const refreshToken = form.get('refresh_token') ?? '';
      if (refreshToken === '') throw tokenRequestInvalid(request, reason('refreshTokenNeeded'));
      const result = await credentials.checkAcrToken(refreshToken, target.registry, target.loginServer);
      if (!result.ok) {
        audit.principal = { kind: 'anonymous', id: result.identity, name: result.identity, tenantId: null };
        const refusal = refused(`${result.refusal.credential}:${result.refusal.refusal}`, 401, result.reason, result.told);
        throw refuse(request, refusal, { protocol: 'token', detail: result.refusal, at: refusedAt(target) });
      }
      return answer(request, reply, target, await grantFor(result.principal, target, scopes, result.jwtId, result.binding), false);
    }
    if (grantType === 'password') {
      const username = form.get('username') ?? '';
      const password = form.get('password') ?? '';
      // The Azure SDK's anonymous flow: grant_type=password with an empty refresh_token and no user.
      if (username === '' && password === '') {
        return answer(request, reply, target, await grantFor(ANONYMOUS, target, scopes, null), false);
      }
      const result = await login(request, target, username, password);
      // Asked for explicitly; a client that asks this way renews with its password.
      const offline = form.get('access_type') === 'offline';
      const binding: RefreshBinding = { ...result.binding, origin: result.binding.origin ?? 'password' };
      return answer(request, reply, target, await grantFor(result.principal, target, scopes, result.jwtId, binding), offline);
    }
    throw tokenRequestInvalid(request, reason('unsupportedGrantType', { grantType }));
  }

  async function exchange(request: FastifyRequest, reply: FastifyReply) {
    const form = await readForm(request.raw);
    const grantType = form.get('grant_type') ?? '';
    const audit = auditOf(request);
    audit.login = { operationName: 'ExchangeToken' };
    const target = await targetOf(request, form.get('service'));
    if (!['access_token', 'access_token_refresh_token', 'refresh_token'].includes(grantType)) {
      throw tokenRequestInvalid(request, reason('unsupportedExchangeGrantType', { grantType }));
    }
    const aadToken = form.get('access_token') ?? '';
    const aadRefresh = form.get('refresh_token') ?? '';
    if (aadToken === '' && aadRefresh === '') {
      throw tokenRequestInvalid(request, reason('exchangeNeedsToken', { grantType }));
    }
    let claims;
    try {
      claims =
        aadToken !== ''
          ? await services.identity.verifyAccessToken(aadToken, exchangeAudiences(services.domain, target.loginServer))
          : await services.identity.redeemRefreshToken(aadRefresh);
    } catch (error) {
      throttle.fail(request.ip, null);
      throw entraRefused(request, target, entraRejection(error));
    }
    const tenant = form.get('tenant');
    const principal: Principal = { kind: claims.type, id: claims.objectId, name: claims.name, tenantId: claims.tenantId };
    audit.principal = principal;
    audit.jwtId = claims.jwtId;
    await settleNetwork(request, principal);
    if (tenant && tenant.toLowerCase() !== claims.tenantId.toLowerCase()) {
      const told = m('wrongTenant', { tokenTenant: claims.tenantId, tenant });
      throw refuse(request, refused('entra:wrongTenant', 401, reason('wrongTenant', { tokenTenant: claims.tenantId, tenant }), told), {
        protocol: 'token',
        at: refusedAt(target),
      });
    }
    // The ACR refresh token dies with the credential the Entra token was obtained with.
    const identity = await services.identity.directory.get(claims.objectId);
    if (!identity) throw entraRefused(request, target, reason('entraIdentityGone'));
    if ((await services.identity.directory.credentialCurrent(identity, claims.credential)) !== true) {
      throw entraRefused(request, target, reason('identityCredentialChanged', { identity: claims.name }));
    }
    const refresh = await tokens.issue('refresh_token', principal, target.loginServer, [], {
      credential: claims.credential,
      origin: exchangeOrigin(request.headers['user-agent']),
    });
    recordDecision(request, allowedToken('entra:exchanged', reason('entraExchanged', { kind: claims.type, name: claims.name })));
    return reply
      .header('Content-Type', 'application/json; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .send(JSON.stringify({ refresh_token: refresh.token }));
  }

  const wrap = (handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>) => async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      return await handler(request, reply);
    } catch (thrown) {
      const error = thrown instanceof BodyTooLarge ? tokenRequestInvalid(request, reason('bodyTooLarge', { limit: thrown.limit })) : thrown;
      // A refusal while a trusted service could lift the network's denial: the network has the last word.
      if (!(error instanceof NetworkDenied)) {
        const identified = request.audit?.decision?.allowed === false ? undefined : request.audit?.principal;
        await settleNetwork(request, identified, error instanceof RegistryError ? error.status : 500);
      }
      throw error;
    }
  };
  app.get('/oauth2/token', wrap(tokenByGet));
  app.post('/oauth2/token', wrap(tokenByPost));
  app.post('/oauth2/exchange', wrap(exchange));
}

/**
 * Which client exchanged an Entra token, from its User-Agent: only to name the sign-in that
 * renews the refresh token when it expires (az acr login uses python-requests; wharf's own).
 */
function exchangeOrigin(userAgent: string | undefined): RefreshOrigin {
  const agent = (userAgent ?? '').toLowerCase();
  if (agent.startsWith('wharf-cli')) return 'wharf';
  if (agent.startsWith('python-requests/') || agent.includes('azurecli')) return 'az';
  return 'exchange';
}

function refused(rule: string, status: Refusal['status'], why: Reason, told?: LocalizedText): Refusal {
  return { allowed: false, stage: 'authentication', rule, status, reason: why, ...(told ? { told } : {}) };
}

function allowedToken(rule: string, why: Reason): Decision {
  return { allowed: true, stage: 'authentication', rule, reason: why };
}

/** A malformed token request: 400 with the reason, in the request's language. */
function tokenRequestInvalid(request: FastifyRequest, why: Reason): RegistryError {
  return refuse(request, { allowed: false, stage: 'request', rule: 'tokenRequest:invalid', status: 400, reason: why }, { protocol: 'token' });
}

/** A refused Entra ID token at /oauth2/exchange. */
function entraRefused(request: FastifyRequest, target: ResolvedRegistry, why: Reason): RegistryError {
  const refusal = refused('entra:tokenRefused', 401, reason('entraTokenRefused', { why }), m('entraTokenRefused', { why: reasonText(why) }));
  return refuse(request, refusal, { protocol: 'token', at: refusedAt(target) });
}

/** Why the identity plane refused an Entra token, from its error's code (never its words). */
function entraRejection(error: unknown): Reason {
  if (error instanceof RefreshTokenRejected) return error.reason === 'expired' ? reason('entraRefreshTokenExpired') : reason('entraRefreshTokenInvalid');
  return tokenRejectedReason(error instanceof AccessTokenRejected ? error.reason : '');
}

const m = (key: Extract<keyof typeof authMessages.messages.en, string>, values?: Record<string, MessageValue>) => localize(authMessages, key, values);

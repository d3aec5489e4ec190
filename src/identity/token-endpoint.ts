/**
 * The token endpoints' grants, as Entra answers them:
 * - `client_credentials` for service principals (secret in the body or as HTTP Basic);
 * - `password` for users (with a public client id, or a confidential client and its secret);
 * - `refresh_token` for refresh tokens issued to users by `password`.
 * Failed sign-ins count against the throttle per address and per identity-and-address; once it
 * trips, the endpoint refuses before looking at the credentials.
 */
import type { LoginThrottle } from '../access/login-throttle.js';
import type { IdentityRecord } from '../storage/metadata/access-records.js';
import type { AuthenticationResult, IdentityDirectory } from './directory.js';
import { entraErrors } from './entra-errors.js';
import { param } from './http.js';
import { RefreshTokenRejected, type IssuedToken, type RefreshGrant, type TokenIssuer } from './token-issuer.js';
import { parseRequestedAccess, type EndpointFlavor, type RequestedAccess } from './token-scopes.js';
import { localize } from '../i18n/localized.js';
import { identityMessages } from './identity-messages.js';

interface TokenRequestContext {
  flavor: EndpointFlavor;
  /** The tenant the URL names (aliases resolved); null for ADFS, which has no tenant: any tenant's identities. */
  tenantId: string | null;
  /** `https://<host>` the client used: the issuer is built on it. */
  origin: string;
  /** The caller's address, for throttling. */
  address: string;
  /** The Authorization header, for client credentials sent as HTTP Basic. */
  authorization: string | undefined;
}

interface TokenEndpointDeps {
  directory: IdentityDirectory;
  issuer: TokenIssuer;
  throttle: LoginThrottle;
}

const CLIENT_ID_MAX = 256;

/** Client credentials from HTTP Basic (RFC 6749 §2.3.1: each part form-encoded) or the body. */
function clientCredentials(form: URLSearchParams, authorization: string | undefined): { clientId?: string; secret?: string } {
  const basic = /^Basic\s+(\S+)\s*$/i.exec(authorization ?? '');
  const fromBody = { clientId: param(form, 'client_id'), secret: param(form, 'client_secret') };
  if (!basic) return fromBody;
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw entraErrors.malformedRequest(localize(identityMessages, 'basicNotCredentials'));
  const formDecode = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  const clientId = formDecode(decoded.slice(0, colon));
  const secret = formDecode(decoded.slice(colon + 1));
  if (fromBody.clientId && fromBody.clientId.toLowerCase() !== clientId.toLowerCase()) {
    throw entraErrors.malformedRequest(localize(identityMessages, 'clientIdMismatch', { clientId: fromBody.clientId }));
  }
  return { clientId, secret: secret || fromBody.secret };
}

type SignedIn = Extract<AuthenticationResult, { ok: true }>;

/** Runs one credential check under the throttle; returns the sign-in or throws the Entra error. */
async function throttled(deps: TokenEndpointDeps, address: string, key: string, attempt: () => Promise<AuthenticationResult>): Promise<SignedIn> {
  // Reserved before the check, so a burst of attempts cannot outrun the limit.
  const begun = deps.throttle.begin(address, key);
  if (begun.limited) {
    const { verdict } = begun;
    throw verdict.key?.kind === 'identity' ? entraErrors.accountLocked(verdict.retryAfter) : entraErrors.tooManyRequests(address, verdict.retryAfter);
  }
  let result: AuthenticationResult;
  try {
    result = await attempt();
  } catch (error) {
    begun.attempt.succeeded();
    throw error;
  }
  if (!result.ok) {
    begun.attempt.failed();
    throw result.error;
  }
  begun.attempt.succeeded();
  return result;
}

function requireParam(form: URLSearchParams, name: string): string {
  const value = param(form, name);
  if (value === undefined) throw entraErrors.missingParameter(name);
  return value;
}

/** The response body, in the endpoint's flavor (v1 writes numbers as strings and names the resource). */
function tokenResponse(
  ctx: TokenRequestContext,
  access: RequestedAccess,
  issued: IssuedToken,
  extra: { refreshToken?: string; idToken?: string; clientInfo?: string; withScope: boolean },
): Record<string, unknown> {
  const body: Record<string, unknown> =
    ctx.flavor === 'v1'
      ? {
          token_type: 'Bearer',
          expires_in: String(issued.expiresIn),
          ext_expires_in: String(issued.expiresIn),
          expires_on: String(issued.expiresOn),
          not_before: String(issued.notBefore),
          resource: access.resource,
          access_token: issued.token,
        }
      : {
          token_type: 'Bearer',
          ...(extra.withScope ? { scope: access.scope } : {}),
          expires_in: issued.expiresIn,
          ext_expires_in: issued.expiresIn,
          access_token: issued.token,
        };
  if (extra.refreshToken) body.refresh_token = extra.refreshToken;
  if (extra.idToken) body.id_token = extra.idToken;
  if (extra.clientInfo) body.client_info = extra.clientInfo;
  return body;
}

/** MSAL's `client_info`: who the account is, base64url JSON. */
function clientInfo(identity: IdentityRecord): string {
  return Buffer.from(JSON.stringify({ uid: identity.objectId, utid: identity.tenantId })).toString('base64url');
}

async function clientCredentialsGrant(deps: TokenEndpointDeps, ctx: TokenRequestContext, form: URLSearchParams): Promise<Record<string, unknown>> {
  const { clientId, secret } = clientCredentials(form, ctx.authorization);
  if (!clientId) throw entraErrors.missingParameter('client_id');
  if (!secret) throw entraErrors.missingClientCredential();
  const access = parseRequestedAccess({ flavor: ctx.flavor, grantType: 'client_credentials', scope: param(form, 'scope'), resource: param(form, 'resource') });
  const { identity, credential } = await throttled(deps, ctx.address, clientId.toLowerCase(), () =>
    deps.directory.authenticateClient(ctx.tenantId, clientId, secret),
  );
  const issued = await deps.issuer.accessToken(identity, { origin: ctx.origin, flavor: ctx.flavor, resource: access.resource, credential });
  return tokenResponse(ctx, access, issued, { withScope: false });
}

/** Tokens for a signed-in user: access token, refresh token, and an id token when `openid` was asked for. */
async function userTokens(
  deps: TokenEndpointDeps,
  ctx: TokenRequestContext,
  form: URLSearchParams,
  identity: IdentityRecord,
  clientId: string,
  access: RequestedAccess,
  session: { credential: string | null; notAfter?: number },
): Promise<Record<string, unknown>> {
  const issued = await deps.issuer.accessToken(identity, {
    origin: ctx.origin,
    flavor: ctx.flavor,
    resource: access.resource,
    clientAppId: clientId,
    permissions: access.permissions,
    credential: session.credential,
  });
  // v1 always returned refresh tokens to users; v2 and ADFS only with offline_access.
  const refreshToken =
    ctx.flavor === 'v1' || access.oidc.has('offline_access')
      ? await deps.issuer.refreshToken(identity, {
          origin: ctx.origin,
          flavor: ctx.flavor,
          clientId,
          resource: access.resource,
          scope: access.scope,
          ...session,
        })
      : undefined;
  const idToken = access.oidc.has('openid') ? await deps.issuer.idToken(identity, { origin: ctx.origin, flavor: ctx.flavor, clientId }) : undefined;
  return tokenResponse(ctx, access, issued, {
    refreshToken,
    idToken,
    clientInfo: param(form, 'client_info') === '1' ? clientInfo(identity) : undefined,
    withScope: true,
  });
}

async function passwordGrant(deps: TokenEndpointDeps, ctx: TokenRequestContext, form: URLSearchParams): Promise<Record<string, unknown>> {
  const { clientId, secret } = clientCredentials(form, ctx.authorization);
  if (!clientId) throw entraErrors.missingParameter('client_id');
  if (clientId.length > CLIENT_ID_MAX) throw entraErrors.malformedRequest(localize(identityMessages, 'clientIdTooLong'));
  const userName = requireParam(form, 'username');
  const password = form.get('password');
  if (!password) throw entraErrors.missingParameter('password');
  const access = parseRequestedAccess({ flavor: ctx.flavor, grantType: 'password', scope: param(form, 'scope'), resource: param(form, 'resource') });
  // A confidential client proves itself too; a public client (az, Azure PowerShell…) only names itself.
  if (secret) await throttled(deps, ctx.address, clientId.toLowerCase(), () => deps.directory.authenticateClient(ctx.tenantId, clientId, secret));
  const { identity, credential } = await throttled(deps, ctx.address, userName.toLowerCase(), () =>
    deps.directory.authenticateUser(ctx.tenantId, userName, password),
  );
  return userTokens(deps, ctx, form, identity, clientId, access, { credential });
}

async function refreshTokenGrant(deps: TokenEndpointDeps, ctx: TokenRequestContext, form: URLSearchParams): Promise<Record<string, unknown>> {
  const { clientId } = clientCredentials(form, ctx.authorization);
  const token = requireParam(form, 'refresh_token');
  if (!clientId) throw entraErrors.missingParameter('client_id');
  let grant: RefreshGrant;
  try {
    grant = await deps.issuer.redeemRefreshToken(token);
  } catch (error) {
    if (!(error instanceof RefreshTokenRejected)) throw error;
    throw error.reason === 'expired' ? entraErrors.expiredRefreshToken() : entraErrors.invalidRefreshToken(error.text);
  }
  if (grant.clientId.toLowerCase() !== clientId.toLowerCase()) throw entraErrors.refreshTokenOtherClient(clientId);
  if (ctx.tenantId !== null && grant.tenantId.toLowerCase() !== ctx.tenantId.toLowerCase()) {
    throw entraErrors.invalidRefreshToken(localize(identityMessages, 'refreshOtherTenant', { issued: grant.tenantId, tenant: ctx.tenantId }));
  }
  const identity = await deps.directory.get(grant.objectId);
  if (!identity || identity.type !== 'User') throw entraErrors.identityGone(localize(identityMessages, 'refreshTokenUser', { objectId: grant.objectId }));
  // The token dies with the password it was obtained with.
  if ((await deps.directory.credentialCurrent(identity, grant.credential)) !== true) throw entraErrors.revokedGrant();
  const scope = param(form, 'scope');
  const resource = param(form, 'resource');
  const access = parseRequestedAccess({
    flavor: ctx.flavor,
    grantType: 'refresh_token',
    // No scope named: the refresh token's own scopes (resource and OpenID Connect ones) carry over.
    scope: scope ?? (resource ? undefined : grant.scope),
    resource,
    fallbackResource: grant.resource,
  });
  // The new refresh token ends when the redeemed one would have: refreshing never extends a sign-in.
  return userTokens(deps, ctx, form, identity, clientId, access, { credential: grant.credential, notAfter: grant.expiresAt });
}

/** Answers one token request (its form already read); throws EntraError for every refusal. */
export async function handleTokenRequest(deps: TokenEndpointDeps, ctx: TokenRequestContext, form: URLSearchParams): Promise<Record<string, unknown>> {
  const grantType = requireParam(form, 'grant_type');
  switch (grantType) {
    case 'client_credentials':
      return clientCredentialsGrant(deps, ctx, form);
    case 'password':
      return passwordGrant(deps, ctx, form);
    case 'refresh_token':
      return refreshTokenGrant(deps, ctx, form);
    default:
      throw entraErrors.unsupportedGrantType(grantType.slice(0, 100));
  }
}

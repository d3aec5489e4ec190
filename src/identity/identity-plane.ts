/**
 * The identity plane: an Entra-ID-compatible issuer inside the Wharf server. It holds the
 * directory (service principals, users, managed identities), issues RS256 tokens from the
 * server's key ring, verifies them for the other planes (`verifyAccessToken`), and serves,
 * on any Host:
 *   GET  /<tenant>/v2.0/.well-known/openid-configuration   (v2 discovery; MSAL, @azure/identity)
 *   GET  /<tenant>/.well-known/openid-configuration        (v1 discovery)
 *   GET  /adfs/.well-known/openid-configuration            (ADFS discovery; az CLI offline)
 *   GET  /common/discovery/instance                        (instance discovery; MSAL)
 *   GET  /<tenant>/discovery/v2.0/keys, /<tenant>/discovery/keys, /adfs/discovery/keys   (JWKS)
 *   POST /<tenant>/oauth2/v2.0/token, /<tenant>/oauth2/token, /adfs/oauth2/token
 *   GET  /metadata/identity/oauth2/token                   (IMDS, loopback callers only)
 * `common` and `organizations` stand for the installation's tenant.
 */
import { decodeJwt, type JWTPayload } from 'jose';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WharfConfig } from '../kernel/config.js';
import type { ArmDefaults } from '../domain/scaffold.js';
import type { LoginThrottle } from '../access/login-throttle.js';
import type { MetadataStore } from '../storage/metadata/store.js';
import type { SecretHasher } from '../kernel/secrets.js';
import type { IdentityRecord, IdentityType } from '../storage/metadata/access-records.js';
import { IdentityDirectory } from './directory.js';
import { adfsConfiguration, instanceDiscovery, v1Configuration, v2Configuration } from './discovery.js';
import { entraErrors } from './entra-errors.js';
import { answer, isLoopback, originOf, readForm, sendJson } from './http.js';
import { TokenRejected, type KeyRing } from './key-ring.js';
import { handleImdsTokenRequest, imdsCaller, ImdsError } from './managed-identity-endpoint.js';
import { requestLanguage } from '../kernel/request-language.js';
import { handleTokenRequest } from './token-endpoint.js';
import { parseIssuer, REFRESH_TOKEN_AUDIENCE, RefreshTokenRejected, TokenIssuer, type RefreshGrant } from './token-issuer.js';
import type { EndpointFlavor } from './token-scopes.js';
import { localize, type Text } from '../i18n/localized.js';
import { translator } from '../i18n/index.js';
import { imdsErrorMessages } from './imds-error-messages.js';
import { identityMessages } from './identity-messages.js';

/** Claims of an access token the identity plane issued, once verified. */
export interface IdentityClaims {
  tenantId: string;
  objectId: string;
  type: IdentityType;
  /** App id of a service principal or managed identity (for a user: null). */
  appId: string | null;
  /** User name for users, app id for service principals and managed identities: what logs show. */
  name: string;
  /** The token's audience, as issued. */
  audience: string;
  jwtId: string;
  /** Unix seconds (the token's `exp`). */
  expiresAt: number;
  /** The credential the token was obtained with (credential-ref.ts); null for managed identities. */
  credential: string | null;
}

type AccessTokenRejection = TokenRejected['reason'] | 'unknown-identity' | 'revoked';

/** Why verifyAccessToken refused a token; the message is fit for an error body and the audit log. */
export class AccessTokenRejected extends Error {
  constructor(
    readonly reason: AccessTokenRejection,
    message: Text,
  ) {
    super(String(message));
    this.text = message;
  }

  /** The reason in every language; `message` is its English text. */
  readonly text: Text;
}

const TENANT_ALIASES = new Set(['common', 'organizations']);

/** Audiences compare without a trailing slash and case-insensitively (`https://management.azure.com/`). */
function normaliseAudience(audience: string): string {
  return audience.replace(/\/+$/, '').toLowerCase();
}

function claimsOf(identity: IdentityRecord, token: { audience: string; jwtId: string; expiresAt: number; credential: string | null }): IdentityClaims {
  return {
    tenantId: identity.tenantId,
    objectId: identity.objectId,
    type: identity.type,
    appId: identity.type === 'User' ? null : identity.appId,
    name: identity.type === 'User' ? (identity.userName ?? identity.displayName) : (identity.appId ?? identity.displayName),
    ...token,
  };
}

/** What the identity plane is made of. */
interface IdentityPlaneDeps {
  store: MetadataStore;
  arm: Pick<ArmDefaults, 'tenantId'>;
  keys: KeyRing;
  config: Pick<WharfConfig, 'auth'>;
  /** Hashes and checks client secrets and passwords (the process's one SecretHasher). */
  secrets: SecretHasher;
}

export class IdentityPlane {
  readonly directory: IdentityDirectory;
  readonly issuer: TokenIssuer;

  constructor(private readonly services: IdentityPlaneDeps) {
    this.directory = new IdentityDirectory(services.store, services.arm.tenantId, services.secrets);
    this.issuer = new TokenIssuer(services.keys, Math.round(services.config.auth.identityTokenMinutes * 60));
  }

  /** Start-up work: the host's own managed identity ('wharf-host') exists from the first start on. */
  async init(): Promise<this> {
    await this.directory.ensureHostIdentity();
    return this;
  }

  /** The tenant a URL's tenant segment names; throws AADSTS90002 for an unknown one. */
  async resolveTenant(segment: string): Promise<string> {
    const lower = segment.toLowerCase();
    if (TENANT_ALIASES.has(lower)) return this.services.arm.tenantId;
    if (await this.directory.tenantExists(lower)) return lower;
    throw entraErrors.unknownTenant(segment.slice(0, 100));
  }

  /**
   * Verifies an access token this identity plane issued: RS256 signature from the key ring,
   * an issuer of one of the shapes issued here, audience (one of `audiences`, or any),
   * nbf/exp, and the identity must still exist. Throws AccessTokenRejected.
   */
  async verifyAccessToken(token: string, audiences: string[] | 'any'): Promise<IdentityClaims> {
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      throw new AccessTokenRejected('malformed', localize(identityMessages, 'tokenNotJwt'));
    }
    const issuer = typeof unverified.iss === 'string' ? unverified.iss : '';
    const issuerShape = parseIssuer(issuer);
    if (!issuerShape) throw new AccessTokenRejected('wrong-issuer', localize(identityMessages, 'tokenForeignIssuer', { issuer: issuer.slice(0, 200) }));
    const rawAudience = Array.isArray(unverified.aud) ? unverified.aud[0] : unverified.aud;
    if (typeof rawAudience !== 'string') throw new AccessTokenRejected('malformed', localize(identityMessages, 'tokenNoAudience'));
    if (rawAudience === REFRESH_TOKEN_AUDIENCE) throw new AccessTokenRejected('wrong-audience', localize(identityMessages, 'tokenIsRefresh'));

    let payload: JWTPayload;
    try {
      payload = await this.services.keys.verify(token, { issuer, audience: rawAudience });
    } catch (error) {
      if (error instanceof TokenRejected) throw new AccessTokenRejected(error.reason, error.text);
      throw new AccessTokenRejected('malformed', localize(identityMessages, 'tokenUnverifiable'));
    }
    if (audiences !== 'any' && !audiences.some((a) => normaliseAudience(a) === normaliseAudience(rawAudience))) {
      throw new AccessTokenRejected(
        'wrong-audience',
        localize(identityMessages, 'tokenAudienceNotAccepted', { audience: rawAudience, expected: audiences.map((a) => `'${a}'`).join(' or ') }),
      );
    }
    const { tid, oid, idtyp, appid, jti, exp, wharf_cred } = payload as Record<string, unknown>;
    if (typeof tid !== 'string' || typeof oid !== 'string' || (idtyp !== 'app' && idtyp !== 'user') || typeof jti !== 'string' || typeof exp !== 'number') {
      throw new AccessTokenRejected('malformed', localize(identityMessages, 'tokenLacksClaims'));
    }
    if (issuerShape.tenantId !== null && issuerShape.tenantId !== tid.toLowerCase()) {
      throw new AccessTokenRejected('wrong-issuer', localize(identityMessages, 'tokenIssuerTenant', { issuer, tenant: tid }));
    }
    const identity = await this.directory.get(oid);
    if (!identity || identity.tenantId.toLowerCase() !== tid.toLowerCase() || (identity.type === 'User') !== (idtyp === 'user')) {
      const gone =
        typeof appid === 'string' && idtyp === 'app'
          ? localize(identityMessages, 'applicationGone', { appId: appid })
          : localize(identityMessages, idtyp === 'user' ? 'userGone' : 'identityGone', { objectId: oid });
      throw new AccessTokenRejected('unknown-identity', gone);
    }
    return claimsOf(identity, { audience: rawAudience, jwtId: jti, expiresAt: exp, credential: typeof wharf_cred === 'string' ? wharf_cred : null });
  }

  /**
   * Verifies a refresh token this plane issued to a user (the `refresh_token` grant of ACR's
   * /oauth2/exchange): signature, expiry, and the user must still exist. Throws
   * AccessTokenRejected; the claims' audience is the resource the token was issued for.
   */
  async redeemRefreshToken(token: string): Promise<IdentityClaims> {
    let grant: RefreshGrant;
    try {
      grant = await this.issuer.redeemRefreshToken(token);
    } catch (error) {
      if (error instanceof RefreshTokenRejected) throw new AccessTokenRejected(error.reason === 'expired' ? 'expired' : 'malformed', error.text);
      throw error;
    }
    const identity = await this.directory.get(grant.objectId);
    if (!identity || identity.type !== 'User' || identity.tenantId.toLowerCase() !== grant.tenantId.toLowerCase()) {
      throw new AccessTokenRejected('unknown-identity', localize(identityMessages, 'refreshUserGone', { objectId: grant.objectId }));
    }
    const current = await this.directory.credentialCurrent(identity, grant.credential);
    if (current !== true) throw new AccessTokenRejected('revoked', localize(identityMessages, 'refreshRevoked', { detail: current }));
    return claimsOf(identity, { audience: grant.resource, jwtId: grant.jwtId, expiresAt: grant.expiresAt, credential: grant.credential });
  }
}

/** Query parameters, the first value of each (a repeated parameter must not turn into an array). */
function queryOf(request: FastifyRequest): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') out[name] = first;
  }
  return out;
}

/** Names the route for metrics and the request log line. */
function named(request: FastifyRequest, routeId: string): FastifyRequest {
  request.routeId = routeId;
  return request;
}

/** What the identity plane's routes use. */
export interface IdentityRoutesDeps {
  identity: IdentityPlane;
  keys: Pick<KeyRing, 'jwks'>;
  throttle: LoginThrottle;
  config: Pick<WharfConfig, 'http' | 'network'>;
}

export function registerIdentityRoutes(app: FastifyInstance, services: IdentityRoutesDeps): void {
  const plane = services.identity;
  const plainHttp = services.config.http;
  const origin = (request: FastifyRequest) => originOf(request, plainHttp);
  const tenantOf = (request: FastifyRequest) => (request.params as { tenant: string }).tenant;
  const deps = { directory: plane.directory, issuer: plane.issuer, throttle: services.throttle };

  // ---- discovery
  app.get('/:tenant/v2.0/.well-known/openid-configuration', (request, reply) =>
    answer(named(request, 'identity.discovery.v2'), reply, async () => {
      const segment = tenantOf(request);
      const tenantId = await plane.resolveTenant(segment);
      return sendJson(reply, 200, v2Configuration(origin(request), segment, TENANT_ALIASES.has(segment.toLowerCase()) ? null : tenantId));
    }),
  );
  app.get('/:tenant/.well-known/openid-configuration', (request, reply) =>
    answer(named(request, 'identity.discovery.v1'), reply, async () => {
      const segment = tenantOf(request);
      const tenantId = await plane.resolveTenant(segment);
      return sendJson(reply, 200, v1Configuration(origin(request), segment, TENANT_ALIASES.has(segment.toLowerCase()) ? null : tenantId));
    }),
  );
  app.get('/adfs/.well-known/openid-configuration', (request, reply) =>
    answer(named(request, 'identity.discovery.adfs'), reply, async () => sendJson(reply, 200, adfsConfiguration(origin(request)))),
  );
  app.get('/common/discovery/instance', (request, reply) =>
    answer(named(request, 'identity.discovery.instance'), reply, async () => {
      return sendJson(reply, 200, instanceDiscovery(origin(request), queryOf(request).authorization_endpoint));
    }),
  );

  // ---- signing keys
  const keys = async (request: FastifyRequest, reply: FastifyReply, tenant: string | null) =>
    answer(named(request, 'identity.keys'), reply, async () => {
      if (tenant !== null) await plane.resolveTenant(tenant);
      return sendJson(reply, 200, await services.keys.jwks());
    });
  app.get('/:tenant/discovery/v2.0/keys', (request, reply) => keys(request, reply, tenantOf(request)));
  app.get('/:tenant/discovery/keys', (request, reply) => keys(request, reply, tenantOf(request)));
  app.get('/adfs/discovery/keys', (request, reply) => keys(request, reply, null));

  // ---- token endpoints
  const token = (flavor: EndpointFlavor) => async (request: FastifyRequest, reply: FastifyReply) =>
    answer(named(request, `identity.token.${flavor}`), reply, async () => {
      // The body first, whatever the answer: an unread body would be left on a keep-alive connection.
      const form = await readForm(request);
      const tenantId = flavor === 'adfs' ? null : await plane.resolveTenant(tenantOf(request));
      const context = {
        flavor,
        tenantId,
        origin: origin(request),
        address: request.socket.remoteAddress ?? request.ip,
        authorization: request.headers.authorization,
      };
      return sendJson(reply, 200, await handleTokenRequest(deps, context, form));
    });
  app.post('/:tenant/oauth2/v2.0/token', token('v2'));
  app.post('/:tenant/oauth2/token', token('v1'));
  app.post('/adfs/oauth2/token', token('adfs'));

  // ---- managed identities (IMDS)
  const imds = async (request: FastifyRequest, reply: FastifyReply) => {
    named(request, 'identity.imds');
    try {
      const metadata = request.headers.metadata;
      const body = await handleImdsTokenRequest(deps, {
        caller: imdsCaller(request.socket.remoteAddress, request.headers, services.config.network.trustedProxies, isLoopback),
        metadataHeader: Array.isArray(metadata) ? metadata[0] : metadata,
        query: queryOf(request),
        origin: origin(request),
      });
      return sendJson(reply, 200, body);
    } catch (error) {
      if (error instanceof ImdsError) return sendJson(reply, error.status, error.toBody(requestLanguage(request)));
      request.log.error({ err: error }, 'managed identity endpoint error');
      return sendJson(reply, 500, {
        error: 'server_error',
        error_description: translator(imdsErrorMessages, requestLanguage(request))('internal', { requestId: request.id }),
      });
    }
  };
  // MSAL normalises the endpoint URL with a trailing slash; other clients send none.
  app.get('/metadata/identity/oauth2/token', imds);
  app.get('/metadata/identity/oauth2/token/', imds);
}

/**
 * The registry's own tokens, shaped like ACR's: refresh tokens (from
 * /oauth2/exchange, or offline_token logins) name an identity; access tokens (from
 * /oauth2/token) carry the docker `access` claim — what the holder may do. Both are RS256
 * JWTs with `aud` = the login server. Verified tokens are cached until they expire, so the data
 * plane does not pay for an RSA verification on every request.
 */
import { decodeJwt, type JWTPayload } from 'jose';
import type { KeyRing } from '../identity/key-ring.js';
import { TokenRejected } from '../identity/key-ring.js';
import type { AccessEntry } from '../access/scopes.js';
import type { ChangeEvent } from '../domain/change-events.js';
import type { Principal, PrincipalKind } from '../access/principal.js';

const ACR_ISSUER = 'Azure Container Registry';
/** Docker's user name for "the password is an ACR refresh (or access) token". */
export const NULL_GUID = '00000000-0000-0000-0000-000000000000';

export type AcrGrantType = 'refresh_token' | 'access_token';

interface AcrToken {
  token: string;
  jwtId: string;
  expiresIn: number;
}

export interface AcrTokenClaims {
  grantType: AcrGrantType;
  principal: Principal;
  jwtId: string;
  /** Access tokens only. */
  access: AccessEntry[];
  /** Seconds since the epoch. */
  expiresAt: number;
  /** Refresh tokens: the credential they were obtained with (identity/credential-ref.ts). */
  credential: string | null;
  /** Refresh tokens: how they were obtained (null in tokens issued before Wharf recorded it). */
  origin: RefreshOrigin | null;
}

/**
 * How a refresh token was obtained, so that an expired one can name the sign-in that gets a
 * new one: az acr login, wharf registry-login, another /oauth2/exchange client (an Azure SDK),
 * or a password login that asked for one (POST grant_type=password&access_type=offline).
 */
export type RefreshOrigin = 'az' | 'wharf' | 'exchange' | 'password';
const ORIGINS: RefreshOrigin[] = ['az', 'wharf', 'exchange', 'password'];

/** A refresh or access token that was this registry's and has expired: its claims, for the message. */
export class AcrTokenExpired extends TokenRejected {
  constructor(readonly claims: AcrTokenClaims) {
    super('expired', 'the token has expired');
  }
}

/** How a refresh token is bound: the credential it dies with, and the end it may not pass. */
export interface RefreshBinding {
  credential: string | null;
  /** Unix seconds; a refresh token obtained with a refresh token keeps the first one's end. */
  notAfter?: number | null;
  /** How it was obtained; a refresh token obtained with a refresh token keeps the first one's. */
  origin?: RefreshOrigin | null;
}

const MAX_CACHED = 50_000;

export class AcrTokens {
  private readonly verified = new Map<string, AcrTokenClaims & { audience: string }>();

  constructor(
    private readonly keys: KeyRing,
    private readonly lifetimes: { refreshSeconds: number; accessSeconds: number },
  ) {}

  /** How long a refresh token lives (auth.refreshTokenMinutes), for messages about expiry. */
  get refreshLifetimeSeconds(): number {
    return this.lifetimes.refreshSeconds;
  }

  async issue(
    grantType: AcrGrantType,
    principal: Principal,
    loginServer: string,
    access: AccessEntry[] = [],
    binding: RefreshBinding = { credential: null },
  ): Promise<AcrToken> {
    const full = grantType === 'refresh_token' ? this.lifetimes.refreshSeconds : this.lifetimes.accessSeconds;
    const bound = binding.notAfter ? binding.notAfter - Math.floor(Date.now() / 1000) : full;
    const lifetime = Math.max(1, Math.min(full, bound));
    const jwtId = crypto.randomUUID();
    const claims: JWTPayload = {
      version: '1.0',
      grant_type: grantType,
      tenant: principal.tenantId ?? undefined,
      roles: [],
      // Who, in Wharf's terms: enough to find the principal again when the token is used.
      wharf_kind: principal.kind,
      wharf_id: principal.id,
      ...(grantType === 'refresh_token' ? { permissions: { actions: ['*'], notActions: [] } } : { access }),
      ...(binding.credential ? { wharf_cred: binding.credential } : {}),
      ...(grantType === 'refresh_token' && binding.origin ? { wharf_via: binding.origin } : {}),
    };
    const token = await this.keys.sign(claims, {
      issuer: ACR_ISSUER,
      audience: loginServer,
      subject: principal.name,
      lifetime,
      jwtId,
    });
    return { token, jwtId, expiresIn: lifetime };
  }

  /** A `key` change event: what was verified with the keys as they were is verified again. */
  onChange(event: ChangeEvent): void {
    if (event.kind === 'key') this.verified.clear();
  }

  /** Verifies a token issued for `loginServer`; throws TokenRejected with the reason. */
  async verify(token: string, loginServer: string, expected: AcrGrantType | 'any'): Promise<AcrTokenClaims> {
    const cached = this.verified.get(token);
    if (cached && cached.audience === loginServer) {
      if (cached.expiresAt * 1000 <= Date.now()) {
        this.verified.delete(token);
        throw new AcrTokenExpired(cached);
      }
      return checkGrant(cached, expected);
    }
    let payload: JWTPayload;
    try {
      // Signed by this registry's own nodes: only their clock differences need tolerating.
      payload = await this.keys.verify(token, { issuer: ACR_ISSUER, audience: loginServer, clockTolerance: 2 });
    } catch (error) {
      // The expiry is checked after the signature, issuer and audience: an expired token was
      // ours, and its claims can say who it was for and how it was obtained.
      if (error instanceof TokenRejected && error.reason === 'expired') throw expiredWithClaims(token, error);
      throw error;
    }
    const claims = toClaims(payload);
    // Clients present the same token again and again (a refresh token at every token request).
    if (this.verified.size >= MAX_CACHED) this.verified.clear();
    this.verified.set(token, { ...claims, audience: loginServer });
    return checkGrant(claims, expected);
  }
}

function checkGrant(claims: AcrTokenClaims, expected: AcrGrantType | 'any'): AcrTokenClaims {
  if (expected !== 'any' && claims.grantType !== expected) {
    throw new TokenRejected('malformed', `an ACR ${claims.grantType.replace('_', ' ')} was given where an ${expected.replace('_', ' ')} is expected`);
  }
  return claims;
}

function expiredWithClaims(token: string, error: TokenRejected): TokenRejected {
  try {
    return new AcrTokenExpired(toClaims(decodeJwt(token)));
  } catch {
    return error;
  }
}

const KINDS: PrincipalKind[] = ['anonymous', 'adminUser', 'repositoryToken', 'User', 'ServicePrincipal', 'ManagedIdentity'];

function toClaims(payload: JWTPayload): AcrTokenClaims {
  const grantType = payload.grant_type;
  const kind = payload.wharf_kind as PrincipalKind;
  if ((grantType !== 'refresh_token' && grantType !== 'access_token') || !KINDS.includes(kind) || typeof payload.wharf_id !== 'string') {
    throw new TokenRejected('malformed', 'the token is not an ACR token of this registry');
  }
  const access = Array.isArray(payload.access) ? (payload.access as AccessEntry[]) : [];
  return {
    grantType,
    principal: {
      kind,
      id: payload.wharf_id,
      name: payload.sub ?? payload.wharf_id,
      tenantId: typeof payload.tenant === 'string' ? payload.tenant : null,
    },
    jwtId: payload.jti ?? '',
    access,
    expiresAt: payload.exp ?? 0,
    credential: typeof payload.wharf_cred === 'string' ? payload.wharf_cred : null,
    origin: ORIGINS.find((o) => o === payload.wharf_via) ?? null,
  };
}

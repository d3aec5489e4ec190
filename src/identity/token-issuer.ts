/**
 * The tokens the identity plane issues, all RS256 from the server's key ring:
 * - access tokens in Entra's claim set (aud, iss, tid, oid, sub, appid/azp, idtyp, ver, uti…);
 * - id tokens for users (audience: the client app);
 * - refresh tokens for users: signed JWTs with an audience of their own, so they are never
 *   accepted where an access token is expected.
 * Issuers follow Entra's three shapes, on the host the client used:
 * `https://<host>/<tid>/v2.0` (v2), `https://<host>/<tid>/` (v1, the sts.windows.net style),
 * `https://<host>/adfs` (ADFS, which az uses offline).
 */
import { randomUUID } from 'node:crypto';
import { decodeJwt, type JWTPayload } from 'jose';
import type { IdentityRecord } from '../storage/metadata/access-records.js';
import { TokenRejected, type KeyRing } from './key-ring.js';
import type { EndpointFlavor } from './token-scopes.js';
import { LocalizedText, localize } from '../i18n/localized.js';
import { identityMessages } from './identity-messages.js';

/** The audience of refresh tokens: no resource has it, so they never pass as access tokens. */
export const REFRESH_TOKEN_AUDIENCE = 'urn:wharf:identity:refresh-token';
/** Refresh tokens must not outlive the key ring's grace period for retired keys (24 h). */
const REFRESH_TOKEN_SECONDS = 24 * 3600;
const ID_TOKEN_SECONDS = 3600;
const GUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const ISSUER_SHAPE = new RegExp(`^https?://[^/\\s]+/(?:(${GUID})/v2\\.0|(${GUID})/|(adfs))$`, 'i');

export function issuerFor(origin: string, flavor: EndpointFlavor, tenantId: string): string {
  switch (flavor) {
    case 'v2':
      return `${origin}/${tenantId}/v2.0`;
    case 'v1':
      return `${origin}/${tenantId}/`;
    case 'adfs':
      return `${origin}/adfs`;
  }
}

/** The flavor and tenant of an issuer this plane writes; undefined for any other issuer. */
export function parseIssuer(issuer: string): { flavor: EndpointFlavor; tenantId: string | null } | undefined {
  const match = ISSUER_SHAPE.exec(issuer);
  if (!match) return undefined;
  if (match[1]) return { flavor: 'v2', tenantId: match[1].toLowerCase() };
  if (match[2]) return { flavor: 'v1', tenantId: match[2].toLowerCase() };
  return { flavor: 'adfs', tenantId: null };
}

export interface IssuedToken {
  token: string;
  jwtId: string;
  /** Unix seconds. */
  notBefore: number;
  expiresOn: number;
  /** Seconds from now. */
  expiresIn: number;
}

interface AccessTokenRequest {
  origin: string;
  /** The credential that signed in (credential-ref.ts), so an exchange can bind its ACR refresh token to it. */
  credential?: string | null;
  flavor: EndpointFlavor;
  resource: string;
  /** For users: the client application that asked (azp/appid), and the delegated permissions. */
  clientAppId?: string;
  permissions?: string[];
}

/** A refresh token, verified. */
export interface RefreshGrant {
  objectId: string;
  tenantId: string;
  clientId: string;
  resource: string;
  scope: string;
  jwtId: string;
  /** Unix seconds. */
  expiresAt: number;
  /** The credential the user signed in with (credential-ref.ts). */
  credential: string | null;
}

export class RefreshTokenRejected extends Error {
  constructor(
    readonly reason: 'expired' | 'invalid',
    message: LocalizedText,
  ) {
    super(String(message));
    this.text = message;
  }

  /** The reason in every language; `message` is its English text. */
  readonly text: LocalizedText;
}

export class TokenIssuer {
  constructor(
    private readonly keys: KeyRing,
    /** Access token lifetime, seconds. */
    private readonly lifetime: number,
  ) {}

  private async sign(
    claims: JWTPayload,
    options: { issuer: string; audience: string; subject: string; lifetime: number; jwtId: string },
  ): Promise<IssuedToken> {
    const token = await this.keys.sign(claims, options);
    const { nbf, exp } = decodeJwt(token);
    return { token, jwtId: options.jwtId, notBefore: nbf!, expiresOn: exp!, expiresIn: Math.max(0, exp! - Math.floor(Date.now() / 1000)) };
  }

  async accessToken(identity: IdentityRecord, request: AccessTokenRequest): Promise<IssuedToken> {
    const jwtId = randomUUID();
    const claims: JWTPayload = {
      tid: identity.tenantId,
      oid: identity.objectId,
      uti: jwtId,
      ver: request.flavor === 'v2' ? '2.0' : '1.0',
      ...(request.credential ? { wharf_cred: request.credential } : {}),
    };
    if (identity.type === 'User') {
      Object.assign(claims, {
        idtyp: 'user',
        upn: identity.userName,
        unique_name: identity.userName,
        preferred_username: identity.userName,
        name: identity.displayName,
        amr: ['pwd'],
        scp: (request.permissions?.length ? request.permissions : ['user_impersonation']).join(' '),
        ...(request.clientAppId ? { appid: request.clientAppId, azp: request.clientAppId, appidacr: '0', azpacr: '0' } : {}),
      });
    } else {
      // Secrets authenticate service principals (acr 1); managed identities hold no secret (2, as Entra's certificates).
      const acr = identity.type === 'ManagedIdentity' ? '2' : '1';
      Object.assign(claims, { idtyp: 'app', appid: identity.appId, azp: identity.appId, appidacr: acr, azpacr: acr });
    }
    return this.sign(claims, {
      issuer: issuerFor(request.origin, request.flavor, identity.tenantId),
      audience: request.resource,
      subject: identity.objectId,
      lifetime: this.lifetime,
      jwtId,
    });
  }

  async idToken(identity: IdentityRecord, request: { origin: string; flavor: EndpointFlavor; clientId: string }): Promise<string> {
    const jwtId = randomUUID();
    const issued = await this.sign(
      {
        tid: identity.tenantId,
        oid: identity.objectId,
        preferred_username: identity.userName ?? undefined,
        name: identity.displayName,
        ver: request.flavor === 'v2' ? '2.0' : '1.0',
      },
      {
        issuer: issuerFor(request.origin, request.flavor, identity.tenantId),
        audience: request.clientId,
        subject: identity.objectId,
        lifetime: ID_TOKEN_SECONDS,
        jwtId,
      },
    );
    return issued.token;
  }

  /**
   * A refresh token for a signed-in user. One redeemed for another keeps the first one's end
   * (`notAfter`, Unix seconds): refreshing never extends a sign-in past its bound.
   */
  async refreshToken(
    identity: IdentityRecord,
    request: { origin: string; flavor: EndpointFlavor; clientId: string; resource: string; scope: string; credential: string | null; notAfter?: number },
  ): Promise<string> {
    const jwtId = randomUUID();
    const bound = request.notAfter === undefined ? REFRESH_TOKEN_SECONDS : request.notAfter - Math.floor(Date.now() / 1000);
    const issued = await this.sign(
      {
        tid: identity.tenantId,
        oid: identity.objectId,
        azp: request.clientId,
        resource: request.resource,
        scp: request.scope,
        ...(request.credential ? { wharf_cred: request.credential } : {}),
      },
      {
        issuer: issuerFor(request.origin, request.flavor, identity.tenantId),
        audience: REFRESH_TOKEN_AUDIENCE,
        subject: identity.objectId,
        lifetime: Math.max(1, Math.min(REFRESH_TOKEN_SECONDS, bound)),
        jwtId,
      },
    );
    return issued.token;
  }

  /** Verifies a refresh token this plane issued; throws RefreshTokenRejected otherwise. */
  async redeemRefreshToken(token: string): Promise<RefreshGrant> {
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      throw new RefreshTokenRejected('invalid', localize(identityMessages, 'refreshNotOurs'));
    }
    const issuer = typeof unverified.iss === 'string' ? unverified.iss : '';
    if (unverified.aud !== REFRESH_TOKEN_AUDIENCE || !parseIssuer(issuer)) {
      throw new RefreshTokenRejected('invalid', localize(identityMessages, 'refreshNotOurs'));
    }
    let payload: JWTPayload;
    try {
      payload = await this.keys.verify(token, { issuer, audience: REFRESH_TOKEN_AUDIENCE });
    } catch (error) {
      if (error instanceof TokenRejected && error.reason === 'expired') throw new RefreshTokenRejected('expired', localize(identityMessages, 'refreshExpired'));
      throw new RefreshTokenRejected(
        'invalid',
        error instanceof TokenRejected && error.text instanceof LocalizedText ? error.text : localize(identityMessages, 'refreshUnverifiable'),
      );
    }
    const { oid, tid, azp, resource, scp, jti, exp, wharf_cred } = payload as Record<string, unknown>;
    if (
      typeof oid !== 'string' ||
      typeof tid !== 'string' ||
      typeof azp !== 'string' ||
      typeof resource !== 'string' ||
      typeof scp !== 'string' ||
      typeof jti !== 'string' ||
      typeof exp !== 'number'
    ) {
      throw new RefreshTokenRejected('invalid', localize(identityMessages, 'refreshLacksClaims'));
    }
    return {
      objectId: oid,
      tenantId: tid,
      clientId: azp,
      resource,
      scope: scp,
      jwtId: jti,
      expiresAt: exp,
      credential: typeof wharf_cred === 'string' ? wharf_cred : null,
    };
  }
}

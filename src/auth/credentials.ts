/**
 * Checks a user name and password against what the registry accepts, in ACR's order: the
 * null GUID with an ACR refresh (or access) token; the admin user (user name = registry name);
 * a repository-scoped token of the registry; a service principal (application id + client
 * secret). Every refusal says why, in words for the client and for the audit log.
 */
import type { IdentityRecord, RepositoryTokenRecord } from '../storage/metadata/access-records.js';
import type { MetadataStore, RegistryRecord } from '../storage/metadata/store.js';
import { TokenRejected } from '../identity/key-ring.js';
import { CachedSecretVerifier, type SecretHasher } from '../kernel/secrets.js';
import { AcrTokenExpired, NULL_GUID, type AcrTokenClaims, type AcrTokens, type RefreshBinding } from './acr-tokens.js';
import { lifetimeText } from '../access/lifetime-text.js';
import { formatCredentialRef, hashFingerprint, parseCredentialRef } from '../identity/credential-ref.js';
import { localize, type LocalizedText, type MessageValue } from '../i18n/localized.js';
import { authMessages } from '../access/auth-messages.js';
import { reason, type Reason } from '../access/decision.js';
import type { Principal } from '../access/principal.js';
import { principalReason, tokenRejectedReason } from '../access/reasons.js';

export type CredentialCheck =
  | {
      ok: true;
      principal: Principal;
      jwtId: string | null;
      /** How a refresh token obtained with this login is bound (identity/credential-ref.ts). */
      binding: RefreshBinding;
    }
  | {
      ok: false;
      /** What the client is told, when it must say less than the reason (ACR's "invalid username or password"). */
      told?: LocalizedText;
      /** Why, as the audit log keeps it and diagnose reads it. */
      reason: Reason;
      /** Who the caller claimed to be, for the log and the throttle. */
      identity: string;
      identityType: string;
      /** The refusal as data, for clients that act on it (check-health): it says no more than `message`. */
      refusal: CredentialRefusal;
    };

/** The kind of credential the user name names, as the caller can tell it too (no name is looked up to say it). */
export type CredentialKind = 'adminUser' | 'repositoryToken' | 'servicePrincipal' | 'acrToken';

/**
 * Why a credential was refused. A wrong password and an unknown user name are both
 * `invalidCredentials`, as in ACR's message: which of the two is not told.
 */
export type RefusalKind =
  | 'invalidCredentials'
  | 'adminUserDisabled'
  | 'tokenDisabled'
  | 'passwordExpired'
  | 'applicationNotRegistered'
  | 'secretExpired'
  | 'secretRefused'
  | 'acrTokenExpired'
  | 'acrTokenInvalid'
  | 'acrTokenWrongRegistry'
  | 'accessTokenNotRefresh'
  | 'refreshTokenRevoked'
  | 'identityDisabled';

export interface CredentialRefusal {
  credential: CredentialKind;
  refusal: RefusalKind;
  /** The password is an ACR token, given with a user name other than the null GUID. */
  acrTokenAsPassword?: boolean;
}

/** What the identity plane offers for checking a service principal's secret. */
interface ClientSecretChecker {
  authenticateClient(
    tenantId: string | null,
    clientId: string,
    secret: string,
  ): Promise<{ ok: true; identity: IdentityRecord; credential: string } | { ok: false; error: { code: string; message: string } }>;
  /** Whether the credential a token names still signs the identity in (why not, if not). */
  credentialCurrent(identity: IdentityRecord, credential: string | null): Promise<true | LocalizedText>;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const m = (key: Extract<keyof typeof authMessages.messages.en, string>, values?: Record<string, MessageValue>) => localize(authMessages, key, values);
/** ACR's refusal for a wrong user name or password: it does not say which was wrong. */
const INVALID_CREDENTIALS = () => m('invalidCredentials');

function refused(identity: string, identityType: string, refusal: CredentialRefusal, why: Reason, told?: LocalizedText): CredentialCheck {
  return { ok: false, identity, identityType, refusal, reason: why, ...(told ? { told } : {}) };
}

const as = (credential: CredentialKind, refusal: RefusalKind): CredentialRefusal => ({ credential, refusal });

export class CredentialChecker {
  private readonly secrets: CachedSecretVerifier;

  constructor(
    private readonly store: MetadataStore,
    private readonly tokens: AcrTokens,
    private readonly clients: ClientSecretChecker,
    hasher: SecretHasher,
  ) {
    this.secrets = new CachedSecretVerifier(hasher);
  }

  async check(username: string, password: string, registry: RegistryRecord, loginServer: string): Promise<CredentialCheck> {
    if (username === NULL_GUID) return this.checkAcrToken(password, registry, loginServer);
    const result = await this.checkNamed(username, password, registry);
    if (!result.ok && looksLikeAcrToken(password)) {
      // The seeds' --expose-token pitfall: the token is right, the user name is not.
      result.reason = reason('acrTokenAsPassword', { refusal: result.reason, nullGuid: NULL_GUID });
      result.refusal = { ...result.refusal, acrTokenAsPassword: true };
    }
    return result;
  }

  private async checkNamed(username: string, password: string, registry: RegistryRecord): Promise<CredentialCheck> {
    if (username.toLowerCase() === registry.name) return this.checkAdmin(password, registry);
    const token = await this.store.tokens.get(registry.name, username);
    if (token) return this.checkRepositoryToken(token, password, registry);
    if (GUID.test(username)) return this.checkServicePrincipal(username, password);
    return refused(
      username,
      'unknown',
      as(GUID.test(username) ? 'servicePrincipal' : 'repositoryToken', 'invalidCredentials'),
      reason('unknownIdentity', { name: username, registry: registry.name }),
      INVALID_CREDENTIALS(),
    );
  }

  /**
   * The principal an ACR refresh token stands for, if it is still valid: signed for this login
   * server, not expired, its identity still enabled, and the credential it was obtained with
   * still current. Access tokens are refused here: they are only ever a Bearer on the registry
   * API, never a way to obtain another token.
   */
  async checkAcrToken(token: string, registry: RegistryRecord, loginServer: string): Promise<CredentialCheck> {
    let claims;
    try {
      claims = await this.tokens.verify(token, loginServer, 'any');
    } catch (error) {
      if (!(error instanceof TokenRejected)) throw error;
      if (error.reason === 'expired') return this.expired(error instanceof AcrTokenExpired ? error.claims : null, registry, loginServer);
      const why =
        error.reason === 'wrong-audience'
          ? reason('acrTokenWrongRegistry', { loginServer })
          : reason('acrTokenInvalid', { nullGuid: NULL_GUID, why: tokenRejectedReason(error.reason) });
      const refusal = error.reason === 'wrong-audience' ? 'acrTokenWrongRegistry' : 'acrTokenInvalid';
      return refused(NULL_GUID, 'acrToken', as('acrToken', refusal), why);
    }
    if (claims.grantType !== 'refresh_token') {
      return refused(
        claims.principal.name,
        claims.principal.kind,
        as('acrToken', 'accessTokenNotRefresh'),
        reason('accessTokenNotRefresh'),
        m('accessTokenNotRefresh'),
      );
    }
    const still = await this.stillValid(claims.principal, registry);
    if (still !== true) return refused(claims.principal.name, claims.principal.kind, as('acrToken', 'identityDisabled'), still);
    const current = await this.credentialCurrent(claims.principal, registry, claims.credential);
    if (current !== true) {
      return refused(
        claims.principal.name,
        claims.principal.kind,
        as('acrToken', 'refreshTokenRevoked'),
        reason('refreshTokenRevoked', { why: current }),
        m('refreshTokenRevoked'),
      );
    }
    return { ok: true, principal: claims.principal, jwtId: claims.jwtId, binding: { credential: claims.credential, notAfter: claims.expiresAt } };
  }

  /**
   * An expired ACR token: how long they live here (auth.refreshTokenMinutes), and the sign-in
   * that gets a new one — the one the token came from, as far as the token tells.
   */
  private expired(claims: AcrTokenClaims | null, registry: RegistryRecord, loginServer: string): CredentialCheck {
    const seconds = this.tokens.refreshLifetimeSeconds;
    const signIn = signInAgain(claims, registry.name, loginServer);
    const who = claims?.principal;
    // An expired token passed the signature, issuer and audience checks (jose judges expiry
    // last), so its holder is known: the audit row names them, for diagnose.
    const why = who
      ? reason('refreshTokenExpiredHolder', { lifetime: { seconds }, holder: principalReason(who), signIn })
      : reason('refreshTokenExpired', { lifetime: { seconds }, signIn });
    return refused(
      who?.name ?? NULL_GUID,
      who?.kind ?? 'acrToken',
      as('acrToken', 'acrTokenExpired'),
      why,
      m('refreshTokenExpired', { lifetime: lifetimeText(seconds), signIn }),
    );
  }

  /** Whether the identity a refresh token names may still sign in; why not if not. */
  async stillValid(principal: Principal, registry: RegistryRecord): Promise<true | Reason> {
    switch (principal.kind) {
      case 'anonymous':
        return true;
      case 'adminUser':
        return registry.adminUserEnabled && principal.id === registry.name ? true : reason('adminUserDisabledNow', { registry: registry.name });
      case 'repositoryToken': {
        const token = await this.store.tokens.get(registry.name, principal.name);
        if (!token) return reason('tokenGone', { token: principal.name, registry: registry.name });
        return token.status === 'enabled' ? true : reason('tokenDisabledNow', { token: principal.name });
      }
      default:
        return (await this.store.identities.get(principal.id)) ? true : reason('identityGone', { identity: principal.name });
    }
  }

  /**
   * Whether the credential a refresh token was obtained with is still the principal's: the
   * same admin password, token password (not expired), client secret (not removed or expired)
   * or user password. A regenerated or removed credential ends every token obtained with it.
   */
  private async credentialCurrent(principal: Principal, registry: RegistryRecord, credential: string | null): Promise<true | Reason> {
    const ref = parseCredentialRef(credential);
    switch (principal.kind) {
      case 'anonymous':
        return true;
      case 'adminUser': {
        const stored = ref?.kind === 'adminPassword' ? (await this.store.adminPasswords.list(registry.name)).find((p) => p.name === ref.name) : undefined;
        if (!stored || ref?.kind !== 'adminPassword' || hashFingerprint(stored.hash) !== ref.fingerprint) {
          return reason('adminPasswordRegenerated');
        }
        return true;
      }
      case 'repositoryToken': {
        const stored =
          ref?.kind === 'tokenPassword' ? (await this.store.tokens.passwords(registry.name, principal.name)).find((p) => p.name === ref.name) : undefined;
        if (!stored || ref?.kind !== 'tokenPassword' || hashFingerprint(stored.hash) !== ref.fingerprint) {
          return reason('tokenPasswordRegenerated', { token: principal.name });
        }
        if (stored.expiresAt && Date.parse(stored.expiresAt) <= Date.now()) {
          return reason('tokenPasswordExpiredAt', { password: stored.name, token: principal.name, expiresAt: stored.expiresAt });
        }
        return true;
      }
      default: {
        const identity = await this.store.identities.get(principal.id);
        if (!identity) return reason('identityGone', { identity: principal.name });
        // The identity plane says why in its own words; the reason names the identity and the fact.
        return (await this.clients.credentialCurrent(identity, credential)) === true ? true : reason('identityCredentialChanged', { identity: principal.name });
      }
    }
  }

  private async checkAdmin(password: string, registry: RegistryRecord): Promise<CredentialCheck> {
    const principal: Principal = { kind: 'adminUser', id: registry.name, name: registry.name, tenantId: null };
    if (!registry.adminUserEnabled) {
      return refused(registry.name, 'adminUser', as('adminUser', 'adminUserDisabled'), reason('adminUserDisabled', { registry: registry.name }));
    }
    for (const stored of await this.store.adminPasswords.list(registry.name)) {
      if (await this.secrets.verify(password, stored.hash)) {
        const credential = formatCredentialRef({ kind: 'adminPassword', name: stored.name, fingerprint: hashFingerprint(stored.hash) });
        return { ok: true, principal, jwtId: null, binding: { credential } };
      }
    }
    return refused(
      registry.name,
      'adminUser',
      as('adminUser', 'invalidCredentials'),
      reason('adminWrongPassword', { name: registry.name }),
      INVALID_CREDENTIALS(),
    );
  }

  private async checkRepositoryToken(token: RepositoryTokenRecord, password: string, registry: RegistryRecord): Promise<CredentialCheck> {
    const name = token.name;
    const now = Date.now();
    let expiredMatch: Reason | null = null;
    for (const stored of await this.store.tokens.passwords(registry.name, name)) {
      if (!(await this.secrets.verify(password, stored.hash))) continue;
      if (stored.expiresAt && Date.parse(stored.expiresAt) <= now) {
        expiredMatch = reason('tokenPasswordExpired', { password: stored.name, token: name, expiresAt: stored.expiresAt, registry: registry.name });
        continue;
      }
      if (token.status !== 'enabled') {
        return refused(name, 'repositoryToken', as('repositoryToken', 'tokenDisabled'), reason('tokenDisabled', { token: name, registry: registry.name }));
      }
      const credential = formatCredentialRef({ kind: 'tokenPassword', name: stored.name, fingerprint: hashFingerprint(stored.hash) });
      return { ok: true, principal: { kind: 'repositoryToken', id: name, name, tenantId: null }, jwtId: null, binding: { credential } };
    }
    if (expiredMatch) return refused(name, 'repositoryToken', as('repositoryToken', 'passwordExpired'), expiredMatch);
    return refused(name, 'repositoryToken', as('repositoryToken', 'invalidCredentials'), reason('tokenWrongPassword', { token: name }), INVALID_CREDENTIALS());
  }

  private async checkServicePrincipal(appId: string, secret: string): Promise<CredentialCheck> {
    const result = await this.clients.authenticateClient(null, appId, secret);
    if (result.ok) {
      const identity = result.identity;
      return {
        ok: true,
        principal: { kind: identity.type, id: identity.objectId, name: identity.appId ?? identity.displayName, tenantId: identity.tenantId },
        jwtId: null,
        binding: { credential: result.credential },
      };
    }
    if (/700016/.test(result.error.code) || /700016/.test(result.error.message)) {
      // ACR's own words for an application id it cannot find.
      return refused(
        appId,
        'ServicePrincipal',
        as('servicePrincipal', 'applicationNotRegistered'),
        reason('applicationNotRegistered', { appId, code: 'AADSTS700016' }),
        m('applicationNotRegistered'),
      );
    }
    // AADSTS7000222: the secret expired; 7000215: it is not one of the application's.
    const code = `${result.error.code} ${result.error.message}`;
    if (/7000222/.test(code)) return refused(appId, 'ServicePrincipal', as('servicePrincipal', 'secretExpired'), reason('secretExpired', { appId }));
    if (/7000215/.test(code)) return refused(appId, 'ServicePrincipal', as('servicePrincipal', 'invalidCredentials'), reason('secretInvalid', { appId }));
    return refused(appId, 'ServicePrincipal', as('servicePrincipal', 'secretRefused'), reason('secretRefused', { appId, code: result.error.code }));
  }
}

/**
 * The command that gets a new refresh token, after the way the expired one was obtained. A
 * token without a recorded origin (issued by an older Wharf) is read from its principal: the
 * admin user, a repository token or a password login come from `docker login`, whose password
 * docker now keeps; directory identities from az acr login.
 */
function signInAgain(claims: AcrTokenClaims | null, registry: string, loginServer: string): string {
  const principal = claims?.principal;
  const passwordLogin = `docker login ${loginServer} -u ${principal?.name ?? '<user>'}`;
  switch (claims?.origin) {
    case 'wharf':
      return `wharf registry-login -n ${registry}`;
    case 'password':
      return passwordLogin;
    case 'az':
    case 'exchange':
      return `az acr login -n ${registry}`;
    default:
      return principal && (principal.kind === 'adminUser' || principal.kind === 'repositoryToken') ? passwordLogin : `az acr login -n ${registry}`;
  }
}

/** A JWT whose payload names ACR as its issuer. */
function looksLikeAcrToken(password: string): boolean {
  const parts = password.split('.');
  if (parts.length !== 3 || !password.startsWith('eyJ')) return false;
  try {
    return (JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as { iss?: unknown }).iss === 'Azure Container Registry';
  } catch {
    return false;
  }
}

/** The principal an ACR token names (`wharf_kind`, `wharf_id`, `sub`); only for a verified token. */

/**
 * The directory of identities: service principals with client secrets, users with passwords,
 * managed identities; and the credential checks that answer with Entra's reasons (unknown
 * application, invalid secret, expired secret, unknown tenant, unknown user, bad password).
 * Secrets and passwords are kept only as scrypt hashes and checked in constant time.
 */
import { randomUUID } from 'node:crypto';
import type { ClientSecretRecord, IdentityRecord, IdentityType } from '../storage/metadata/access-records.js';
import type { MetadataStore } from '../storage/metadata/store.js';
import { generateSecret, type SecretHasher } from '../kernel/secrets.js';
import { entraErrors, type EntraError } from './entra-errors.js';
import { formatCredentialRef, hashFingerprint, parseCredentialRef } from './credential-ref.js';
import { localize, type LocalizedText } from '../i18n/localized.js';
import { identityMessages } from './identity-messages.js';
import type { ClientSecretOptions, DirectoryRecords, NewSecret } from '../domain/directory-identity-service.js';

/** The managed identity of the Wharf host itself: what IMDS answers when no identity is named. */
export const HOST_IDENTITY_NAME = 'wharf-host';
const DEFAULT_SECRET_LIFETIME_MS = 365 * 24 * 3600 * 1000;
const NAME_MAX = 256;
/** Tenants change rarely (only the scaffold creates them); a short cache keeps them off the token path. */
const TENANT_CACHE_MS = 30_000;

/** Bad input to a directory operation: the management API turns it into its own error shape. */
export class DirectoryError extends Error {
  constructor(
    readonly kind: 'NotFound' | 'BadRequest' | 'Conflict',
    message: LocalizedText,
  ) {
    super(String(message));
    this.text = message;
  }

  /** The refusal in every language; `message` is its English text. */
  readonly text: LocalizedText;
}

export type AuthenticationResult =
  | {
      ok: true;
      identity: IdentityRecord;
      /** The credential that signed in (credential-ref.ts), carried by the tokens it obtains. */
      credential: string;
    }
  | {
      ok: false;
      error: EntraError;
      /** Why, in words for the audit log ("the client secret has expired"). */
      reason: string;
      /** The identity the attempt named, when it exists (for throttling and logs). */
      identity?: IdentityRecord;
    };

function isGuidLike(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

type NameKind = 'whatDisplayName' | 'whatUserName' | 'whatSecretDisplayName';

function checkName(kind: NameKind, value: string): string {
  const what = localize(identityMessages, kind);
  const trimmed = value.trim();
  if (!trimmed) throw new DirectoryError('BadRequest', localize(identityMessages, 'dirNameEmpty', { what }));
  if (trimmed.length > NAME_MAX) throw new DirectoryError('BadRequest', localize(identityMessages, 'dirNameTooLong', { what, max: NAME_MAX }));
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) throw new DirectoryError('BadRequest', localize(identityMessages, 'dirNameControl', { what }));
  return trimmed;
}

export class IdentityDirectory implements DirectoryRecords {
  private tenantIds: Set<string> | null = null;
  private tenantsLoadedAt = 0;

  constructor(
    private readonly store: MetadataStore,
    /** The installation's tenant: where new identities go by default, and what errors name. */
    readonly defaultTenantId: string,
    private readonly secrets: SecretHasher,
  ) {}

  /** Whether the tenant exists (ids compared case-insensitively, as GUIDs are). */
  async tenantExists(tenantId: string): Promise<boolean> {
    const wanted = tenantId.toLowerCase();
    if (!this.tenantIds || Date.now() - this.tenantsLoadedAt > TENANT_CACHE_MS || !this.tenantIds.has(wanted)) {
      this.tenantIds = new Set((await this.store.scaffold.tenants()).map((t) => t.id.toLowerCase()));
      this.tenantsLoadedAt = Date.now();
    }
    return this.tenantIds.has(wanted);
  }

  private async requireTenant(tenantId: string): Promise<string> {
    if (!(await this.tenantExists(tenantId))) throw new DirectoryError('NotFound', localize(identityMessages, 'dirTenantMissing', { tenant: tenantId }));
    return tenantId.toLowerCase();
  }

  /** A new record, not yet stored: a directory change stores it (domain/directory-identity-service.ts). */
  private record(identity: Omit<IdentityRecord, 'objectId' | 'createdAt'>): IdentityRecord {
    return { ...identity, objectId: randomUUID(), createdAt: new Date().toISOString() };
  }

  private async create(record: IdentityRecord): Promise<IdentityRecord> {
    await this.store.identities.create(record);
    return record;
  }

  /** A service principal, its name and tenant checked; not stored. */
  async newServicePrincipal(input: { tenantId?: string; displayName: string }): Promise<IdentityRecord> {
    return this.record({
      tenantId: await this.requireTenant(input.tenantId ?? this.defaultTenantId),
      type: 'ServicePrincipal',
      appId: randomUUID(),
      displayName: checkName('whatDisplayName', input.displayName),
      userName: null,
      passwordHash: null,
    });
  }

  async createServicePrincipal(input: { tenantId?: string; displayName: string }): Promise<IdentityRecord> {
    return this.create(await this.newServicePrincipal(input));
  }

  async createManagedIdentity(input: { tenantId?: string; displayName: string }): Promise<IdentityRecord> {
    return this.create(
      this.record({
        tenantId: await this.requireTenant(input.tenantId ?? this.defaultTenantId),
        type: 'ManagedIdentity',
        appId: randomUUID(),
        displayName: checkName('whatDisplayName', input.displayName),
        userName: null,
        passwordHash: null,
      }),
    );
  }

  /**
   * A user, checked and its password hashed; not stored. User names are sign-in names
   * (`alice@example.com`), unique, compared case-insensitively.
   */
  async newUser(input: { tenantId?: string; userName: string; displayName?: string; password: string }): Promise<IdentityRecord> {
    const userName = checkName('whatUserName', input.userName).toLowerCase();
    if (/\s/.test(userName)) throw new DirectoryError('BadRequest', localize(identityMessages, 'dirUserNameSpace', { userName }));
    if (input.password.length < 8) throw new DirectoryError('BadRequest', localize(identityMessages, 'dirPasswordShort'));
    if (await this.store.identities.getByUserName(userName)) {
      throw new DirectoryError('Conflict', localize(identityMessages, 'dirUserExists', { userName }));
    }
    return this.record({
      tenantId: await this.requireTenant(input.tenantId ?? this.defaultTenantId),
      type: 'User',
      appId: null,
      displayName: checkName('whatDisplayName', input.displayName ?? userName),
      userName,
      passwordHash: await this.secrets.hash(input.password),
    });
  }

  async createUser(input: { tenantId?: string; userName: string; displayName?: string; password: string }): Promise<IdentityRecord> {
    return this.create(await this.newUser(input));
  }

  /** The hash of a user's new password, checked; not stored. */
  async newPasswordHash(identity: IdentityRecord, password: string): Promise<string> {
    if (identity.type !== 'User') throw new DirectoryError('NotFound', localize(identityMessages, 'dirNoUser', { objectId: identity.objectId }));
    if (password.length < 8) throw new DirectoryError('BadRequest', localize(identityMessages, 'dirPasswordShort'));
    return this.secrets.hash(password);
  }

  /**
   * A new client secret for a service principal, valid for a year unless `endAt` says otherwise;
   * not stored. The value is in the answer only: the record keeps its scrypt hash.
   */
  async newClientSecret(identity: IdentityRecord, options: ClientSecretOptions = {}): Promise<NewSecret> {
    if (identity.type !== 'ServicePrincipal') {
      throw new DirectoryError('BadRequest', localize(identityMessages, 'dirOnlyServicePrincipals', { name: identity.displayName, type: identity.type }));
    }
    const now = new Date();
    const startAt = options.startAt ?? now;
    const endAt = options.endAt ?? new Date(startAt.getTime() + DEFAULT_SECRET_LIFETIME_MS);
    if (Number.isNaN(endAt.getTime()) || Number.isNaN(startAt.getTime())) throw new DirectoryError('BadRequest', localize(identityMessages, 'dirSecretDates'));
    if (endAt.getTime() <= startAt.getTime()) throw new DirectoryError('BadRequest', localize(identityMessages, 'dirSecretOrder'));
    const secret = generateSecret();
    const record: ClientSecretRecord = {
      keyId: randomUUID(),
      objectId: identity.objectId,
      displayName: options.displayName ? checkName('whatSecretDisplayName', options.displayName) : '',
      hint: secret.slice(0, 3),
      hash: await this.secrets.hash(secret),
      startAt: startAt.toISOString(),
      endAt: endAt.toISOString(),
      createdAt: now.toISOString(),
    };
    return { secret, record };
  }

  async addClientSecret(objectId: string, options: ClientSecretOptions = {}): Promise<NewSecret> {
    const identity = await this.store.identities.get(objectId);
    if (!identity) throw new DirectoryError('NotFound', localize(identityMessages, 'dirNoIdentity', { objectId }));
    const created = await this.newClientSecret(identity, options);
    await this.store.identities.addSecret(created.record);
    return created;
  }

  /** The identity a client id names: a service principal or managed identity, by app id. */
  async findApplication(clientId: string): Promise<IdentityRecord | undefined> {
    if (!isGuidLike(clientId)) return undefined;
    const identity = await this.store.identities.getByAppId(clientId.toLowerCase());
    return identity && identity.type !== 'User' ? identity : undefined;
  }

  async findManagedIdentity(by: { clientId?: string; objectId?: string; name?: string }): Promise<IdentityRecord | undefined> {
    let identity: IdentityRecord | undefined;
    if (by.clientId !== undefined) identity = await this.findApplication(by.clientId);
    else if (by.objectId !== undefined) identity = isGuidLike(by.objectId) ? await this.store.identities.get(by.objectId.toLowerCase()) : undefined;
    else if (by.name !== undefined) {
      const all = await this.store.identities.list({ type: 'ManagedIdentity' });
      identity = all.find((i) => i.displayName.toLowerCase() === by.name!.toLowerCase());
    }
    return identity?.type === 'ManagedIdentity' ? identity : undefined;
  }

  /** The host's own managed identity: the oldest one named 'wharf-host' in the installation's tenant. */
  async hostIdentity(): Promise<IdentityRecord | undefined> {
    const candidates = await this.store.identities.list({ tenantId: this.defaultTenantId, type: 'ManagedIdentity' });
    return candidates.filter((i) => i.displayName === HOST_IDENTITY_NAME).sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0];
  }

  /** Creates the host's managed identity unless it exists (idempotent; run at every start). */
  async ensureHostIdentity(): Promise<IdentityRecord> {
    return (await this.hostIdentity()) ?? this.createManagedIdentity({ displayName: HOST_IDENTITY_NAME });
  }

  /**
   * Checks a service principal's client secret. `tenantId` null accepts an application of any
   * tenant (the ACR token server's Basic credentials carry no tenant). Every stored secret is
   * verified, expired ones too, so the answer can say "expired" only for the right secret and
   * the time taken does not depend on which secret matched.
   */
  async authenticateClient(tenantId: string | null, clientId: string, secret: string): Promise<AuthenticationResult> {
    const directoryName = tenantId ?? this.defaultTenantId;
    if (tenantId !== null && !(await this.tenantExists(tenantId))) {
      return { ok: false, error: entraErrors.unknownTenant(tenantId), reason: `tenant '${tenantId}' does not exist` };
    }
    const identity = await this.findApplication(clientId);
    if (!identity || (tenantId !== null && identity.tenantId.toLowerCase() !== tenantId.toLowerCase())) {
      return {
        ok: false,
        error: entraErrors.unknownApplication(clientId, directoryName),
        reason: `no application with client id '${clientId}' in tenant '${directoryName}'`,
      };
    }
    const secrets = identity.type === 'ServicePrincipal' ? await this.store.identities.secrets(identity.objectId) : [];
    const now = Date.now();
    const matches = await Promise.all(secrets.map((s) => this.secrets.verify(secret, s.hash)));
    let expiredMatch = false;
    for (let i = 0; i < secrets.length; i++) {
      if (!matches[i]) continue;
      const record = secrets[i]!;
      if (Date.parse(record.startAt) <= now && now < Date.parse(record.endAt)) {
        return { ok: true, identity, credential: formatCredentialRef({ kind: 'clientSecret', keyId: record.keyId }) };
      }
      if (now >= Date.parse(record.endAt)) expiredMatch = true;
    }
    if (expiredMatch) {
      return {
        ok: false,
        error: entraErrors.expiredSecret(identity.appId!),
        reason: `the client secret of application '${identity.appId}' has expired`,
        identity,
      };
    }
    return {
      ok: false,
      error: entraErrors.invalidSecret(identity.appId!),
      reason: `the client secret is not valid for application '${identity.appId}'`,
      identity,
    };
  }

  /** Checks a user's password; `tenantId` null accepts a user of any tenant. */
  async authenticateUser(tenantId: string | null, userName: string, password: string): Promise<AuthenticationResult> {
    const directoryName = tenantId ?? this.defaultTenantId;
    if (tenantId !== null && !(await this.tenantExists(tenantId))) {
      return { ok: false, error: entraErrors.unknownTenant(tenantId), reason: `tenant '${tenantId}' does not exist` };
    }
    const identity = await this.store.identities.getByUserName(userName.trim().toLowerCase());
    if (!identity || identity.type !== 'User' || (tenantId !== null && identity.tenantId.toLowerCase() !== tenantId.toLowerCase())) {
      return { ok: false, error: entraErrors.unknownUser(directoryName), reason: `no user named '${userName}' in tenant '${directoryName}'` };
    }
    if (!identity.passwordHash || !(await this.secrets.verify(password, identity.passwordHash))) {
      return { ok: false, error: entraErrors.invalidUserCredentials(), reason: `the password of user '${identity.userName}' is not valid`, identity };
    }
    return { ok: true, identity, credential: formatCredentialRef({ kind: 'userPassword', fingerprint: hashFingerprint(identity.passwordHash) }) };
  }

  /**
   * Whether the credential a token was obtained with (its `wharf_cred`) still signs `identity`
   * in: the client secret still exists and has not expired, the user's password is unchanged.
   * A managed identity has no credential to lose. If not, why, in the language the refusal is sent in.
   */
  async credentialCurrent(identity: IdentityRecord, credential: string | null): Promise<true | LocalizedText> {
    if (identity.type === 'ManagedIdentity') return true;
    const ref = parseCredentialRef(credential);
    if (identity.type === 'ServicePrincipal') {
      if (ref?.kind !== 'clientSecret') return localize(identityMessages, 'lapseNoSecretNamed', { appId: String(identity.appId) });
      const secret = (await this.store.identities.secrets(identity.objectId)).find((s) => s.keyId === ref.keyId);
      if (!secret) return localize(identityMessages, 'lapseSecretRemoved', { keyId: ref.keyId });
      if (Date.now() >= Date.parse(secret.endAt)) return localize(identityMessages, 'lapseSecretExpired', { keyId: ref.keyId, endAt: secret.endAt });
      return true;
    }
    if (ref?.kind !== 'userPassword' || !identity.passwordHash || hashFingerprint(identity.passwordHash) !== ref.fingerprint) {
      return localize(identityMessages, 'lapsePasswordChanged', { userName: String(identity.userName) });
    }
    return true;
  }

  async get(objectId: string): Promise<IdentityRecord | undefined> {
    return isGuidLike(objectId) ? this.store.identities.get(objectId.toLowerCase()) : undefined;
  }

  async list(filter?: { tenantId?: string; type?: IdentityType }): Promise<IdentityRecord[]> {
    return this.store.identities.list(filter);
  }
}

/**
 * What the metadata store keeps about who may do what: the ARM scaffolding (tenants,
 * subscriptions, resource groups), identities and their secrets, role assignments, the admin
 * user's passwords, scope maps and repository-scoped tokens, signing keys, the audit trail and
 * the changeable attributes of repositories, tags and manifests. One small index per area.
 * Secrets are only ever stored as scrypt hashes (or, where ACR shows them again, sealed).
 */
import type { Page, RepositoryRef } from './refs.js';

// ---------------------------------------------------------------- ARM scaffolding

export interface TenantRecord {
  id: string;
  displayName: string;
  createdAt: string;
}

export interface SubscriptionRecord {
  id: string;
  tenantId: string;
  displayName: string;
  createdAt: string;
}

export interface ResourceGroupRecord {
  subscriptionId: string;
  name: string;
  location: string;
  createdAt: string;
  tags: Record<string, string>;
}

export interface ScaffoldIndex {
  tenants(): Promise<TenantRecord[]>;
  ensureTenant(tenant: { id: string; displayName: string }): Promise<TenantRecord>;
  subscriptions(): Promise<SubscriptionRecord[]>;
  /**
   * Creates the subscription unless it exists; `owner`, when given, is assigned with it in the
   * same transaction (and only when the subscription is new), so no subscription is left without
   * the owner that created it.
   */
  ensureSubscription(subscription: { id: string; tenantId: string; displayName: string }, owner?: RoleAssignmentRecord): Promise<SubscriptionRecord>;
  resourceGroups(subscriptionId: string): Promise<ResourceGroupRecord[]>;
  ensureResourceGroup(group: { subscriptionId: string; name: string; location: string }): Promise<ResourceGroupRecord>;
  deleteResourceGroup(subscriptionId: string, name: string): Promise<boolean>;
  /** Replaces the group's ARM tags; false when there is no such group. */
  setResourceGroupTags(subscriptionId: string, name: string, tags: Record<string, string>): Promise<boolean>;
}

// ---------------------------------------------------------------- identities

export type IdentityType = 'User' | 'ServicePrincipal' | 'ManagedIdentity';

export interface IdentityRecord {
  objectId: string;
  tenantId: string;
  type: IdentityType;
  /** Client (application) id of a service principal or managed identity; null for users. */
  appId: string | null;
  displayName: string;
  /** Sign-in name of a user (user@tenant); null otherwise. */
  userName: string | null;
  /** scrypt hash of a user's password. */
  passwordHash: string | null;
  createdAt: string;
}

export interface ClientSecretRecord {
  keyId: string;
  objectId: string;
  displayName: string;
  /** The first three characters, as Entra shows them. */
  hint: string;
  hash: string;
  startAt: string;
  endAt: string;
  createdAt: string;
}

export interface IdentityIndex {
  create(identity: IdentityRecord): Promise<void>;
  get(objectId: string): Promise<IdentityRecord | undefined>;
  getByAppId(appId: string): Promise<IdentityRecord | undefined>;
  getByUserName(userName: string): Promise<IdentityRecord | undefined>;
  list(filter?: { tenantId?: string; type?: IdentityType }): Promise<IdentityRecord[]>;
  setPasswordHash(objectId: string, hash: string): Promise<void>;
  /** Deletes the identity, its secrets and its role assignments. */
  delete(objectId: string): Promise<boolean>;
  addSecret(secret: ClientSecretRecord): Promise<void>;
  secrets(objectId: string): Promise<ClientSecretRecord[]>;
  removeSecret(objectId: string, keyId: string): Promise<boolean>;
  /** Directory role template ids the identity holds. */
  directoryRoles(objectId: string): Promise<string[]>;
  /** Members of a directory role (object ids). */
  directoryRoleMembers(roleId: string): Promise<string[]>;
  /** Idempotent: false when the identity already held the role. */
  addDirectoryRole(objectId: string, roleId: string): Promise<boolean>;
  removeDirectoryRole(objectId: string, roleId: string): Promise<boolean>;
  /** Owners (object ids) of an application. */
  owners(appObjectId: string): Promise<string[]>;
  /** Idempotent: false when it was already an owner. */
  addOwner(appObjectId: string, ownerObjectId: string): Promise<boolean>;
  removeOwner(appObjectId: string, ownerObjectId: string): Promise<boolean>;
  /**
   * Runs `work` in one transaction over this index: every read and write it makes through the
   * index it is given commits together, or, when `work` throws, none does (a directory change
   * that writes twice: an application and its first owner).
   */
  transaction<T>(work: (identities: IdentityIndex) => Promise<T>): Promise<T>;
}

// ---------------------------------------------------------------- role assignments

export type BuiltInRole = 'Owner' | 'Contributor' | 'Reader' | 'AcrPull' | 'AcrPush' | 'AcrDelete' | 'AcrImageSigner';

export interface RoleAssignmentRecord {
  /** A GUID, the assignment's ARM name. */
  id: string;
  /**
   * ARM scope: `/subscriptions/S`, `/subscriptions/S/resourceGroups/G`,
   * `/subscriptions/S/resourceGroups/G/providers/Microsoft.ContainerRegistry/registries/R`,
   * or a repository inside it: `…/registries/R/repositories/<name or glob>`.
   */
  scope: string;
  roleName: BuiltInRole;
  principalId: string;
  principalType: IdentityType;
  createdAt: string;
}

export interface RoleAssignmentIndex {
  create(assignment: RoleAssignmentRecord): Promise<void>;
  get(id: string): Promise<RoleAssignmentRecord | undefined>;
  delete(id: string): Promise<boolean>;
  forPrincipal(principalId: string): Promise<RoleAssignmentRecord[]>;
  /** Assignments whose scope is `scopePrefix` or below it (all when omitted). */
  list(scopePrefix?: string): Promise<RoleAssignmentRecord[]>;
}

// ---------------------------------------------------------------- admin user

export type AdminPasswordName = 'password' | 'password2';

export interface AdminPasswordRecord {
  registry: string;
  name: AdminPasswordName;
  hash: string;
  sealedValue: string;
  createdAt: string;
}

export interface AdminPasswordIndex {
  list(registry: string): Promise<AdminPasswordRecord[]>;
  /** Creates or replaces one password. */
  put(record: AdminPasswordRecord): Promise<void>;
}

// ---------------------------------------------------------------- scope maps and tokens

export interface ScopeMapRecord {
  registry: string;
  name: string;
  description: string;
  actions: string[];
  createdAt: string;
  updatedAt: string;
}

export interface ScopeMapIndex {
  /** User-defined maps only; the system maps are constants (see access/scope-maps.ts). */
  list(registry: string): Promise<ScopeMapRecord[]>;
  get(registry: string, name: string): Promise<ScopeMapRecord | undefined>;
  put(record: ScopeMapRecord): Promise<void>;
  delete(registry: string, name: string): Promise<boolean>;
  /** Tokens using the map (a map in use cannot be deleted). */
  usedBy(registry: string, name: string): Promise<string[]>;
}

export type TokenStatus = 'enabled' | 'disabled';
export type TokenPasswordName = 'password1' | 'password2';

export interface RepositoryTokenRecord {
  registry: string;
  name: string;
  scopeMap: string;
  status: TokenStatus;
  createdAt: string;
  updatedAt: string;
}

export interface TokenPasswordRecord {
  registry: string;
  token: string;
  name: TokenPasswordName;
  hash: string;
  createdAt: string;
  expiresAt: string | null;
}

export interface RepositoryTokenIndex {
  list(registry: string): Promise<RepositoryTokenRecord[]>;
  get(registry: string, name: string): Promise<RepositoryTokenRecord | undefined>;
  put(record: RepositoryTokenRecord): Promise<void>;
  /**
   * Creates or replaces the token and, when `keepPasswords` is given, removes its other
   * passwords, in one transaction (a PUT or PATCH whose credentials list a subset).
   */
  save(record: RepositoryTokenRecord, keepPasswords?: TokenPasswordName[]): Promise<void>;
  /** Deletes the token and its passwords. */
  delete(registry: string, name: string): Promise<boolean>;
  passwords(registry: string, token: string): Promise<TokenPasswordRecord[]>;
  putPassword(record: TokenPasswordRecord): Promise<void>;
  /** Creates or replaces several of the token's passwords in one transaction. */
  putPasswords(records: TokenPasswordRecord[]): Promise<void>;
  removePassword(registry: string, token: string, name: TokenPasswordName): Promise<boolean>;
}

// ---------------------------------------------------------------- signing keys

export interface SigningKeyRecord {
  kid: string;
  algorithm: 'RS256';
  publicJwk: JsonWebKey;
  sealedPrivateKey: string;
  createdAt: string;
  retiredAt: string | null;
}

export interface SigningKeyIndex {
  /** Newest first. */
  list(): Promise<SigningKeyRecord[]>;
  add(key: SigningKeyRecord): Promise<void>;
  retire(kid: string, at: string): Promise<boolean>;
}

// ---------------------------------------------------------------- audit

/** Columns of ACR's ContainerRegistryLoginEvents, plus the decision's reason. */
export interface LoginEvent {
  timeGenerated: string;
  registry: string;
  loginServer: string;
  callerIpAddress: string;
  correlationId: string;
  durationMs: number;
  identity: string;
  identityType: string;
  jwtId: string | null;
  operationName: string;
  /** Succeeded | Failed */
  resultType: string;
  /** The HTTP status, as text ("200", "401"). */
  resultDescription: string;
  reason: string;
  /** The reason's message key (access/reason-messages.ts), so readers see it in their language; null on rows written before 0009 or with a free-text reason. */
  reasonKey?: string | null;
  /** The key's values, as JSON. */
  reasonValues?: string | null;
  userAgent: string;
  tenantId: string | null;
  region: string;
  /** `address:port` of the private endpoint the request arrived at; absent or null: the public endpoint. */
  listener?: string | null;
  /** How many refused requests this row stands for (a coalesced flood); absent: one. */
  count?: number;
}

/** Columns of ACR's ContainerRegistryRepositoryEvents, plus the decision's reason. */
export interface RepositoryEvent {
  timeGenerated: string;
  registry: string;
  loginServer: string;
  callerIpAddress: string;
  correlationId: string;
  durationMs: number;
  identity: string;
  identityType: string;
  /** Push | Pull | Untag | Delete */
  operationName: string;
  repository: string;
  tag: string | null;
  digest: string | null;
  mediaType: string | null;
  artifactType: string | null;
  size: number | null;
  resultType: string;
  resultDescription: string;
  reason: string;
  /** The reason's message key (access/reason-messages.ts), so readers see it in their language; null on rows written before 0009 or with a free-text reason. */
  reasonKey?: string | null;
  /** The key's values, as JSON. */
  reasonValues?: string | null;
  userAgent: string;
  userTenantId: string | null;
  region: string;
  /** `address:port` of the private endpoint the request arrived at; absent or null: the public endpoint. */
  listener?: string | null;
  /** How many refused requests this row stands for (a coalesced flood); absent: one. */
  count?: number;
}

export interface AuditFilter {
  registry?: string;
  failuresOnly?: boolean;
  identity?: string;
  callerIpAddress?: string;
  operationName?: string;
  correlationId?: string;
  repository?: string;
  /** ISO times, inclusive from, exclusive to. */
  from?: string;
  to?: string;
  /** Newest first; at most this many (default 100, at most 10000). */
  limit?: number;
}

/** A new count (and reason) for a coalesced row already stored, found by its correlation id. */
export interface AuditCountUpdate {
  category: 'login' | 'repository';
  correlationId: string;
  count: number;
  reason: string;
  /** The reason's key and values (the coalescing note's), when it has them: the row keeps the ones it had otherwise. */
  reasonKey?: string;
  reasonValues?: string;
}

export interface AuditIndex {
  /** Inserts the events and applies the count updates, in one transaction. */
  append(events: { logins: LoginEvent[]; repository: RepositoryEvent[]; counts?: AuditCountUpdate[] }): Promise<void>;
  logins(filter: AuditFilter): Promise<LoginEvent[]>;
  repositoryEvents(filter: AuditFilter): Promise<RepositoryEvent[]>;
  /** Deletes every event (login and repository) older than the ISO time; returns how many. */
  purgeBefore(iso: string): Promise<number>;
  /** Deletes the oldest failure rows of each table beyond the newest `keep`; returns how many. */
  trimFailures(keep: number): Promise<number>;
}

// ---------------------------------------------------------------- ACR properties (/acr/v1)

export interface ChangeableAttributes {
  deleteEnabled: boolean;
  writeEnabled: boolean;
  readEnabled: boolean;
  listEnabled: boolean;
}

export interface RepositoryProperties {
  name: string;
  createdTime: string;
  lastUpdateTime: string;
  manifestCount: number;
  tagCount: number;
  changeableAttributes: ChangeableAttributes;
}

export interface TagProperties {
  name: string;
  digest: string;
  createdTime: string;
  lastUpdateTime: string;
  changeableAttributes: ChangeableAttributes;
}

export interface ManifestProperties {
  digest: string;
  mediaType: string;
  size: number;
  createdTime: string;
  lastUpdateTime: string;
  tags: string[];
  changeableAttributes: ChangeableAttributes;
  /** The manifest bytes, for architecture/os/config media type/references. */
  content: Buffer;
}

export type PropertyOrder = 'timeasc' | 'timedesc' | 'none';

export interface PropertiesIndex {
  repository(ref: RepositoryRef): Promise<RepositoryProperties | undefined>;
  updateRepository(ref: RepositoryRef, change: Partial<ChangeableAttributes>): Promise<RepositoryProperties | undefined>;
  /** Deletes every manifest, tag and blob link of the repository. */
  deleteRepository(ref: RepositoryRef): Promise<{ manifestsDeleted: string[]; tagsDeleted: string[] } | undefined>;
  tags(ref: RepositoryRef, page: Page & { orderby?: PropertyOrder; digest?: string }): Promise<TagProperties[] | undefined>;
  tag(ref: RepositoryRef, name: string): Promise<TagProperties | undefined>;
  updateTag(ref: RepositoryRef, name: string, change: Partial<ChangeableAttributes>): Promise<TagProperties | undefined>;
  manifests(ref: RepositoryRef, page: Page & { orderby?: PropertyOrder }): Promise<ManifestProperties[] | undefined>;
  manifest(ref: RepositoryRef, digest: string): Promise<ManifestProperties | undefined>;
  updateManifest(ref: RepositoryRef, digest: string, change: Partial<ChangeableAttributes>): Promise<ManifestProperties | undefined>;
}

/**
 * The metadata store: what the registry knows about registries, repositories, blobs,
 * manifests, tags and upload sessions. Split in small indexes by area; one implementation
 * (Kysely) serves every SQL dialect, and one test suite runs against each dialect.
 */
import type {
  AdminPasswordIndex,
  AdminPasswordRecord,
  AuditIndex,
  ChangeableAttributes,
  IdentityIndex,
  PropertiesIndex,
  RepositoryTokenIndex,
  RoleAssignmentIndex,
  ScaffoldIndex,
  ScopeMapIndex,
  SigningKeyIndex,
} from './access-records.js';

import type { NetworkIndex, RegistryNetworkSettings } from './network-records.js';
import type { GcIndex } from './gc-index.js';

export type * from './access-records.js';
export type * from './network-records.js';

export type RegistrySku = 'Basic' | 'Standard' | 'Premium';

export interface RegistryRecord {
  name: string;
  loginServer: string | null;
  deletesEnabled: boolean;
  createdAt: string;
  updatedAt: string;
  /** Placement in the ARM hierarchy. */
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  sku: RegistrySku;
  tags: Record<string, string>;
  adminUserEnabled: boolean;
  anonymousPullEnabled: boolean;
}

/** What the management plane may change on a registry. */
export interface RegistrySettings {
  sku: RegistrySku;
  tags: Record<string, string>;
  adminUserEnabled: boolean;
  anonymousPullEnabled: boolean;
  deletesEnabled: boolean;
}

export interface RegistrySpec {
  name: string;
  loginServer: string | null;
  deletesEnabled: boolean;
  /** Placement for a registry created by this call (ignored for an existing one). */
  placement?: { subscriptionId: string; resourceGroup: string; location: string; sku?: RegistrySku };
}

export type { Page, RepositoryRef } from './refs.js';
import type { Page, RepositoryRef } from './refs.js';

/**
 * One management change to a registry, saved in one transaction: the row (created when
 * `create` is given), its network settings when they change, and the admin user's passwords
 * where they are missing.
 */
export interface RegistryWrite {
  name: string;
  /** Creates the registry with this placement (no login server, deletes enabled). */
  create?: { subscriptionId: string; resourceGroup: string; location: string; sku: RegistrySku };
  settings: Partial<RegistrySettings>;
  /** Replaces the registry's network settings and rules. */
  network?: Omit<RegistryNetworkSettings, 'updatedAt'>;
  /** Stored unless the registry already has a password of that name. */
  adminPasswords?: AdminPasswordRecord[];
}

/**
 * One management deletion, in one transaction: the registries (each with everything in it, as
 * `delete` removes it), every role assignment at or under `scope`, and the resource group row
 * when one is named. A failure half-way leaves all of it in place.
 */
export interface RegistryRemoval {
  registries: string[];
  /** An ARM scope (the registry's id, or the resource group's); compared ignoring case. */
  scope: string;
  /** The resource group deleted with them (`az group delete`). */
  resourceGroup?: { subscriptionId: string; name: string };
}

/** A registry as a write left it. */
export interface SavedRegistry {
  registry: RegistryRecord;
  network: RegistryNetworkSettings;
}

export interface RegistryIndex {
  list(): Promise<RegistryRecord[]>;
  get(name: string): Promise<RegistryRecord | undefined>;
  /** Creates the registry, or brings its settings in line with the spec. */
  upsert(spec: RegistrySpec): Promise<RegistryRecord>;
  update(name: string, change: Partial<RegistrySettings>): Promise<RegistryRecord | undefined>;
  /** Saves a management change in one transaction; undefined when the registry does not exist. */
  save(write: RegistryWrite): Promise<SavedRegistry | undefined>;
  /** Removes the registry and everything in it (metadata only; blobs are shared content). */
  delete(name: string): Promise<boolean>;
  /** Saves a management deletion in one transaction; the names of the registries it removed. */
  remove(removal: RegistryRemoval): Promise<string[]>;
}

export interface BlobIndex {
  /**
   * Records a blob whose content is committed to the blob store and links it into a
   * repository; the upload session it completes (if any) ends in the same transaction.
   */
  commit(ref: RepositoryRef, digest: string, size: number, completedUpload?: string): Promise<void>;
  /** Links an already stored blob into another repository (cross-repository mount). */
  link(ref: RepositoryRef, digest: string): Promise<boolean>;
  /**
   * Size of a blob visible in the repository, with the repository's readEnabled attribute
   * when the index reads it along (ACR: a read-disabled repository serves no blobs).
   */
  stat(ref: RepositoryRef, digest: string): Promise<{ size: number; readEnabled?: boolean } | undefined>;
  /** Any repository of the registry that holds the blob (mount without `from`). */
  findRepository(registry: string, digest: string): Promise<string | undefined>;
  unlink(ref: RepositoryRef, digest: string): Promise<boolean>;
}

export interface ManifestRecord {
  digest: string;
  mediaType: string;
  size: number;
  content: Buffer;
  subject: string | null;
  artifactType: string | null;
  annotations: Record<string, string> | null;
  /**
   * The ACR changeable attributes that gate this manifest, read with it so a pull needs no
   * second query. Set by ManifestIndex.get; absent on records that were not read from the store.
   */
  attributes?: ManifestGates;
}

/** Changeable attributes at each level that applies to one manifest lookup. */
export interface ManifestGates {
  repository: ChangeableAttributes;
  manifest: ChangeableAttributes;
  /** Present when the manifest was looked up by tag. */
  tag?: ChangeableAttributes;
}

export interface ManifestChild {
  digest: string;
  kind: 'blob' | 'manifest';
  /** The size the manifest claims; checked against the stored one. */
  size: number;
}

export interface NewManifest extends ManifestRecord {
  children: ManifestChild[];
}

export type PutManifestResult = { ok: true } | { ok: false; missing: ManifestChild } | { ok: false; sizeMismatch: ManifestChild; actual: number };

export interface ReferrerRecord {
  digest: string;
  mediaType: string;
  size: number;
  artifactType: string | null;
  annotations: Record<string, string> | null;
}

export interface ManifestIndex {
  /** By tag or by digest. */
  get(ref: RepositoryRef, reference: string): Promise<ManifestRecord | undefined>;
  /** Stores the manifest (and moves the tag) in one transaction, after checking every child exists. */
  put(ref: RepositoryRef, manifest: NewManifest, tag: string | null): Promise<PutManifestResult>;
  /** Deletes the manifest and every tag that points at it. */
  delete(ref: RepositoryRef, digest: string): Promise<boolean>;
  untag(ref: RepositoryRef, tag: string): Promise<boolean>;
  /** Tags in lexical order; undefined when the repository is unknown. */
  tags(ref: RepositoryRef, page: Page): Promise<string[] | undefined>;
  referrers(ref: RepositoryRef, subject: string, artifactType: string | null): Promise<ReferrerRecord[]>;
}

export interface RepositoryIndex {
  /** Repositories that hold at least one manifest, in lexical order. */
  catalog(registry: string, page: Page): Promise<string[]>;
  /** Bytes the registry stores: each blob it links counted once, plus its manifests. */
  storageBytes(registry: string): Promise<number>;
}

export interface UploadRecord {
  id: string;
  registry: string;
  repository: string;
  size: number;
  createdAt: string;
  /** When the session last took bytes (or was created). */
  updatedAt: string;
}

export interface UploadIndex {
  create(upload: { id: string; registry: string; repository: string }): Promise<void>;
  get(id: string): Promise<UploadRecord | undefined>;
  setSize(id: string, size: number): Promise<void>;
  delete(id: string): Promise<void>;
  /** Sessions idle since before the cutoff, for purging; in id order, after `afterId`. */
  idleSince(cutoffIso: string, limit: number, afterId?: string): Promise<UploadRecord[]>;
  /** Which of these ids have a session (one query; for checking scratch files in batches). */
  existing(ids: string[]): Promise<Set<string>>;
}

export interface MetadataStore {
  readonly dialect: 'sqlite' | 'postgres';
  readonly scaffold: ScaffoldIndex;
  readonly identities: IdentityIndex;
  readonly roleAssignments: RoleAssignmentIndex;
  readonly adminPasswords: AdminPasswordIndex;
  readonly scopeMaps: ScopeMapIndex;
  readonly tokens: RepositoryTokenIndex;
  readonly signingKeys: SigningKeyIndex;
  readonly audit: AuditIndex;
  readonly properties: PropertiesIndex;
  readonly network: NetworkIndex;
  readonly registries: RegistryIndex;
  readonly blobs: BlobIndex;
  readonly manifests: ManifestIndex;
  readonly repositories: RepositoryIndex;
  readonly uploads: UploadIndex;
  /** Garbage collection's candidate queries and conditional removals (gc-index.ts). */
  readonly gc: GcIndex;
  ping(): Promise<void>;
  close(): Promise<void>;
}

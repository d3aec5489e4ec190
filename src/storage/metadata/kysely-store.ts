/** The metadata store on Kysely: the same queries for SQLite and PostgreSQL. */
import { sql, type Kysely, type RawBuilder, type Selectable, type Transaction, type Updateable } from 'kysely';
import type SQLite from 'better-sqlite3';
import type { Database } from './schema.js';
import { IN_LIST_CHUNK } from './refs.js';
import { CachedManifestIndex } from './manifest-cache.js';
import {
  KyselyAdminPasswordIndex,
  KyselyIdentityIndex,
  KyselyRepositoryTokenIndex,
  KyselyRoleAssignmentIndex,
  KyselyScaffoldIndex,
  KyselyScopeMapIndex,
  KyselySigningKeyIndex,
  scopeAtOrBelow,
} from './kysely-access-store.js';
import { KyselyAuditIndex } from './kysely-audit.js';
import { KyselyPropertiesIndex } from './kysely-properties.js';
import { KyselyNetworkIndex, forgetRegistryNetwork, readSettings, writeRegistrySettings } from './kysely-network-store.js';
import type { NetworkIndex } from './network-records.js';
import { KyselyGcIndex } from './kysely-gc-index.js';
import type { GcIndex } from './gc-index.js';
import type {
  AdminPasswordIndex,
  AuditIndex,
  BlobIndex,
  ChangeableAttributes,
  IdentityIndex,
  PropertiesIndex,
  RepositoryTokenIndex,
  RoleAssignmentIndex,
  ScaffoldIndex,
  ScopeMapIndex,
  SigningKeyIndex,
  ManifestChild,
  ManifestIndex,
  ManifestRecord,
  MetadataStore,
  NewManifest,
  Page,
  PutManifestResult,
  RegistryIndex,
  RegistryRecord,
  RegistryRemoval,
  RegistrySettings,
  RegistrySku,
  RegistrySpec,
  RegistryWrite,
  SavedRegistry,
  RepositoryIndex,
  RepositoryRef,
  UploadIndex,
  UploadRecord,
} from './store.js';

type Db = Kysely<Database> | Transaction<Database>;
const now = () => new Date().toISOString();
const DEFAULT_PAGE = 1000;
const MAX_PAGE = 10000;

function pageSize(page: Page): number {
  return Math.min(Math.max(page.n ?? DEFAULT_PAGE, 0), MAX_PAGE);
}

/** Changeable attributes from their columns; a missing row (outer join) has the defaults. */
function gates(read: number | null, write: number | null, del: number | null, list: number | null): ChangeableAttributes {
  const on = (value: number | null) => value === null || Number(value) !== 0;
  return { readEnabled: on(read), writeEnabled: on(write), deleteEnabled: on(del), listEnabled: on(list) };
}

function tagGates(row: Partial<Record<'t_read' | 't_write' | 't_delete' | 't_list', number>>): ChangeableAttributes {
  return gates(row.t_read ?? null, row.t_write ?? null, row.t_delete ?? null, row.t_list ?? null);
}

function parseAnnotations(text: string | null): Record<string, string> | null {
  return text ? (JSON.parse(text) as Record<string, string>) : null;
}

export class KyselyMetadataStore implements MetadataStore {
  readonly registries: RegistryIndex;
  readonly blobs: BlobIndex;
  readonly manifests: ManifestIndex;
  readonly repositories: RepositoryIndex;
  readonly uploads: UploadIndex;
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
  readonly gc: GcIndex;

  constructor(
    private readonly db: Kysely<Database>,
    readonly dialect: 'sqlite' | 'postgres',
    /** The better-sqlite3 connection under `db`, for the audit trail's prepared statements. */
    sqlite?: SQLite.Database,
  ) {
    // Lexical (byte) order whatever the database's locale, so paging with `last` is stable.
    const binary = (column: string): RawBuilder<string> =>
      dialect === 'postgres' ? sql<string>`${sql.ref(column)} collate "C"` : sql<string>`${sql.ref(column)}`;
    const manifests = new KyselyManifestIndex(db, binary, dialect === 'postgres');
    // Only a store this process alone writes can be cached exactly (see manifest-cache.ts).
    const cache = dialect === 'sqlite' ? new CachedManifestIndex(manifests) : undefined;
    this.manifests = cache ?? manifests;
    this.registries = new KyselyRegistryIndex(db, (registry) => cache?.forgetRegistry(registry));
    this.blobs = new KyselyBlobIndex(db);
    this.repositories = new KyselyRepositoryIndex(db, binary);
    this.uploads = new KyselyUploadIndex(db);
    this.scaffold = new KyselyScaffoldIndex(db);
    this.identities = new KyselyIdentityIndex(db);
    this.roleAssignments = new KyselyRoleAssignmentIndex(db);
    this.adminPasswords = new KyselyAdminPasswordIndex(db);
    this.scopeMaps = new KyselyScopeMapIndex(db, binary);
    this.tokens = new KyselyRepositoryTokenIndex(db, binary);
    this.signingKeys = new KyselySigningKeyIndex(db);
    this.audit = new KyselyAuditIndex(db, sqlite);
    const properties = new KyselyPropertiesIndex(db, binary); // wired for the acr/v1 helper
    this.properties = cache ? new CacheForgettingProperties(properties, cache) : properties;
    this.network = new KyselyNetworkIndex(db, binary);
    this.gc = new KyselyGcIndex(db, dialect);
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

/**
 * The manifest cache holds records with their changeable attributes: deleting a repository or
 * changing attributes through the properties index must not leave it serving the old state.
 */
class CacheForgettingProperties implements PropertiesIndex {
  constructor(
    private readonly inner: PropertiesIndex,
    private readonly cache: CachedManifestIndex,
  ) {}

  private async forgetting<T>(ref: RepositoryRef, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } finally {
      this.cache.forgetRepository(ref);
    }
  }

  repository: PropertiesIndex['repository'] = (ref) => this.inner.repository(ref);
  updateRepository: PropertiesIndex['updateRepository'] = (ref, change) => this.forgetting(ref, () => this.inner.updateRepository(ref, change));
  deleteRepository: PropertiesIndex['deleteRepository'] = (ref) => this.forgetting(ref, () => this.inner.deleteRepository(ref));
  tags: PropertiesIndex['tags'] = (ref, page) => this.inner.tags(ref, page);
  tag: PropertiesIndex['tag'] = (ref, name) => this.inner.tag(ref, name);
  updateTag: PropertiesIndex['updateTag'] = (ref, name, change) => this.forgetting(ref, () => this.inner.updateTag(ref, name, change));
  manifests: PropertiesIndex['manifests'] = (ref, page) => this.inner.manifests(ref, page);
  manifest: PropertiesIndex['manifest'] = (ref, digest) => this.inner.manifest(ref, digest);
  updateManifest: PropertiesIndex['updateManifest'] = (ref, digest, change) => this.forgetting(ref, () => this.inner.updateManifest(ref, digest, change));
}

async function ensureRepository(db: Db, ref: RepositoryRef): Promise<void> {
  await db
    .insertInto('repositories')
    .values({ registry: ref.registry, name: ref.repository, created_at: now() })
    .onConflict((oc) => oc.columns(['registry', 'name']).doNothing())
    .execute();
}

class KyselyRegistryIndex implements RegistryIndex {
  constructor(
    private readonly db: Kysely<Database>,
    /** Told after a registry's metadata is gone, so caches in front of the store forget it. */
    private readonly onDeleted: (registry: string) => void,
  ) {}

  private static toRecord(row: Selectable<Database['registries']>): RegistryRecord {
    return {
      name: row.name,
      loginServer: row.login_server,
      deletesEnabled: row.deletes_enabled !== 0,
      createdAt: row.created_at,
      // Empty means "never changed since creation".
      updatedAt: row.updated_at || row.created_at,
      subscriptionId: row.subscription_id,
      resourceGroup: row.resource_group,
      location: row.location,
      sku: row.sku as RegistrySku,
      tags: parseTags(row.tags),
      adminUserEnabled: row.admin_user_enabled !== 0,
      anonymousPullEnabled: row.anonymous_pull_enabled !== 0,
    };
  }

  async list(): Promise<RegistryRecord[]> {
    const rows = await this.db.selectFrom('registries').selectAll().orderBy('name').execute();
    return rows.map(KyselyRegistryIndex.toRecord);
  }

  async get(name: string): Promise<RegistryRecord | undefined> {
    const row = await this.db.selectFrom('registries').selectAll().where('name', '=', name).executeTakeFirst();
    return row && KyselyRegistryIndex.toRecord(row);
  }

  async upsert(spec: RegistrySpec): Promise<RegistryRecord> {
    const deletes = spec.deletesEnabled ? 1 : 0;
    await this.db.transaction().execute(async (trx) => {
      const placement = spec.placement;
      // Placement and sku only for a new row; an existing registry keeps what ARM gave it.
      await trx
        .insertInto('registries')
        .values({
          name: spec.name,
          login_server: spec.loginServer,
          deletes_enabled: deletes,
          created_at: now(),
          ...(placement && {
            subscription_id: placement.subscriptionId,
            resource_group: placement.resourceGroup,
            location: placement.location,
            ...(placement.sku && { sku: placement.sku }),
          }),
        })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      // The configuration may still move the login server or switch deletes; only a real
      // change counts as an update (every start upserts the configured registries).
      await trx
        .updateTable('registries')
        .set({ login_server: spec.loginServer, deletes_enabled: deletes, updated_at: now() })
        .where('name', '=', spec.name)
        .where((eb) =>
          eb.or([
            eb('deletes_enabled', '!=', deletes),
            spec.loginServer === null
              ? eb('login_server', 'is not', null)
              : eb.or([eb('login_server', 'is', null), eb('login_server', '!=', spec.loginServer)]),
          ]),
        )
        .execute();
    });
    return (await this.get(spec.name))!;
  }

  async update(name: string, change: Partial<RegistrySettings>): Promise<RegistryRecord | undefined> {
    const result = await this.db.updateTable('registries').set(settingsColumns(change)).where('name', '=', name).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return undefined;
    return this.get(name);
  }

  async save(write: RegistryWrite): Promise<SavedRegistry | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const { name, create } = write;
      if (create) {
        await trx
          .insertInto('registries')
          .values({
            name,
            login_server: null,
            deletes_enabled: 1,
            created_at: now(),
            subscription_id: create.subscriptionId,
            resource_group: create.resourceGroup,
            location: create.location,
            sku: create.sku,
          })
          .onConflict((oc) => oc.column('name').doNothing())
          .execute();
      }
      const result = await trx.updateTable('registries').set(settingsColumns(write.settings)).where('name', '=', name).executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return undefined;
      if (write.network) await writeRegistrySettings(trx, name, write.network);
      for (const password of write.adminPasswords ?? []) {
        await trx
          .insertInto('admin_passwords')
          .values({ registry: name, name: password.name, hash: password.hash, sealed_value: password.sealedValue, created_at: password.createdAt })
          .onConflict((oc) => oc.columns(['registry', 'name']).doNothing())
          .execute();
      }
      const row = await trx.selectFrom('registries').selectAll().where('name', '=', name).executeTakeFirstOrThrow();
      return { registry: KyselyRegistryIndex.toRecord(row), network: await readSettings(trx, name) };
    });
  }

  async delete(name: string): Promise<boolean> {
    const deleted = await this.db.transaction().execute((trx) => deleteRegistry(trx, name));
    this.onDeleted(name);
    return deleted;
  }

  async remove(removal: RegistryRemoval): Promise<string[]> {
    const removed = await this.db.transaction().execute(async (trx) => {
      const names: string[] = [];
      for (const name of removal.registries) if (await deleteRegistry(trx, name)) names.push(name);
      // Grants on a deleted registry must not pass to a new registry of the same name.
      await trx.deleteFrom('role_assignments').where(scopeAtOrBelow(removal.scope)).execute();
      const group = removal.resourceGroup;
      if (group) await trx.deleteFrom('resource_groups').where('subscription_id', '=', group.subscriptionId).where('name', '=', group.name).execute();
      return names;
    });
    // Caches forget only what the commit removed.
    for (const name of removal.registries) this.onDeleted(name);
    return removed;
  }
}

/**
 * Removes the registry and every row that belongs to it, inside the caller's transaction; its
 * private endpoints stay, Disconnected. Whether the registry row existed.
 */
async function deleteRegistry(trx: Transaction<Database>, name: string): Promise<boolean> {
  for (const table of REGISTRY_SCOPED_TABLES) await trx.deleteFrom(table).where('registry', '=', name).execute();
  await forgetRegistryNetwork(trx, name);
  const result = await trx.deleteFrom('registries').where('name', '=', name).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The columns a settings change sets (updated_at always). */
function settingsColumns(change: Partial<RegistrySettings>): Updateable<Database['registries']> {
  const set: Updateable<Database['registries']> = { updated_at: now() };
  if (change.sku !== undefined) set.sku = change.sku;
  if (change.tags !== undefined) set.tags = JSON.stringify(change.tags);
  if (change.adminUserEnabled !== undefined) set.admin_user_enabled = change.adminUserEnabled ? 1 : 0;
  if (change.anonymousPullEnabled !== undefined) set.anonymous_pull_enabled = change.anonymousPullEnabled ? 1 : 0;
  if (change.deletesEnabled !== undefined) set.deletes_enabled = change.deletesEnabled ? 1 : 0;
  return set;
}

/** Tables whose rows belong to one registry (role assignments are keyed by ARM scope instead). */
const REGISTRY_SCOPED_TABLES = [
  'repositories',
  'manifests',
  'manifest_references',
  'tags',
  'repository_blobs',
  'uploads',
  'admin_passwords',
  'scope_maps',
  'repository_tokens',
  'token_passwords',
] as const;

function parseTags(text: string): Record<string, string> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, string>) : {};
  } catch {
    return {};
  }
}

class KyselyBlobIndex implements BlobIndex {
  constructor(private readonly db: Kysely<Database>) {}

  async commit(ref: RepositoryRef, digest: string, size: number, completedUpload?: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      if (completedUpload !== undefined) await trx.deleteFrom('uploads').where('id', '=', completedUpload).execute();
      await trx
        .insertInto('blobs')
        .values({ digest, size, created_at: now() })
        .onConflict((oc) => oc.column('digest').doNothing())
        .execute();
      await ensureRepository(trx, ref);
      await insertLink(trx, ref, digest);
    });
  }

  async link(ref: RepositoryRef, digest: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const blob = await trx.selectFrom('blobs').select('digest').where('digest', '=', digest).executeTakeFirst();
      if (!blob) return false;
      await ensureRepository(trx, ref);
      await insertLink(trx, ref, digest);
      return true;
    });
  }

  async stat(ref: RepositoryRef, digest: string): Promise<{ size: number; readEnabled: boolean } | undefined> {
    const row = await this.db
      .selectFrom('repository_blobs as rb')
      .innerJoin('blobs as b', 'b.digest', 'rb.digest')
      .leftJoin('repositories as r', (join) => join.onRef('r.registry', '=', 'rb.registry').onRef('r.name', '=', 'rb.repository'))
      .select(['b.size', 'r.read_enabled'])
      .where('rb.registry', '=', ref.registry)
      .where('rb.repository', '=', ref.repository)
      .where('rb.digest', '=', digest)
      .executeTakeFirst();
    return row && { size: Number(row.size), readEnabled: row.read_enabled === null || Number(row.read_enabled) !== 0 };
  }

  async findRepository(registry: string, digest: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('repository_blobs')
      .select('repository')
      .where('registry', '=', registry)
      .where('digest', '=', digest)
      .limit(1)
      .executeTakeFirst();
    return row?.repository;
  }

  async unlink(ref: RepositoryRef, digest: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('repository_blobs')
      .where('registry', '=', ref.registry)
      .where('repository', '=', ref.repository)
      .where('digest', '=', digest)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}

async function insertLink(db: Db, ref: RepositoryRef, digest: string): Promise<void> {
  await db
    .insertInto('repository_blobs')
    .values({ registry: ref.registry, repository: ref.repository, digest, created_at: now() })
    .onConflict((oc) => oc.columns(['registry', 'repository', 'digest']).doNothing())
    .execute();
}

class KyselyManifestIndex implements ManifestIndex {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly binary: (column: string) => RawBuilder<string>,
    /** PostgreSQL: lock the blob links a manifest relies on (see checkChildren). */
    private readonly lockLinks = false,
  ) {}

  /** By tag or by digest, with the changeable attributes that gate it (see ManifestGates). */
  async get(ref: RepositoryRef, reference: string): Promise<ManifestRecord | undefined> {
    const byDigest = reference.includes(':');
    const repositoryGates = ['r.read_enabled as r_read', 'r.write_enabled as r_write', 'r.delete_enabled as r_delete', 'r.list_enabled as r_list'] as const;
    const row = byDigest
      ? await this.db
          .selectFrom('manifests as m')
          .leftJoin('repositories as r', (join) => join.onRef('r.registry', '=', 'm.registry').onRef('r.name', '=', 'm.repository'))
          .selectAll('m')
          .select(repositoryGates)
          .where('m.registry', '=', ref.registry)
          .where('m.repository', '=', ref.repository)
          .where('m.digest', '=', reference)
          .executeTakeFirst()
      : await this.db
          .selectFrom('tags as t')
          .innerJoin('manifests as m', (join) =>
            join.onRef('m.registry', '=', 't.registry').onRef('m.repository', '=', 't.repository').onRef('m.digest', '=', 't.digest'),
          )
          .leftJoin('repositories as r', (join) => join.onRef('r.registry', '=', 'm.registry').onRef('r.name', '=', 'm.repository'))
          .selectAll('m')
          .select(repositoryGates)
          .select(['t.read_enabled as t_read', 't.write_enabled as t_write', 't.delete_enabled as t_delete', 't.list_enabled as t_list'])
          .where('t.registry', '=', ref.registry)
          .where('t.repository', '=', ref.repository)
          .where('t.name', '=', reference)
          .executeTakeFirst();
    if (!row) return undefined;
    return {
      digest: row.digest,
      mediaType: row.media_type,
      size: Number(row.size),
      content: Buffer.from(row.content),
      subject: row.subject,
      artifactType: row.artifact_type,
      annotations: parseAnnotations(row.annotations),
      attributes: {
        repository: gates(row.r_read, row.r_write, row.r_delete, row.r_list),
        manifest: gates(row.read_enabled, row.write_enabled, row.delete_enabled, row.list_enabled),
        ...(byDigest ? {} : { tag: tagGates(row as Partial<Record<'t_read' | 't_write' | 't_delete' | 't_list', number>>) }),
      },
    };
  }

  async put(ref: RepositoryRef, manifest: NewManifest, tag: string | null): Promise<PutManifestResult> {
    return this.db.transaction().execute(async (trx) => {
      const problem = await checkChildren(trx, ref, manifest.children, this.lockLinks);
      if (problem) return problem;
      await ensureRepository(trx, ref);
      const inserted = await trx
        .insertInto('manifests')
        .values({
          registry: ref.registry,
          repository: ref.repository,
          digest: manifest.digest,
          media_type: manifest.mediaType,
          size: manifest.size,
          content: manifest.content,
          subject: manifest.subject,
          artifact_type: manifest.artifactType,
          annotations: manifest.annotations ? JSON.stringify(manifest.annotations) : null,
          created_at: now(),
        })
        .onConflict((oc) => oc.columns(['registry', 'repository', 'digest']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0 && manifest.children.length > 0) {
        await trx
          .insertInto('manifest_references')
          .values(
            uniqueChildren(manifest.children).map((child) => ({
              registry: ref.registry,
              repository: ref.repository,
              digest: manifest.digest,
              child_digest: child.digest,
              child_kind: child.kind,
            })),
          )
          .onConflict((oc) => oc.columns(['registry', 'repository', 'digest', 'child_digest']).doNothing())
          .execute();
      }
      if (tag !== null) {
        await trx
          .insertInto('tags')
          .values({
            registry: ref.registry,
            repository: ref.repository,
            name: tag,
            digest: manifest.digest,
            created_at: now(),
            updated_at: now(),
          })
          .onConflict((oc) => oc.columns(['registry', 'repository', 'name']).doUpdateSet({ digest: manifest.digest, updated_at: now() }))
          .execute();
      }
      return { ok: true } as const;
    });
  }

  async delete(ref: RepositoryRef, digest: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('tags').where('registry', '=', ref.registry).where('repository', '=', ref.repository).where('digest', '=', digest).execute();
      await trx
        .deleteFrom('manifest_references')
        .where('registry', '=', ref.registry)
        .where('repository', '=', ref.repository)
        .where('digest', '=', digest)
        .execute();
      const result = await trx
        .deleteFrom('manifests')
        .where('registry', '=', ref.registry)
        .where('repository', '=', ref.repository)
        .where('digest', '=', digest)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  async untag(ref: RepositoryRef, tag: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('tags')
      .where('registry', '=', ref.registry)
      .where('repository', '=', ref.repository)
      .where('name', '=', tag)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async tags(ref: RepositoryRef, page: Page): Promise<string[] | undefined> {
    let query = this.db
      .selectFrom('tags')
      .select('name')
      .where('registry', '=', ref.registry)
      .where('repository', '=', ref.repository)
      // ACR: a tag whose listEnabled is false is left out of listings.
      .where('list_enabled', '=', 1)
      .orderBy(this.binary('name'))
      .limit(pageSize(page));
    if (page.last !== undefined) query = query.where(this.binary('name'), '>', page.last);
    const rows = await query.execute();
    if (rows.length > 0) return rows.map((r) => r.name);
    const known = await this.db
      .selectFrom('manifests')
      .select('digest')
      .where('registry', '=', ref.registry)
      .where('repository', '=', ref.repository)
      .limit(1)
      .executeTakeFirst();
    return known ? [] : undefined;
  }

  async referrers(ref: RepositoryRef, subject: string, artifactType: string | null) {
    let query = this.db
      .selectFrom('manifests')
      .select(['digest', 'media_type', 'size', 'artifact_type', 'annotations'])
      .where('registry', '=', ref.registry)
      .where('repository', '=', ref.repository)
      .where('subject', '=', subject)
      .orderBy('created_at')
      .orderBy('digest');
    if (artifactType !== null) query = query.where('artifact_type', '=', artifactType);
    const rows = await query.execute();
    return rows.map((row) => ({
      digest: row.digest,
      mediaType: row.media_type,
      size: Number(row.size),
      artifactType: row.artifact_type,
      annotations: parseAnnotations(row.annotations),
    }));
  }
}

function uniqueChildren(children: ManifestChild[]): ManifestChild[] {
  const seen = new Map<string, ManifestChild>();
  for (const child of children) if (!seen.has(child.digest)) seen.set(child.digest, child);
  return [...seen.values()];
}

/**
 * Checks that the repository has every child of a manifest, with the size the manifest claims:
 * the first child (in manifest order) that is missing or of another size, or undefined. Each
 * distinct digest is looked up once, in batched queries, however often the manifest lists it.
 * `lockLinks` (PostgreSQL, READ COMMITTED): the blobs' link rows are held FOR SHARE until the
 * manifest's transaction commits, so the collector's unlink (which takes them FOR UPDATE and
 * then re-checks for references) waits and then sees this manifest's references; if the
 * collector got there first, the row is gone and the push is told the blob is missing.
 */
async function checkChildren(
  db: Db,
  ref: RepositoryRef,
  children: ManifestChild[],
  lockLinks: boolean,
): Promise<Exclude<PutManifestResult, { ok: true }> | undefined> {
  const unique = uniqueChildren(children);
  const blobDigests = unique.filter((c) => c.kind === 'blob').map((c) => c.digest);
  const manifestDigests = unique.filter((c) => c.kind === 'manifest').map((c) => c.digest);
  const blobSizes = new Map<string, number>();
  const manifestSizes = new Map<string, number>();
  for (let i = 0; i < blobDigests.length; i += IN_LIST_CHUNK) {
    const chunk = blobDigests.slice(i, i + IN_LIST_CHUNK);
    if (lockLinks) {
      await db
        .selectFrom('repository_blobs')
        .select('digest')
        .where('registry', '=', ref.registry)
        .where('repository', '=', ref.repository)
        .where('digest', 'in', chunk)
        .forShare()
        .execute();
    }
    const rows = await db
      .selectFrom('repository_blobs as rb')
      .innerJoin('blobs as b', 'b.digest', 'rb.digest')
      .select(['rb.digest', 'b.size'])
      .where('rb.registry', '=', ref.registry)
      .where('rb.repository', '=', ref.repository)
      .where('rb.digest', 'in', chunk)
      .execute();
    for (const row of rows) blobSizes.set(row.digest, Number(row.size));
  }
  for (let i = 0; i < manifestDigests.length; i += IN_LIST_CHUNK) {
    const rows = await db
      .selectFrom('manifests')
      .select(['digest', 'size'])
      .where('registry', '=', ref.registry)
      .where('repository', '=', ref.repository)
      .where('digest', 'in', manifestDigests.slice(i, i + IN_LIST_CHUNK))
      .execute();
    for (const row of rows) manifestSizes.set(row.digest, Number(row.size));
  }
  for (const child of children) {
    const actual = (child.kind === 'blob' ? blobSizes : manifestSizes).get(child.digest);
    if (actual === undefined) return { ok: false, missing: child };
    if (actual !== child.size) return { ok: false, sizeMismatch: child, actual };
  }
  return undefined;
}

class KyselyRepositoryIndex implements RepositoryIndex {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly binary: (column: string) => RawBuilder<string>,
  ) {}

  async storageBytes(registry: string): Promise<number> {
    const blobs = await this.db
      .selectFrom('blobs')
      .select(sql<number | string>`coalesce(sum(size), 0)`.as('total'))
      .where('digest', 'in', (eb) => eb.selectFrom('repository_blobs').select('digest').where('registry', '=', registry))
      .executeTakeFirstOrThrow();
    const manifests = await this.db
      .selectFrom('manifests')
      .select(sql<number | string>`coalesce(sum(size), 0)`.as('total'))
      .where('registry', '=', registry)
      .executeTakeFirstOrThrow();
    return Number(blobs.total) + Number(manifests.total);
  }

  async catalog(registry: string, page: Page): Promise<string[]> {
    let query = this.db
      .selectFrom('repositories as r')
      .select('r.name')
      .where('r.registry', '=', registry)
      // ACR: a repository whose listEnabled is false is left out of the catalog.
      .where('r.list_enabled', '=', 1)
      .where(({ exists, selectFrom }) =>
        exists(selectFrom('manifests as m').select('m.digest').whereRef('m.registry', '=', 'r.registry').whereRef('m.repository', '=', 'r.name')),
      )
      .orderBy(this.binary('r.name'))
      .limit(pageSize(page));
    if (page.last !== undefined) query = query.where(this.binary('r.name'), '>', page.last);
    const rows = await query.execute();
    return rows.map((r) => r.name);
  }
}

class KyselyUploadIndex implements UploadIndex {
  constructor(private readonly db: Kysely<Database>) {}

  async create(upload: { id: string; registry: string; repository: string }): Promise<void> {
    const at = now();
    await this.db
      .insertInto('uploads')
      .values({ ...upload, size: 0, created_at: at, updated_at: at })
      .execute();
  }

  async get(id: string) {
    const row = await this.db.selectFrom('uploads').selectAll().where('id', '=', id).executeTakeFirst();
    return row && uploadRecord(row);
  }

  async existing(ids: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < ids.length; i += IN_LIST_CHUNK) {
      const rows = await this.db
        .selectFrom('uploads')
        .select('id')
        .where('id', 'in', ids.slice(i, i + IN_LIST_CHUNK))
        .execute();
      for (const row of rows) found.add(row.id);
    }
    return found;
  }

  async setSize(id: string, size: number): Promise<void> {
    await this.db.updateTable('uploads').set({ size, updated_at: now() }).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('uploads').where('id', '=', id).execute();
  }

  async idleSince(cutoffIso: string, limit: number, afterId?: string) {
    let query = this.db.selectFrom('uploads').selectAll().where('updated_at', '<', cutoffIso).orderBy('id').limit(limit);
    if (afterId !== undefined) query = query.where('id', '>', afterId);
    return (await query.execute()).map(uploadRecord);
  }
}

function uploadRecord(row: Selectable<Database['uploads']>): UploadRecord {
  return {
    id: row.id,
    registry: row.registry,
    repository: row.repository,
    size: Number(row.size),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

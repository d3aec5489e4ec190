/** The metadata store on Kysely: the same queries for SQLite and PostgreSQL. */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from './schema.js';
import { CachedManifestIndex } from './manifest-cache.js';
import type {
  BlobIndex,
  ManifestChild,
  ManifestIndex,
  ManifestRecord,
  MetadataStore,
  NewManifest,
  Page,
  PutManifestResult,
  RegistryIndex,
  RegistryRecord,
  RepositoryIndex,
  RepositoryRef,
  UploadIndex,
} from './store.js';

type Db = Kysely<Database> | Transaction<Database>;
const now = () => new Date().toISOString();
const DEFAULT_PAGE = 1000;
const MAX_PAGE = 10000;

function pageSize(page: Page): number {
  return Math.min(Math.max(page.n ?? DEFAULT_PAGE, 0), MAX_PAGE);
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

  constructor(
    private readonly db: Kysely<Database>,
    readonly dialect: 'sqlite' | 'postgres',
  ) {
    // Lexical (byte) order whatever the database's locale, so paging with `last` is stable.
    const binary = (column: string): RawBuilder<string> =>
      dialect === 'postgres' ? sql<string>`${sql.ref(column)} collate "C"` : sql<string>`${sql.ref(column)}`;
    this.registries = new KyselyRegistryIndex(db);
    this.blobs = new KyselyBlobIndex(db);
    const manifests = new KyselyManifestIndex(db, binary);
    // Only a store this process alone writes can be cached exactly (see manifest-cache.ts).
    this.manifests = dialect === 'sqlite' ? new CachedManifestIndex(manifests) : manifests;
    this.repositories = new KyselyRepositoryIndex(db, binary);
    this.uploads = new KyselyUploadIndex(db);
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

async function ensureRepository(db: Db, ref: RepositoryRef): Promise<void> {
  await db
    .insertInto('repositories')
    .values({ registry: ref.registry, name: ref.repository, created_at: now() })
    .onConflict((oc) => oc.columns(['registry', 'name']).doNothing())
    .execute();
}

class KyselyRegistryIndex implements RegistryIndex {
  constructor(private readonly db: Kysely<Database>) {}

  private static toRecord(row: Database['registries']): RegistryRecord {
    return {
      name: row.name,
      loginServer: row.login_server,
      deletesEnabled: row.deletes_enabled !== 0,
      createdAt: row.created_at,
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

  async upsert(spec: { name: string; loginServer: string | null; deletesEnabled: boolean }): Promise<RegistryRecord> {
    await this.db
      .insertInto('registries')
      .values({
        name: spec.name,
        login_server: spec.loginServer,
        deletes_enabled: spec.deletesEnabled ? 1 : 0,
        created_at: now(),
      })
      .onConflict((oc) =>
        oc.column('name').doUpdateSet({
          login_server: spec.loginServer,
          deletes_enabled: spec.deletesEnabled ? 1 : 0,
        }),
      )
      .execute();
    return (await this.get(spec.name))!;
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

  async stat(ref: RepositoryRef, digest: string): Promise<{ size: number } | undefined> {
    const row = await this.db
      .selectFrom('repository_blobs as rb')
      .innerJoin('blobs as b', 'b.digest', 'rb.digest')
      .select('b.size')
      .where('rb.registry', '=', ref.registry)
      .where('rb.repository', '=', ref.repository)
      .where('rb.digest', '=', digest)
      .executeTakeFirst();
    return row && { size: Number(row.size) };
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
  ) {}

  async get(ref: RepositoryRef, reference: string): Promise<ManifestRecord | undefined> {
    const byDigest = reference.includes(':');
    const row = byDigest
      ? await this.db
          .selectFrom('manifests as m')
          .selectAll('m')
          .where('m.registry', '=', ref.registry)
          .where('m.repository', '=', ref.repository)
          .where('m.digest', '=', reference)
          .executeTakeFirst()
      : await this.db
          .selectFrom('tags as t')
          .innerJoin('manifests as m', (join) =>
            join
              .onRef('m.registry', '=', 't.registry')
              .onRef('m.repository', '=', 't.repository')
              .onRef('m.digest', '=', 't.digest'),
          )
          .selectAll('m')
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
    };
  }

  async put(ref: RepositoryRef, manifest: NewManifest, tag: string | null): Promise<PutManifestResult> {
    return this.db.transaction().execute(async (trx) => {
      for (const child of manifest.children) {
        const actual = await childSize(trx, ref, child);
        if (actual === undefined) return { ok: false, missing: child } as const;
        if (actual !== child.size) return { ok: false, sizeMismatch: child, actual } as const;
      }
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
          .values({ registry: ref.registry, repository: ref.repository, name: tag, digest: manifest.digest, updated_at: now() })
          .onConflict((oc) =>
            oc.columns(['registry', 'repository', 'name']).doUpdateSet({ digest: manifest.digest, updated_at: now() }),
          )
          .execute();
      }
      return { ok: true } as const;
    });
  }

  async delete(ref: RepositoryRef, digest: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('tags')
        .where('registry', '=', ref.registry)
        .where('repository', '=', ref.repository)
        .where('digest', '=', digest)
        .execute();
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

async function childSize(db: Db, ref: RepositoryRef, child: ManifestChild): Promise<number | undefined> {
  if (child.kind === 'manifest') {
    const row = await db
      .selectFrom('manifests')
      .select('size')
      .where('registry', '=', ref.registry)
      .where('repository', '=', ref.repository)
      .where('digest', '=', child.digest)
      .executeTakeFirst();
    return row && Number(row.size);
  }
  const row = await db
    .selectFrom('repository_blobs as rb')
    .innerJoin('blobs as b', 'b.digest', 'rb.digest')
    .select('b.size')
    .where('rb.registry', '=', ref.registry)
    .where('rb.repository', '=', ref.repository)
    .where('rb.digest', '=', child.digest)
    .executeTakeFirst();
  return row && Number(row.size);
}

class KyselyRepositoryIndex implements RepositoryIndex {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly binary: (column: string) => RawBuilder<string>,
  ) {}

  async catalog(registry: string, page: Page): Promise<string[]> {
    let query = this.db
      .selectFrom('repositories as r')
      .select('r.name')
      .where('r.registry', '=', registry)
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('manifests as m')
            .select('m.digest')
            .whereRef('m.registry', '=', 'r.registry')
            .whereRef('m.repository', '=', 'r.name'),
        ),
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
    return (
      row && {
        id: row.id,
        registry: row.registry,
        repository: row.repository,
        size: Number(row.size),
        createdAt: row.created_at,
      }
    );
  }

  async setSize(id: string, size: number): Promise<void> {
    await this.db.updateTable('uploads').set({ size, updated_at: now() }).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('uploads').where('id', '=', id).execute();
  }

  async idleSince(cutoffIso: string, limit: number) {
    const rows = await this.db
      .selectFrom('uploads')
      .selectAll()
      .where('updated_at', '<', cutoffIso)
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      id: row.id,
      registry: row.registry,
      repository: row.repository,
      size: Number(row.size),
      createdAt: row.created_at,
    }));
  }
}

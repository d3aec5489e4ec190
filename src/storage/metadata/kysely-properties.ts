/**
 * ACR's repository, tag and manifest properties (/acr/v1) on Kysely: the same SQL for SQLite
 * and PostgreSQL. A repository is known while it holds at least one manifest, as in the
 * catalog. Changeable attributes live in `*_enabled` columns; `updated_at` is empty until the
 * first change and readers fall back to the creation time.
 *
 * Paging: `last` is the last item of the previous page in the order asked for. Without
 * `orderby` items are in byte order of their name (tags) or digest (manifests) and the page
 * starts after `last`. With `timeasc`/`timedesc` items are ordered by (last update time, name)
 * and the page starts after the position `last` has now; a `last` that no longer exists has
 * no position and gives an empty page (the HTTP layer reports that case before asking).
 */
import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Database } from './schema.js';
import type { ChangeableAttributes, ManifestProperties, PropertiesIndex, PropertyOrder, RepositoryProperties, TagProperties } from './access-records.js';
import type { Page, RepositoryRef } from './store.js';

const DEFAULT_PAGE = 100;
const MAX_PAGE = 10_000;
const now = () => new Date().toISOString();

function pageSize(page: Page): number {
  return Math.min(Math.max(page.n ?? DEFAULT_PAGE, 0), MAX_PAGE);
}

interface AttributeColumns {
  read_enabled: number;
  write_enabled: number;
  delete_enabled: number;
  list_enabled: number;
}

function attributesOf(row: AttributeColumns): ChangeableAttributes {
  return {
    deleteEnabled: Number(row.delete_enabled) !== 0,
    writeEnabled: Number(row.write_enabled) !== 0,
    readEnabled: Number(row.read_enabled) !== 0,
    listEnabled: Number(row.list_enabled) !== 0,
  };
}

/**
 * The column assignments of an attribute change, plus the time of the change; an empty change
 * only names the row (so a PATCH of `{}` answers the current state without touching it).
 */
function changeOf(change: Partial<ChangeableAttributes>): Partial<AttributeColumns> & { updated_at?: string } {
  const set: Partial<AttributeColumns> & { updated_at?: string } = {};
  if (change.readEnabled !== undefined) set.read_enabled = change.readEnabled ? 1 : 0;
  if (change.writeEnabled !== undefined) set.write_enabled = change.writeEnabled ? 1 : 0;
  if (change.deleteEnabled !== undefined) set.delete_enabled = change.deleteEnabled ? 1 : 0;
  if (change.listEnabled !== undefined) set.list_enabled = change.listEnabled ? 1 : 0;
  if (Object.keys(set).length > 0) set.updated_at = now();
  return set;
}

/** The latest of some ISO times, ignoring empty ones. */
function latest(...times: (string | null | undefined)[]): string {
  let best = '';
  for (const time of times) if (time && time > best) best = time;
  return best;
}

/**
 * Thrown by deleteRepository when the repository, or a tag or manifest in it, is locked
 * (writeEnabled=false) or protected from deletion (deleteEnabled=false); nothing is deleted.
 */
export class LockedContent extends Error {
  constructor(
    readonly level: 'repository' | 'tag' | 'manifest',
    /** Repository name, tag name or manifest digest. */
    readonly item: string,
    readonly attribute: 'writeEnabled' | 'deleteEnabled',
  ) {
    super(`${level} '${item}' has ${attribute}=false`);
  }

  static check(level: LockedContent['level'], item: string, row: { write_enabled: number; delete_enabled: number }): void {
    if (Number(row.write_enabled) === 0) throw new LockedContent(level, item, 'writeEnabled');
    if (Number(row.delete_enabled) === 0) throw new LockedContent(level, item, 'deleteEnabled');
  }
}

const ATTRIBUTE_COLUMNS = ['read_enabled', 'write_enabled', 'delete_enabled', 'list_enabled'] as const;

export class KyselyPropertiesIndex implements PropertiesIndex {
  constructor(
    protected readonly db: Kysely<Database>,
    protected readonly binary: (column: string) => RawBuilder<string>,
  ) {}

  /** A manifest's last update: its attribute change, or else its creation. */
  private static manifestTime(alias: string): RawBuilder<string> {
    return sql<string>`coalesce(nullif(${sql.ref(`${alias}.updated_at`)}, ''), ${sql.ref(`${alias}.created_at`)})`;
  }

  private async known(ref: RepositoryRef): Promise<boolean> {
    const row = await this.db
      .selectFrom('manifests')
      .select('digest')
      .where('registry', '=', ref.registry)
      .where('repository', '=', ref.repository)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async repository(ref: RepositoryRef): Promise<RepositoryProperties | undefined> {
    const row = await this.db
      .selectFrom('repositories as r')
      .select(['r.created_at', 'r.updated_at', 'r.read_enabled', 'r.write_enabled', 'r.delete_enabled', 'r.list_enabled'])
      .select((eb) => [
        eb
          .selectFrom('manifests as m')
          .select((s) => s.fn.countAll<number | string>().as('n'))
          .whereRef('m.registry', '=', 'r.registry')
          .whereRef('m.repository', '=', 'r.name')
          .as('manifest_count'),
        eb
          .selectFrom('manifests as m')
          .select((s) => s.fn.max(KyselyPropertiesIndex.manifestTime('m')).as('t'))
          .whereRef('m.registry', '=', 'r.registry')
          .whereRef('m.repository', '=', 'r.name')
          .as('manifest_time'),
        eb
          .selectFrom('tags as t')
          .select((s) => s.fn.countAll<number | string>().as('n'))
          .whereRef('t.registry', '=', 'r.registry')
          .whereRef('t.repository', '=', 'r.name')
          .as('tag_count'),
        eb
          .selectFrom('tags as t')
          .select((s) => s.fn.max('t.updated_at').as('t'))
          .whereRef('t.registry', '=', 'r.registry')
          .whereRef('t.repository', '=', 'r.name')
          .as('tag_time'),
      ])
      .where('r.registry', '=', ref.registry)
      .where('r.name', '=', ref.repository)
      .executeTakeFirst();
    if (!row || Number(row.manifest_count ?? 0) === 0) return undefined;
    return {
      name: ref.repository,
      createdTime: row.created_at,
      lastUpdateTime: latest(row.created_at, row.updated_at, row.manifest_time as string | null, row.tag_time as string | null),
      manifestCount: Number(row.manifest_count),
      tagCount: Number(row.tag_count ?? 0),
      changeableAttributes: attributesOf(row),
    };
  }

  async updateRepository(ref: RepositoryRef, change: Partial<ChangeableAttributes>): Promise<RepositoryProperties | undefined> {
    if (!(await this.known(ref))) return undefined;
    const set = changeOf(change);
    if (Object.keys(set).length === 0) return this.repository(ref);
    await this.db.updateTable('repositories').set(set).where('registry', '=', ref.registry).where('name', '=', ref.repository).execute();
    return this.repository(ref);
  }

  /** Refuses with LockedContent, deleting nothing, when anything in the repository is locked. */
  async deleteRepository(ref: RepositoryRef): Promise<{ manifestsDeleted: string[]; tagsDeleted: string[] } | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const manifests = await trx
        .selectFrom('manifests')
        .select('digest')
        .where('registry', '=', ref.registry)
        .where('repository', '=', ref.repository)
        .orderBy(this.binary('digest'))
        .execute();
      if (manifests.length === 0) return undefined;
      const repository = await trx
        .selectFrom('repositories')
        .select(['write_enabled', 'delete_enabled'])
        .where('registry', '=', ref.registry)
        .where('name', '=', ref.repository)
        .executeTakeFirst();
      if (repository) LockedContent.check('repository', ref.repository, repository);
      // Any locked tag or manifest refuses the whole delete (ACR's "lock an image").
      for (const [table, key, kind] of [
        ['tags', 'name', 'tag'],
        ['manifests', 'digest', 'manifest'],
      ] as const) {
        const { rows } = await sql<{ key: string; write_enabled: number; delete_enabled: number }>`
          select ${sql.ref(key)} as key, write_enabled, delete_enabled from ${sql.table(table)}
          where registry = ${ref.registry} and repository = ${ref.repository} and (write_enabled = 0 or delete_enabled = 0)
          order by ${this.binary(key)} limit 1`.execute(trx);
        if (rows[0]) LockedContent.check(kind, rows[0].key, rows[0]);
      }
      const tags = await trx
        .selectFrom('tags')
        .select('name')
        .where('registry', '=', ref.registry)
        .where('repository', '=', ref.repository)
        .orderBy(this.binary('name'))
        .execute();
      for (const table of ['tags', 'manifest_references', 'manifests', 'repository_blobs'] as const) {
        await trx.deleteFrom(table).where('registry', '=', ref.registry).where('repository', '=', ref.repository).execute();
      }
      // The attributes go with the repository: a later push starts from the defaults.
      await trx.deleteFrom('repositories').where('registry', '=', ref.registry).where('name', '=', ref.repository).execute();
      return { manifestsDeleted: manifests.map((m) => m.digest), tagsDeleted: tags.map((t) => t.name) };
    });
  }

  private tagQuery(ref: RepositoryRef) {
    return this.db
      .selectFrom('tags as t')
      .select(['t.name', 't.digest', 't.created_at', 't.updated_at', ...ATTRIBUTE_COLUMNS.map((c) => `t.${c}` as const)])
      .where('t.registry', '=', ref.registry)
      .where('t.repository', '=', ref.repository);
  }

  private static toTag(row: { name: string; digest: string; created_at: string; updated_at: string } & AttributeColumns): TagProperties {
    return {
      name: row.name,
      digest: row.digest,
      createdTime: row.created_at || row.updated_at,
      lastUpdateTime: row.updated_at || row.created_at,
      changeableAttributes: attributesOf(row),
    };
  }

  async tags(ref: RepositoryRef, page: Page & { orderby?: PropertyOrder; digest?: string }): Promise<TagProperties[] | undefined> {
    let query = this.tagQuery(ref).where('t.list_enabled', '=', 1).limit(pageSize(page));
    if (page.digest !== undefined) query = query.where('t.digest', '=', page.digest);
    const order = page.orderby ?? 'none';
    if (order === 'none') {
      query = query.orderBy(this.binary('t.name'));
      if (page.last !== undefined) query = query.where(this.binary('t.name'), '>', page.last);
    } else {
      const direction = order === 'timeasc' ? 'asc' : 'desc';
      query = query.orderBy('t.updated_at', direction).orderBy(this.binary('t.name'), direction);
      if (page.last !== undefined) {
        const position = await this.db
          .selectFrom('tags')
          .select('updated_at')
          .where('registry', '=', ref.registry)
          .where('repository', '=', ref.repository)
          .where('name', '=', page.last)
          .executeTakeFirst();
        if (!position) return (await this.known(ref)) ? [] : undefined;
        const last = page.last;
        const after = direction === 'asc' ? '>' : '<';
        query = query.where((eb) =>
          eb.or([
            eb('t.updated_at', after, position.updated_at),
            eb.and([eb('t.updated_at', '=', position.updated_at), eb(this.binary('t.name'), after, last)]),
          ]),
        );
      }
    }
    const rows = await query.execute();
    if (rows.length === 0 && !(await this.known(ref))) return undefined;
    return rows.map(KyselyPropertiesIndex.toTag);
  }

  async tag(ref: RepositoryRef, name: string): Promise<TagProperties | undefined> {
    const row = await this.tagQuery(ref).where('t.name', '=', name).executeTakeFirst();
    return row && KyselyPropertiesIndex.toTag(row);
  }

  async updateTag(ref: RepositoryRef, name: string, change: Partial<ChangeableAttributes>): Promise<TagProperties | undefined> {
    const set = changeOf(change);
    if (Object.keys(set).length === 0) return this.tag(ref, name);
    const result = await this.db
      .updateTable('tags')
      .set(set)
      .where('registry', '=', ref.registry)
      .where('repository', '=', ref.repository)
      .where('name', '=', name)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return undefined;
    return this.tag(ref, name);
  }

  private manifestQuery(ref: RepositoryRef) {
    return this.db
      .selectFrom('manifests as m')
      .select(['m.digest', 'm.media_type', 'm.size', 'm.content', 'm.created_at', ...ATTRIBUTE_COLUMNS.map((c) => `m.${c}` as const)])
      .select(KyselyPropertiesIndex.manifestTime('m').as('last_update'))
      .where('m.registry', '=', ref.registry)
      .where('m.repository', '=', ref.repository);
  }

  /** The tags of some manifests, in byte order, grouped by digest. */
  private async tagsOf(ref: RepositoryRef, digests: string[]): Promise<Map<string, string[]>> {
    const byDigest = new Map<string, string[]>(digests.map((d) => [d, []]));
    if (digests.length === 0) return byDigest;
    const rows = await this.db
      .selectFrom('tags')
      .select(['name', 'digest'])
      .where('registry', '=', ref.registry)
      .where('repository', '=', ref.repository)
      .where('digest', 'in', digests)
      .orderBy(this.binary('name'))
      .execute();
    for (const row of rows) byDigest.get(row.digest)?.push(row.name);
    return byDigest;
  }

  private static toManifest(
    row: { digest: string; media_type: string; size: number | string; content: Uint8Array; created_at: string; last_update: string } & AttributeColumns,
    tags: string[],
  ): ManifestProperties {
    return {
      digest: row.digest,
      mediaType: row.media_type,
      size: Number(row.size),
      createdTime: row.created_at,
      lastUpdateTime: row.last_update,
      tags,
      changeableAttributes: attributesOf(row),
      content: Buffer.from(row.content),
    };
  }

  async manifests(ref: RepositoryRef, page: Page & { orderby?: PropertyOrder }): Promise<ManifestProperties[] | undefined> {
    let query = this.manifestQuery(ref).where('m.list_enabled', '=', 1).limit(pageSize(page));
    const order = page.orderby ?? 'none';
    if (order === 'none') {
      query = query.orderBy(this.binary('m.digest'));
      if (page.last !== undefined) query = query.where(this.binary('m.digest'), '>', page.last);
    } else {
      const direction = order === 'timeasc' ? 'asc' : 'desc';
      const time = KyselyPropertiesIndex.manifestTime('m');
      query = query.orderBy(time, direction).orderBy(this.binary('m.digest'), direction);
      if (page.last !== undefined) {
        const position = await this.db
          .selectFrom('manifests as p')
          .select(KyselyPropertiesIndex.manifestTime('p').as('t'))
          .where('p.registry', '=', ref.registry)
          .where('p.repository', '=', ref.repository)
          .where('p.digest', '=', page.last)
          .executeTakeFirst();
        if (!position) return (await this.known(ref)) ? [] : undefined;
        const last = page.last;
        const after = direction === 'asc' ? '>' : '<';
        query = query.where(
          (eb) => eb.or([eb(time, after, position.t), eb.and([eb(time, '=', position.t), eb(this.binary('m.digest'), after, last)])]) as Expression<SqlBool>,
        );
      }
    }
    const rows = await query.execute();
    if (rows.length === 0 && !(await this.known(ref))) return undefined;
    const tags = await this.tagsOf(
      ref,
      rows.map((r) => r.digest),
    );
    return rows.map((row) => KyselyPropertiesIndex.toManifest(row, tags.get(row.digest) ?? []));
  }

  async manifest(ref: RepositoryRef, digest: string): Promise<ManifestProperties | undefined> {
    const row = await this.manifestQuery(ref).where('m.digest', '=', digest).executeTakeFirst();
    if (!row) return undefined;
    const tags = await this.tagsOf(ref, [digest]);
    return KyselyPropertiesIndex.toManifest(row, tags.get(digest) ?? []);
  }

  async updateManifest(ref: RepositoryRef, digest: string, change: Partial<ChangeableAttributes>): Promise<ManifestProperties | undefined> {
    const set = changeOf(change);
    if (Object.keys(set).length === 0) return this.manifest(ref, digest);
    const result = await this.db
      .updateTable('manifests')
      .set(set)
      .where('registry', '=', ref.registry)
      .where('repository', '=', ref.repository)
      .where('digest', '=', digest)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return undefined;
    return this.manifest(ref, digest);
  }
}

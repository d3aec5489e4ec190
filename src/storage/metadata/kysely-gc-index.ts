/** GcIndex on Kysely: the same queries for SQLite and PostgreSQL. */
import type { ExpressionBuilder, Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';
import type { RepositoryRef } from './refs.js';
import type { BlobLinkCandidate, GcIndex, GraceKept, ManifestCandidate, OrphanBlob } from './gc-index.js';
import { IN_LIST_CHUNK } from './refs.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A blob link (`repository_blobs as rb`) that no manifest of its repository references. */
function notReferencedByManifest({ not, exists, selectFrom }: ExpressionBuilder<Database & { rb: Database['repository_blobs'] }, 'rb'>) {
  return not(
    exists(
      selectFrom('manifest_references as mr')
        .select('mr.digest')
        .whereRef('mr.registry', '=', 'rb.registry')
        .whereRef('mr.repository', '=', 'rb.repository')
        .whereRef('mr.child_digest', '=', 'rb.digest'),
    ),
  );
}

export class KyselyGcIndex implements GcIndex {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: 'sqlite' | 'postgres' = 'sqlite',
  ) {}

  async unreferencedLinks(registry: string, cutoffIso: string, limit: number, after?: { repository: string; digest: string }): Promise<BlobLinkCandidate[]> {
    let query = this.db
      .selectFrom('repository_blobs as rb')
      .innerJoin('blobs as b', 'b.digest', 'rb.digest')
      .select(['rb.repository', 'rb.digest', 'b.size'])
      .where('rb.registry', '=', registry)
      .where('rb.created_at', '<', cutoffIso)
      .where(notReferencedByManifest)
      .orderBy('rb.repository')
      .orderBy('rb.digest')
      .limit(limit);
    if (after) {
      query = query.where((eb) =>
        eb.or([eb('rb.repository', '>', after.repository), eb.and([eb('rb.repository', '=', after.repository), eb('rb.digest', '>', after.digest)])]),
      );
    }
    const rows = await query.execute();
    return rows.map((row) => ({ repository: row.repository, digest: row.digest, size: Number(row.size) }));
  }

  async unlinkIfUnreferenced(ref: RepositoryRef, digest: string): Promise<boolean> {
    if (this.dialect === 'sqlite') return this.unlinkUnreferenced(this.db, ref, digest);
    // PostgreSQL, READ COMMITTED: a manifest put holds the link FOR SHARE until it commits, so
    // take it FOR UPDATE first; the delete's own statement then sees the put's references.
    return this.db.transaction().execute(async (trx) => {
      const link = await trx
        .selectFrom('repository_blobs')
        .select('digest')
        .where('registry', '=', ref.registry)
        .where('repository', '=', ref.repository)
        .where('digest', '=', digest)
        .forUpdate()
        .executeTakeFirst();
      if (!link) return false;
      return this.unlinkUnreferenced(trx, ref, digest);
    });
  }

  private async unlinkUnreferenced(db: Db, ref: RepositoryRef, digest: string): Promise<boolean> {
    const result = await db
      .deleteFrom('repository_blobs')
      .where('registry', '=', ref.registry)
      .where('repository', '=', ref.repository)
      .where('digest', '=', digest)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('manifest_references')
              .select('digest')
              .where('registry', '=', ref.registry)
              .where('repository', '=', ref.repository)
              .where('child_digest', '=', digest),
          ),
        ),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async untaggedManifests(registry: string, cutoffIso: string, limit: number): Promise<ManifestCandidate[]> {
    const rows = await this.candidateManifests(this.db, registry, cutoffIso)
      .select(['m.repository', 'm.digest', 'm.size'])
      .orderBy('m.repository')
      .orderBy('m.digest')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ repository: row.repository, digest: row.digest, size: Number(row.size) }));
  }

  async deleteIfUntagged(ref: RepositoryRef, digest: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const still = await this.candidateManifests(trx, ref.registry, '9999')
        .select('m.digest')
        .where('m.repository', '=', ref.repository)
        .where('m.digest', '=', digest)
        .executeTakeFirst();
      if (!still) return false;
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

  private candidateManifests(db: Db, registry: string, cutoffIso: string) {
    return (
      db
        .selectFrom('manifests as m')
        .where('m.registry', '=', registry)
        .where('m.created_at', '<', cutoffIso)
        // Locked content stays, as ACR's purge skips it: a manifest or repository with
        // writeEnabled or deleteEnabled false is never collected.
        .where('m.write_enabled', '=', 1)
        .where('m.delete_enabled', '=', 1)
        .where(({ not, exists, selectFrom, or, eb }) =>
          eb.and([
            not(
              exists(
                selectFrom('repositories as r')
                  .select('r.name')
                  .whereRef('r.registry', '=', 'm.registry')
                  .whereRef('r.name', '=', 'm.repository')
                  .where((w) => w.or([w('r.write_enabled', '=', 0), w('r.delete_enabled', '=', 0)])),
              ),
            ),
            not(
              exists(
                selectFrom('tags as t')
                  .select('t.name')
                  .whereRef('t.registry', '=', 'm.registry')
                  .whereRef('t.repository', '=', 'm.repository')
                  .whereRef('t.digest', '=', 'm.digest'),
              ),
            ),
            not(
              exists(
                selectFrom('manifest_references as mr')
                  .select('mr.digest')
                  .whereRef('mr.registry', '=', 'm.registry')
                  .whereRef('mr.repository', '=', 'm.repository')
                  .whereRef('mr.child_digest', '=', 'm.digest'),
              ),
            ),
            // A referrer (signature, SBOM) belongs to its subject while the subject exists.
            or([
              eb('m.subject', 'is', null),
              not(
                exists(
                  selectFrom('manifests as s')
                    .select('s.digest')
                    .whereRef('s.registry', '=', 'm.registry')
                    .whereRef('s.repository', '=', 'm.repository')
                    .whereRef('s.digest', '=', 'm.subject'),
                ),
              ),
            ]),
          ]),
        )
    );
  }

  async orphanBlobs(cutoffIso: string, limit: number, afterDigest?: string): Promise<OrphanBlob[]> {
    let query = this.db
      .selectFrom('blobs as b')
      .select(['b.digest', 'b.size'])
      .where('b.created_at', '<', cutoffIso)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('repository_blobs as rb').select('rb.digest').whereRef('rb.digest', '=', 'b.digest'))))
      .orderBy('b.digest')
      .limit(limit);
    if (afterDigest !== undefined) query = query.where('b.digest', '>', afterDigest);
    const rows = await query.execute();
    return rows.map((row) => ({ digest: row.digest, size: Number(row.size) }));
  }

  async keptByGrace(registry: string, cutoffIso: string): Promise<GraceKept> {
    const links = await this.db
      .selectFrom('repository_blobs as rb')
      .select(['rb.digest', 'rb.created_at'])
      .where('rb.registry', '=', registry)
      .where('rb.created_at', '>=', cutoffIso)
      .where(notReferencedByManifest)
      .execute();
    const orphans = await this.db
      .selectFrom('blobs as b')
      .select(['b.digest', 'b.created_at'])
      .where('b.created_at', '>=', cutoffIso)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('repository_blobs as rb').select('rb.digest').whereRef('rb.digest', '=', 'b.digest'))))
      .execute();
    const digests = new Set<string>();
    let newestIso: string | null = null;
    for (const row of [...links, ...orphans]) {
      digests.add(row.digest);
      if (newestIso === null || row.created_at > newestIso) newestIso = row.created_at;
    }
    return { blobs: digests.size, newestIso };
  }

  async forgetIfOrphan(digest: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('blobs')
      .where('digest', '=', digest)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('repository_blobs').select('digest').where('digest', '=', digest))))
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async linkCount(digest: string): Promise<number> {
    const row = await this.db
      .selectFrom('repository_blobs')
      .select((eb) => eb.fn.countAll<number | string>().as('links'))
      .where('digest', '=', digest)
      .executeTakeFirstOrThrow();
    return Number(row.links);
  }

  async recordedBlobs(digests: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < digests.length; i += IN_LIST_CHUNK) {
      const rows = await this.db
        .selectFrom('blobs')
        .select('digest')
        .where('digest', 'in', digests.slice(i, i + IN_LIST_CHUNK))
        .execute();
      for (const row of rows) found.add(row.digest);
    }
    return found;
  }

  async registryBlobs(registry: string, limit: number, afterDigest?: string): Promise<OrphanBlob[]> {
    let query = this.db
      .selectFrom('blobs as b')
      .select(['b.digest', 'b.size'])
      .where(({ exists, selectFrom }) =>
        exists(selectFrom('repository_blobs as rb').select('rb.digest').whereRef('rb.digest', '=', 'b.digest').where('rb.registry', '=', registry)),
      )
      .orderBy('b.digest')
      .limit(limit);
    if (afterDigest !== undefined) query = query.where('b.digest', '>', afterDigest);
    const rows = await query.execute();
    return rows.map((row) => ({ digest: row.digest, size: Number(row.size) }));
  }
}

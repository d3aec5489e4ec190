/**
 * Schema migrations, one list for every dialect. Kysely's Migrator keeps track of what ran
 * (in kysely_migration) and takes a lock, so several nodes starting at once on one
 * PostgreSQL apply each migration exactly once.
 */
import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

function migrationsFor(dialect: Dialect): Record<string, Migration> {
  const bytes = dialect === 'postgres' ? sql`bytea` : sql`blob`;
  return {
    '0001_core': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('registries')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('login_server', 'text', (c) => c.unique())
          .addColumn('deletes_enabled', 'integer', (c) => c.notNull().defaultTo(1))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('repositories')
          .addColumn('registry', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('repositories_pk', ['registry', 'name'])
          .execute();
        await db.schema
          .createTable('blobs')
          .addColumn('digest', 'text', (c) => c.primaryKey())
          .addColumn('size', 'bigint', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('repository_blobs')
          .addColumn('registry', 'text', (c) => c.notNull())
          .addColumn('repository', 'text', (c) => c.notNull())
          .addColumn('digest', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('repository_blobs_pk', ['registry', 'repository', 'digest'])
          .execute();
        await db.schema.createIndex('repository_blobs_digest').on('repository_blobs').column('digest').execute();
        await db.schema
          .createTable('manifests')
          .addColumn('registry', 'text', (c) => c.notNull())
          .addColumn('repository', 'text', (c) => c.notNull())
          .addColumn('digest', 'text', (c) => c.notNull())
          .addColumn('media_type', 'text', (c) => c.notNull())
          .addColumn('size', 'bigint', (c) => c.notNull())
          .addColumn('content', bytes, (c) => c.notNull())
          .addColumn('subject', 'text')
          .addColumn('artifact_type', 'text')
          .addColumn('annotations', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('manifests_pk', ['registry', 'repository', 'digest'])
          .execute();
        await db.schema
          .createIndex('manifests_subject')
          .on('manifests')
          .columns(['registry', 'repository', 'subject'])
          .execute();
        await db.schema
          .createTable('manifest_references')
          .addColumn('registry', 'text', (c) => c.notNull())
          .addColumn('repository', 'text', (c) => c.notNull())
          .addColumn('digest', 'text', (c) => c.notNull())
          .addColumn('child_digest', 'text', (c) => c.notNull())
          .addColumn('child_kind', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('manifest_references_pk', ['registry', 'repository', 'digest', 'child_digest'])
          .execute();
        await db.schema
          .createIndex('manifest_references_child')
          .on('manifest_references')
          .columns(['registry', 'repository', 'child_digest'])
          .execute();
        await db.schema
          .createTable('tags')
          .addColumn('registry', 'text', (c) => c.notNull())
          .addColumn('repository', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('digest', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('tags_pk', ['registry', 'repository', 'name'])
          .execute();
        await db.schema
          .createIndex('tags_digest')
          .on('tags')
          .columns(['registry', 'repository', 'digest'])
          .execute();
        await db.schema
          .createTable('uploads')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('registry', 'text', (c) => c.notNull())
          .addColumn('repository', 'text', (c) => c.notNull())
          .addColumn('size', 'bigint', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
      },
    },
  };
}

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return { getMigrations: async () => migrationsFor(dialect) };
}

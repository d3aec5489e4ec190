/** Opens the configured metadata store and brings its schema up to date. */
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type SqliteDatabase } from 'kysely';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { KyselyMetadataStore } from './kysely-store.js';
import { knownMigrations, migrationProvider } from './migrations.js';
import { recordApplied, refuseNewerData } from './schema-versions.js';
import type { Database } from './schema.js';
import type { MetadataStore } from './store.js';

type MetadataConfig = { driver: 'sqlite'; path: string } | { driver: 'postgres'; url: string; poolSize?: number };

export async function openMetadataStore(config: MetadataConfig): Promise<MetadataStore> {
  const sqlite = config.driver === 'sqlite' ? openSqlite(config.path) : undefined;
  const db =
    config.driver === 'sqlite'
      ? new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite!) }) })
      : new Kysely<Database>({
          dialect: new PostgresDialect({
            pool: new pg.Pool({ connectionString: config.url, max: config.poolSize ?? 10 }),
          }),
        });
  try {
    await refuseNewerData(db as Kysely<unknown>, knownMigrations(config.driver));
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const migrator = new Migrator({ db, provider: migrationProvider(config.driver) });
  const { error, results } = await migrator.migrateToLatest();
  if (!error)
    await recordApplied(
      db as Kysely<unknown>,
      (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName),
    );
  if (error) {
    await db.destroy();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`metadata store migration ${failed ?? ''} failed: ${(error as Error).message ?? String(error)}`);
  }
  return new KyselyMetadataStore(db, config.driver, sqlite);
}

function openSqlite(path: string): SQLite.Database {
  const database = new SQLite(path);
  // One process owns the database (the manifest cache relies on it): a second server on the
  // same data directory fails at start instead of serving stale reads.
  database.pragma('locking_mode = EXCLUSIVE');
  database.pragma('busy_timeout = 1000');
  try {
    database.pragma('journal_mode = WAL');
    // Take the exclusive lock now (it is then held until close), not at the first write.
    database.exec('BEGIN EXCLUSIVE; COMMIT;');
  } catch (error) {
    database.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') {
      throw new Error(`${path} is in use by another process (is another Wharf running on this data directory?)`);
    }
    throw error;
  }
  // FULL makes every commit durable before it is acknowledged.
  database.pragma('synchronous = FULL');
  return database;
}

const MAX_CACHED_STATEMENTS = 512;

/**
 * Kysely prepares every query anew; the same few dozen SQL texts come back on every request, so
 * their prepared statements are kept (SQLite re-prepares one itself if the schema changes).
 */
function withStatementCache(database: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  // SQLite rolls a transaction back itself on some errors (SQLITE_FULL, SQLITE_IOERR…); Kysely's
  // ROLLBACK would then fail with "cannot rollback - no transaction is active" and hide the real
  // cause. Only a transaction still open is rolled back.
  const rollback = database.prepare('rollback');
  const rollbackIfOpen = {
    reader: false,
    run: () => (database.inTransaction ? rollback.run() : { changes: 0, lastInsertRowid: 0 }),
  } as unknown as SQLite.Statement;
  return {
    prepare(sql: string) {
      if (sql === 'rollback') return rollbackIfOpen;
      let statement = statements.get(sql);
      if (!statement) {
        if (statements.size >= MAX_CACHED_STATEMENTS) statements.clear();
        statement = database.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
    close: () => database.close(),
  };
}

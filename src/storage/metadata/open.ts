/** Opens the configured metadata store and brings its schema up to date. */
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { KyselyMetadataStore } from './kysely-store.js';
import { migrationProvider } from './migrations.js';
import type { Database } from './schema.js';
import type { MetadataStore } from './store.js';

export type MetadataConfig =
  | { driver: 'sqlite'; path: string }
  | { driver: 'postgres'; url: string; poolSize?: number };

export async function openMetadataStore(config: MetadataConfig): Promise<MetadataStore> {
  const db =
    config.driver === 'sqlite'
      ? new Kysely<Database>({ dialect: new SqliteDialect({ database: openSqlite(config.path) }) })
      : new Kysely<Database>({
          dialect: new PostgresDialect({
            pool: new pg.Pool({ connectionString: config.url, max: config.poolSize ?? 10 }),
          }),
        });
  const migrator = new Migrator({ db, provider: migrationProvider(config.driver) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    await db.destroy();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`metadata store migration ${failed ?? ''} failed: ${(error as Error).message ?? String(error)}`);
  }
  return new KyselyMetadataStore(db, config.driver);
}

function openSqlite(path: string): SQLite.Database {
  const database = new SQLite(path);
  // WAL lets readers run beside the writer; FULL makes every commit durable before it is acknowledged.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma('busy_timeout = 5000');
  return database;
}

/**
 * Which Wharf applied each schema migration (table wharf_migration_versions), so that an older
 * Wharf started on data a newer one upgraded can say so, naming the version, instead of
 * Kysely's "corrupted migrations: previously executed migration … is missing".
 */
import { sql, type Kysely } from 'kysely';
import { languageOf } from '../../i18n/index.js';
import { localize } from '../../i18n/localized.js';
import { WHARF_VERSION } from '../../kernel/version.js';
import { metadataMessages } from './metadata-messages.js';

/** The store holds migrations this code does not have: a newer Wharf wrote it. */
class NewerDataError extends Error {
  constructor(
    readonly migrations: string[],
    readonly version: string | undefined,
  ) {
    const values = { migrations: migrations.join(', '), current: WHARF_VERSION, ...(version ? { version } : {}) };
    // Said to whoever started the server, in the language of their locale.
    super(localize(metadataMessages, version ? 'newerData' : 'newerDataUnknownVersion', values).in(languageOf(undefined)));
    this.name = 'NewerDataError';
  }
}

/** Throws NewerDataError when kysely_migration names a migration that `known` lacks. */
export async function refuseNewerData(db: Kysely<unknown>, known: string[]): Promise<void> {
  let executed: string[];
  try {
    executed = (await sql<{ name: string }>`select name from kysely_migration`.execute(db)).rows.map((row) => row.name);
  } catch {
    return; // A new store: nothing ran yet.
  }
  const unknown = executed.filter((name) => !known.includes(name)).sort();
  if (unknown.length === 0) return;
  let version: string | undefined;
  try {
    const rows = (await sql<{ name: string; wharf_version: string }>`select name, wharf_version from wharf_migration_versions`.execute(db)).rows;
    // The newest migration's writer is the newest Wharf that touched the data.
    version = rows
      .filter((row) => unknown.includes(row.name))
      .sort((a, b) => a.name.localeCompare(b.name))
      .at(-1)?.wharf_version;
  } catch {
    version = undefined;
  }
  throw new NewerDataError(unknown, version);
}

/** Records this Wharf as the writer of the migrations it just applied. */
export async function recordApplied(db: Kysely<unknown>, names: string[]): Promise<void> {
  const now = new Date().toISOString();
  for (const name of names) {
    await sql`insert into wharf_migration_versions (name, wharf_version, applied_at) values (${name}, ${WHARF_VERSION}, ${now})`.execute(db);
  }
}

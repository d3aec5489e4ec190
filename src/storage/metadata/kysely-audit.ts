/**
 * The audit trail on Kysely: ACR's ContainerRegistryLoginEvents and
 * ContainerRegistryRepositoryEvents as two append-only tables, queried newest first.
 */
import { sql, type ExpressionBuilder, type Kysely, type Selectable } from 'kysely';
import type SQLite from 'better-sqlite3';
import type { Database } from './schema.js';
import type { AuditCountUpdate, AuditFilter, AuditIndex, LoginEvent, RepositoryEvent } from './access-records.js';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 10_000;
/** Bound variables per INSERT: below SQLite's historical limit of 999 whatever its build. */
const MAX_VARIABLES = 900;

type LoginRow = Selectable<Database['login_events']>;
type RepositoryRow = Selectable<Database['repository_events']>;
type EventTable = 'login_events' | 'repository_events';

export class KyselyAuditIndex implements AuditIndex {
  private readonly sqliteAppend: ((logins: LoginEvent[], repository: RepositoryEvent[], counts: AuditCountUpdate[]) => void) | undefined;

  /**
   * `sqlite`, when given, is the connection under `db`: appends then run as prepared statements
   * in one transaction, measured at several times the speed of building each batch's INSERT,
   * which matters because every pull is an event.
   */
  constructor(
    private readonly db: Kysely<Database>,
    sqlite?: SQLite.Database,
  ) {
    this.sqliteAppend = sqlite && preparedAppend(sqlite);
  }

  async append(events: { logins: LoginEvent[]; repository: RepositoryEvent[]; counts?: AuditCountUpdate[] }): Promise<void> {
    const counts = events.counts ?? [];
    if (events.logins.length === 0 && events.repository.length === 0 && counts.length === 0) return;
    const fast = this.sqliteAppend;
    if (fast) {
      // Holding Kysely's connection keeps the transaction clear of any other statement.
      await this.db.connection().execute(async () => fast(events.logins, events.repository, counts));
      return;
    }
    const logins = events.logins.map(loginRow);
    const repository = events.repository.map(repositoryRow);
    await this.db.transaction().execute(async (trx) => {
      for (const chunk of chunks(logins)) await trx.insertInto('login_events').values(chunk).execute();
      for (const chunk of chunks(repository)) await trx.insertInto('repository_events').values(chunk).execute();
      for (const update of counts) {
        await trx
          .updateTable(TABLES[update.category])
          .set({
            event_count: update.count,
            reason: update.reason,
            ...(update.reasonKey !== undefined ? { reason_key: update.reasonKey, reason_values: update.reasonValues ?? null } : {}),
          })
          .where('correlation_id', '=', update.correlationId)
          .execute();
      }
    });
  }

  /** Login events have no repository: a `repository` filter does not apply to them. */
  async logins(filter: AuditFilter): Promise<LoginEvent[]> {
    const rows = await this.db
      .selectFrom('login_events')
      .selectAll()
      .where((eb) => eb.and(conditions(eb, filter)))
      .orderBy('time_generated', 'desc')
      .orderBy('id', 'desc')
      .limit(limitOf(filter))
      .execute();
    return rows.map(toLoginEvent);
  }

  async repositoryEvents(filter: AuditFilter): Promise<RepositoryEvent[]> {
    const rows = await this.db
      .selectFrom('repository_events')
      .selectAll()
      .where((eb) => {
        const all = conditions(eb, filter);
        if (filter.repository !== undefined) all.push(eb('repository', '=', filter.repository));
        return eb.and(all);
      })
      .orderBy('time_generated', 'desc')
      .orderBy('id', 'desc')
      .limit(limitOf(filter))
      .execute();
    return rows.map(toRepositoryEvent);
  }

  async purgeBefore(iso: string): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      let deleted = 0;
      for (const table of ['login_events', 'repository_events'] as const) {
        const result = await trx.deleteFrom(table).where('time_generated', '<', iso).executeTakeFirst();
        deleted += Number(result.numDeletedRows);
      }
      return deleted;
    });
  }

  async trimFailures(keep: number): Promise<number> {
    let deleted = 0;
    for (const table of ['login_events', 'repository_events'] as const) {
      // The id of the newest failure beyond `keep`; it and every older failure go.
      const cut = await this.db
        .selectFrom(table)
        .select('id')
        .where('result_type', '!=', 'Succeeded')
        .orderBy('id', 'desc')
        .limit(1)
        .offset(Math.max(0, Math.floor(keep)))
        .executeTakeFirst();
      if (!cut) continue;
      const result = await this.db.deleteFrom(table).where('result_type', '!=', 'Succeeded').where('id', '<=', cut.id).executeTakeFirst();
      deleted += Number(result.numDeletedRows);
    }
    return deleted;
  }
}

const TABLES = { login: 'login_events', repository: 'repository_events' } as const;

function limitOf(filter: AuditFilter): number {
  const wanted = filter.limit === undefined || !Number.isFinite(filter.limit) ? DEFAULT_LIMIT : Math.floor(filter.limit);
  return Math.min(Math.max(wanted, 0), MAX_LIMIT);
}

/** The filter columns both tables share. */
function conditions<T extends EventTable>(eb: ExpressionBuilder<Database, T>, filter: AuditFilter) {
  // Narrowed to the columns both tables have; Kysely cannot see that through the generic.
  const e = eb as unknown as ExpressionBuilder<Database, 'login_events'>;
  const all = [];
  if (filter.registry !== undefined) all.push(e('registry', '=', filter.registry));
  if (filter.failuresOnly) all.push(e('result_type', '!=', 'Succeeded'));
  if (filter.identity !== undefined) all.push(e('identity', '=', filter.identity));
  if (filter.callerIpAddress !== undefined) all.push(e('caller_ip', '=', filter.callerIpAddress));
  if (filter.correlationId !== undefined) all.push(e('correlation_id', '=', filter.correlationId));
  if (filter.from !== undefined) all.push(e('time_generated', '>=', filter.from));
  if (filter.to !== undefined) all.push(e('time_generated', '<', filter.to));
  if (filter.operationName !== undefined && filter.operationName !== '') {
    // "contains", case-insensitive, as KQL's `contains`; the needle's own % _ \ match literally.
    const pattern = `%${filter.operationName.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    all.push(e(sql`lower(operation_name)`, 'like', sql<string>`${pattern} escape '\\'`));
  }
  return all;
}

const LOGIN_COLUMNS = Object.keys(loginRow({} as LoginEvent));
const REPOSITORY_COLUMNS = Object.keys(repositoryRow({} as RepositoryEvent));

/**
 * One transaction of prepared INSERTs, bound positionally straight from the events: no row
 * objects, no SQL text per batch (the allocation was most of an event's cost).
 */
function preparedAppend(sqlite: SQLite.Database): (logins: LoginEvent[], repository: RepositoryEvent[], counts: AuditCountUpdate[]) => void {
  const insert = (table: EventTable, columns: string[]) =>
    sqlite.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`);
  const login = insert('login_events', LOGIN_COLUMNS);
  const repository = insert('repository_events', REPOSITORY_COLUMNS);
  const update = (table: EventTable) =>
    sqlite.prepare(
      `update ${table} set event_count = ?, reason = ?, reason_key = coalesce(?, reason_key), reason_values = coalesce(?, reason_values) where correlation_id = ?`,
    );
  const updates = { login: update('login_events'), repository: update('repository_events') };
  return sqlite.transaction((logins: LoginEvent[], repositories: RepositoryEvent[], counts: AuditCountUpdate[]) => {
    for (const e of logins) {
      login.run(
        e.timeGenerated,
        e.registry,
        e.loginServer,
        e.callerIpAddress,
        e.correlationId,
        Math.round(e.durationMs),
        e.identity,
        e.identityType,
        e.jwtId ?? null,
        e.operationName,
        e.resultType,
        e.resultDescription,
        e.reason,
        e.userAgent,
        e.tenantId ?? null,
        e.region,
        e.listener ?? null,
        e.count ?? 1,
        e.reasonKey ?? null,
        e.reasonValues ?? null,
      );
    }
    for (const e of repositories) {
      repository.run(
        e.timeGenerated,
        e.registry,
        e.loginServer,
        e.callerIpAddress,
        e.correlationId,
        Math.round(e.durationMs),
        e.identity,
        e.identityType,
        e.operationName,
        e.repository,
        e.tag ?? null,
        e.digest ?? null,
        e.mediaType ?? null,
        e.artifactType ?? null,
        e.size ?? null,
        e.resultType,
        e.resultDescription,
        e.reason,
        e.userAgent,
        e.userTenantId ?? null,
        e.region,
        e.listener ?? null,
        e.count ?? 1,
        e.reasonKey ?? null,
        e.reasonValues ?? null,
      );
    }
    for (const c of counts) updates[c.category].run(c.count, c.reason, c.reasonKey ?? null, c.reasonValues ?? null, c.correlationId);
  });
}

function* chunks<Row extends object>(rows: Row[]): Generator<Row[]> {
  if (rows.length === 0) return;
  const perRow = Object.keys(rows[0]!).length;
  const size = Math.max(1, Math.floor(MAX_VARIABLES / perRow));
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

function loginRow(event: LoginEvent) {
  return {
    time_generated: event.timeGenerated,
    registry: event.registry,
    login_server: event.loginServer,
    caller_ip: event.callerIpAddress,
    correlation_id: event.correlationId,
    duration_ms: Math.round(event.durationMs),
    identity: event.identity,
    identity_type: event.identityType,
    jwt_id: event.jwtId,
    operation_name: event.operationName,
    result_type: event.resultType,
    result_description: event.resultDescription,
    reason: event.reason,
    user_agent: event.userAgent,
    tenant_id: event.tenantId,
    region: event.region,
    listener: event.listener ?? null,
    event_count: event.count ?? 1,
    reason_key: event.reasonKey ?? null,
    reason_values: event.reasonValues ?? null,
  };
}

function repositoryRow(event: RepositoryEvent) {
  return {
    time_generated: event.timeGenerated,
    registry: event.registry,
    login_server: event.loginServer,
    caller_ip: event.callerIpAddress,
    correlation_id: event.correlationId,
    duration_ms: Math.round(event.durationMs),
    identity: event.identity,
    identity_type: event.identityType,
    operation_name: event.operationName,
    repository: event.repository,
    tag: event.tag,
    digest: event.digest,
    media_type: event.mediaType,
    artifact_type: event.artifactType,
    size: event.size,
    result_type: event.resultType,
    result_description: event.resultDescription,
    reason: event.reason,
    user_agent: event.userAgent,
    user_tenant_id: event.userTenantId,
    region: event.region,
    listener: event.listener ?? null,
    event_count: event.count ?? 1,
    reason_key: event.reasonKey ?? null,
    reason_values: event.reasonValues ?? null,
  };
}

function toLoginEvent(row: LoginRow): LoginEvent {
  return {
    timeGenerated: row.time_generated,
    registry: row.registry,
    loginServer: row.login_server,
    callerIpAddress: row.caller_ip,
    correlationId: row.correlation_id,
    durationMs: Number(row.duration_ms),
    identity: row.identity,
    identityType: row.identity_type,
    jwtId: row.jwt_id,
    operationName: row.operation_name,
    resultType: row.result_type,
    resultDescription: row.result_description,
    reason: row.reason,
    userAgent: row.user_agent,
    tenantId: row.tenant_id,
    region: row.region,
    ...(row.listener ? { listener: row.listener } : {}),
    ...(Number(row.event_count) > 1 ? { count: Number(row.event_count) } : {}),
    ...(row.reason_key ? { reasonKey: row.reason_key, reasonValues: row.reason_values } : {}),
  };
}

function toRepositoryEvent(row: RepositoryRow): RepositoryEvent {
  return {
    timeGenerated: row.time_generated,
    registry: row.registry,
    loginServer: row.login_server,
    callerIpAddress: row.caller_ip,
    correlationId: row.correlation_id,
    durationMs: Number(row.duration_ms),
    identity: row.identity,
    identityType: row.identity_type,
    operationName: row.operation_name,
    repository: row.repository,
    tag: row.tag,
    digest: row.digest,
    mediaType: row.media_type,
    artifactType: row.artifact_type,
    size: row.size === null ? null : Number(row.size),
    resultType: row.result_type,
    resultDescription: row.result_description,
    reason: row.reason,
    userAgent: row.user_agent,
    userTenantId: row.user_tenant_id,
    region: row.region,
    ...(row.listener ? { listener: row.listener } : {}),
    ...(Number(row.event_count) > 1 ? { count: Number(row.event_count) } : {}),
    ...(row.reason_key ? { reasonKey: row.reason_key, reasonValues: row.reason_values } : {}),
  };
}

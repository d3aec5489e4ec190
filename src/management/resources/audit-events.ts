/**
 * A registry's audit trail through the management API: GET `…/registries/{r}/loginEvents`
 * and `…/registries/{r}/repositoryEvents`, rows with the column names of ACR's
 * ContainerRegistryLoginEvents and ContainerRegistryRepositoryEvents tables, newest first.
 * Query: failuresOnly, identity, callerIpAddress, operationName, correlationId, repository,
 * from, to (ISO times), top. Reading them needs read access to the registry. `Reason` is in the
 * caller's language (Accept-Language) when the row stores its key.
 */
import { AuditQueryError, auditFilterFromQuery, loginRow, repositoryRow } from '../../audit/acr-rows.js';
import { requestLanguage } from '../../kernel/request-language.js';
import type { AuditFilter } from '../../storage/metadata/access-records.js';
import { armErrors, armReason } from '../../kernel/arm-errors.js';
import { addressedRegistry, collection, type ManagementContext, type ManagementResult, type ManagementServices } from '../context.js';
import { onRegistry, RouteSpec } from '../route-table.js';
import { REGISTRY_PATH, registryActions } from './lookup.js';

/** What this module uses of the management plane's services (context.ts): nothing else is in reach. */
type HandlerServices = Pick<ManagementServices, 'store'>;
type HandlerContext = ManagementContext<HandlerServices>;

/** The query as the audit module reads it: a repeated parameter becomes an array (and is refused there). */
function queryRecord(query: URLSearchParams): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const name of new Set(query.keys())) {
    const values = query.getAll(name);
    record[name] = values.length === 1 ? values[0] : values;
  }
  return record;
}

async function filterOf(context: HandlerContext): Promise<AuditFilter> {
  const { registry } = addressedRegistry(context);
  try {
    return auditFilterFromQuery(registry.name, queryRecord(context.query));
  } catch (error) {
    if (error instanceof AuditQueryError) throw armErrors.invalidParameter(error.parameter, armReason('auditQuery', { detail: error.message }));
    throw error;
  }
}

async function loginEvents(context: HandlerContext): Promise<ManagementResult> {
  const filter = await filterOf(context);
  const language = requestLanguage(context.request);
  return collection((await context.services.store.audit.logins(filter)).map((event) => loginRow(event, language)));
}

async function repositoryEvents(context: HandlerContext): Promise<ManagementResult> {
  const filter = await filterOf(context);
  const language = requestLanguage(context.request);
  return collection((await context.services.store.audit.repositoryEvents(filter)).map((event) => repositoryRow(event, language)));
}

export const auditEventRoutes: RouteSpec[] = [
  {
    id: 'registries.loginEvents',
    template: `${REGISTRY_PATH}/loginEvents`,
    methods: {
      GET: { handler: loginEvents, needs: onRegistry('read', registryActions.logsRead) },
    },
  },
  {
    id: 'registries.repositoryEvents',
    template: `${REGISTRY_PATH}/repositoryEvents`,
    methods: {
      GET: { handler: repositoryEvents, needs: onRegistry('read', registryActions.logsRead) },
    },
  },
];

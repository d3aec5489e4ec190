/**
 * Long-running registry actions (importImage, garbageCollect) and the resource that reports
 * their progress. ARM's contract for az and the SDKs is kept: an action completes in its
 * first response (200). A client that wants to watch progress (the wharf CLI) sends
 * `x-wharf-async: true` (or the query parameter `x-wharf-async=true`) and gets 202 with `Azure-AsyncOperation` pointing at
 * `…/registries/{r}/operationStatuses/{id}`, ARM's operation-status shape with
 * `percentComplete` and Wharf's byte and item counts in `properties`.
 */
import { registryResourceId } from '../../access/roles.js';
import { percentComplete, stepText, type OperationKind, type OperationRecord, type ProgressReporter } from '../../domain/operation-tracker.js';
import type { Language } from '../../i18n/index.js';
import { localize, textIn } from '../../i18n/localized.js';
import { operationProgressMessages } from '../../domain/operation-progress-messages.js';
import { requestLanguage } from '../../kernel/request-language.js';
import type { RegistryRecord } from '../../storage/metadata/store.js';
import { ArmError, armErrors, armReason } from '../../kernel/arm-errors.js';
import { addressedRegistry, type ManagementContext, type ManagementResult, ok, type ManagementServices } from '../context.js';
import { onRegistry, RouteSpec } from '../route-table.js';
import { REGISTRY_PATH, REGISTRY_TYPE } from './lookup.js';

/** What this module uses of the management plane's services (context.ts): nothing else is in reach. */
type HandlerServices = Pick<ManagementServices, 'operations'>;
type HandlerContext = ManagementContext<HandlerServices>;

const ASYNC_HEADER = 'x-wharf-async';
/** What a poller should wait between polls, in seconds (ARM's Retry-After). */
const RETRY_AFTER_SECONDS = 1;

function wantsAsync(context: HandlerContext): boolean {
  const header = context.request.headers[ASYNC_HEADER];
  const value = (Array.isArray(header) ? header[0] : header) ?? context.query.get(ASYNC_HEADER);
  return value?.toLowerCase() === 'true';
}

function statusPath(registry: RegistryRecord, id: string): string {
  return `${registryResourceId(registry)}/operationStatuses/${id}`;
}

/** ARM's operation-status body; the step in the poller's language (Accept-Language). */
function statusBody(registry: RegistryRecord, record: OperationRecord, language: Language): Record<string, unknown> {
  return {
    id: statusPath(registry, record.id),
    name: record.id,
    status: record.state,
    startTime: record.startTime,
    ...(record.endTime ? { endTime: record.endTime } : {}),
    percentComplete: percentComplete(record),
    properties: {
      operation: record.kind,
      step: stepText(record.progress.step, language),
      bytesDone: record.progress.bytesDone,
      bytesTotal: record.progress.bytesTotal,
      itemsDone: record.progress.itemsDone,
      itemsTotal: record.progress.itemsTotal,
      ...(record.result ? { result: record.result } : {}),
    },
    ...(record.error ? { error: { code: record.error.code, message: textIn(record.error.message, language) } } : {}),
  };
}

/**
 * Runs `work` as a tracked operation: to the end before answering (200 with `syncBody` of the
 * result), or in the background when the client asked for async (202 + status link).
 */
export async function runOperation<T extends Record<string, unknown>>(
  context: HandlerContext,
  registry: RegistryRecord,
  kind: OperationKind,
  work: (progress: ProgressReporter) => Promise<T>,
  syncBody: (result: T) => unknown,
): Promise<ManagementResult> {
  const { operations } = context.services;
  const { record, reporter } = operations.start(kind, registry.name);
  const done = work(reporter).then(
    (result) => {
      operations.succeed(record, result);
      return result;
    },
    (error: unknown) => {
      const armError = error instanceof ArmError ? error : undefined;
      if (!armError) context.request.log.error({ err: error, operation: record.id }, `${kind} failed`);
      operations.fail(record, {
        code: armError?.code ?? 'InternalServerError',
        message: armError?.text ?? localize(operationProgressMessages, 'failedInternally', { operation: kind, id: String(context.request.id) }),
      });
      throw error;
    },
  );
  if (!wantsAsync(context)) return ok(syncBody(await done));
  done.catch(() => undefined);
  const link = `${context.origin}${statusPath(registry, record.id)}?api-version=${encodeURIComponent(context.query.get('api-version') ?? '')}`;
  return {
    status: 202,
    body: statusBody(registry, record, requestLanguage(context.request)),
    headers: { 'Azure-AsyncOperation': link, 'Retry-After': String(RETRY_AFTER_SECONDS) },
  };
}

async function getOperationStatus(context: HandlerContext): Promise<ManagementResult> {
  const { registry } = addressedRegistry(context);
  const record = context.services.operations.get(context.params.operationId!);
  if (!record || record.registry !== registry.name) {
    throw armErrors.notFound('OperationNotFound', armReason('operationNotFound', { operation: context.params.operationId!, registry: registry.name }));
  }
  return ok(statusBody(registry, record, requestLanguage(context.request)));
}

export const operationStatusRoutes: RouteSpec[] = [
  {
    id: 'registries.operationStatuses',
    template: `${REGISTRY_PATH}/operationStatuses/{operationId}`,
    methods: {
      GET: { handler: getOperationStatus, needs: onRegistry('read', `${REGISTRY_TYPE}/operationStatuses/read`) },
    },
  },
];

/**
 * POST …/registries/{r}/garbageCollect: Wharf's own action (ACR frees storage by itself):
 * deletes what no manifest references, see gc/garbage-collector.ts for exactly
 * what, then removes what a crash left behind in storage (gc/storage-reconciler.ts,
 * with the server's storage.orphanGraceMinutes, not the body's grace period). Body (all optional): `dryRun`, `deleteUntagged`, `gracePeriodMinutes` (default 60;
 * only what is older is deleted, so pushes in progress keep their blobs). Owner or
 * Contributor. One collection per registry at a time.
 */
import { collectGarbage, type GcResult } from '../../gc/garbage-collector.js';
import { reconcileStorage } from '../../gc/storage-reconciler.js';
import { armErrors, armReason } from '../../kernel/arm-errors.js';
import { addressedRegistry, ManagementContext, ManagementResult, type ManagementServices } from '../context.js';
import { optionalBoolean } from '../../kernel/json-body.js';
import { onRegistry, type RouteSpec } from '../route-table.js';
import { REGISTRY_PATH, REGISTRY_TYPE } from './lookup.js';
import { runOperation } from './operation-status.js';

/** What this module uses of the management plane's services (context.ts): nothing else is in reach. */
type HandlerServices = Pick<ManagementServices, 'blobStore' | 'config' | 'operations' | 'store' | 'uploads'>;
type HandlerContext = ManagementContext<HandlerServices>;

const GC_ACTION = `${REGISTRY_TYPE}/garbageCollect/action`;
const DEFAULT_GRACE_MINUTES = 60;
const MAX_GRACE_MINUTES = 60 * 24 * 365;

function graceOf(body: Record<string, unknown>): number {
  const value = body.gracePeriodMinutes;
  if (value === undefined || value === null) return DEFAULT_GRACE_MINUTES;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_GRACE_MINUTES) {
    throw armErrors.invalidParameter('gracePeriodMinutes', armReason('gracePeriodRange', { max: MAX_GRACE_MINUTES }));
  }
  return value;
}

async function garbageCollect(context: HandlerContext): Promise<ManagementResult> {
  const { registry } = addressedRegistry(context);
  const body = await context.body();
  const options = {
    registry: registry.name,
    dryRun: optionalBoolean(body, 'dryRun', 'dryRun') ?? false,
    deleteUntagged: optionalBoolean(body, 'deleteUntagged', 'deleteUntagged') ?? false,
    graceMinutes: graceOf(body),
  };
  const { services, request } = context;
  const release = services.operations.claim('garbageCollect', registry.name);
  if (!release) throw armErrors.conflict('OperationInProgress', armReason('gcRunning', { registry: registry.name }));
  return runOperation<GcResult>(
    context,
    registry,
    'garbageCollect',
    async (progress) => {
      try {
        const storage = { store: services.store, blobStore: services.blobStore, uploads: services.uploads, logger: request.log };
        const reconcile = (dryRun: boolean) =>
          reconcileStorage(storage, {
            orphanGraceMinutes: services.config.storage.orphanGraceMinutes,
            uploadExpiryHours: services.config.uploads.purgeAfterHours,
            dryRun,
          });
        return await collectGarbage({ ...storage, reconcile }, options, progress);
      } finally {
        release();
      }
    },
    (result) => result,
  );
}

export const garbageCollectionRoutes: RouteSpec[] = [
  {
    id: 'registries.garbageCollect',
    template: `${REGISTRY_PATH}/garbageCollect`,
    methods: {
      POST: { handler: garbageCollect, needs: onRegistry('write', GC_ACTION) },
    },
  },
];

/**
 * POST …/registries/{r}/scrub: Wharf's own action. Reads back every blob the registry links
 * and checks it against its digest; files with wrong bytes are quarantined (they then answer
 * 404 and a push of the right bytes stores them again). See gc/blob-scrubber.ts.
 * Body (optional): `dryRun` (report only). Owner or Contributor. One scrub per registry at a time.
 */
import { scrubBlobs, type ScrubResult } from '../../gc/blob-scrubber.js';
import { armErrors, armReason } from '../../kernel/arm-errors.js';
import { addressedRegistry, ManagementContext, ManagementResult, type ManagementServices } from '../context.js';
import { optionalBoolean } from '../../kernel/json-body.js';
import { onRegistry, type RouteSpec } from '../route-table.js';
import { REGISTRY_PATH, REGISTRY_TYPE } from './lookup.js';
import { runOperation } from './operation-status.js';

/** What this module uses of the management plane's services (context.ts): nothing else is in reach. */
type HandlerServices = Pick<ManagementServices, 'blobStore' | 'operations' | 'store'>;
type HandlerContext = ManagementContext<HandlerServices>;

const SCRUB_ACTION = `${REGISTRY_TYPE}/scrub/action`;

async function scrub(context: HandlerContext): Promise<ManagementResult> {
  const { registry } = addressedRegistry(context);
  const body = await context.body();
  const options = { registry: registry.name, dryRun: optionalBoolean(body, 'dryRun', 'dryRun') ?? false };
  const { services, request } = context;
  const release = services.operations.claim('scrub', registry.name);
  if (!release) throw armErrors.conflict('OperationInProgress', armReason('scrubRunning', { registry: registry.name }));
  return runOperation<ScrubResult>(
    context,
    registry,
    'scrub',
    async (progress) => {
      try {
        return await scrubBlobs({ store: services.store, blobStore: services.blobStore, logger: request.log }, options, progress);
      } finally {
        release();
      }
    },
    (result) => result,
  );
}

export const blobScrubRoutes: RouteSpec[] = [
  { id: 'registries.scrub', template: `${REGISTRY_PATH}/scrub`, methods: { POST: { handler: scrub, needs: onRegistry('write', SCRUB_ACTION) } } },
];

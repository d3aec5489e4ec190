/**
 * `…/registries/R/replications[/{name}]`: the regions a Premium registry is served in. The
 * home location is listed as a replication named after it and can't be deleted (as on ACR);
 * each other region gets its own data endpoint (`<registry>.<region>.data.<domain>`). The rules
 * are the replication service's (src/domain/replication-service.ts); these handlers parse the
 * body (zod), call it, and render.
 */
import { z } from 'zod';
import type { ReplicationRecord } from '../../storage/metadata/network-records.js';
import type { RegistryRecord } from '../../storage/metadata/store.js';
import type { ReplicationInput } from '../../domain/replication-service.js';
import { addressedRegistry, collection, created, type ManagementContext, type ManagementResult, ok, type ManagementServices } from '../context.js';
import { armTags, nullable, parseArmBody, requiredText } from '../arm-body.js';
import { onRegistry, type RouteSpec } from '../route-table.js';
import { REGISTRY_PATH, REGISTRY_TYPE } from '../resources/lookup.js';
import { normalizeLocation } from '../resources/registries.js';
import { replicationJson } from './network-views.js';

/** What this module uses of the management plane's services (context.ts): nothing else is in reach. */
type HandlerServices = Pick<ManagementServices, 'replicationService' | 'store'>;
type HandlerContext = ManagementContext<HandlerServices>;

const actions = {
  read: `${REGISTRY_TYPE}/replications/read`,
  write: `${REGISTRY_TYPE}/replications/write`,
  delete: `${REGISTRY_TYPE}/replications/delete`,
};

const replicationProperties = nullable(z.object({ zoneRedundancy: nullable(z.string()), regionEndpointEnabled: nullable(z.boolean()) }));

/** A replication PUT's body. */
const replicationPutBody = z.object({ location: requiredText, tags: nullable(armTags), properties: replicationProperties });

/** A replication PATCH's body: what it names changes. */
const replicationPatchBody = z.object({ tags: nullable(armTags), properties: replicationProperties });

/** The replication as ARM shows it, with its stored tags. */
async function view(context: HandlerContext, registry: RegistryRecord, replication: ReplicationRecord): Promise<Record<string, unknown>> {
  const tags = await context.services.store.network.replicationTags(registry.name);
  return replicationJson(registry, replication, tags.get(replication.name.toLowerCase()) ?? {});
}

async function replicationInput(context: HandlerContext): Promise<ReplicationInput> {
  const body = parseArmBody(replicationPutBody, await context.body());
  const { zoneRedundancy, regionEndpointEnabled } = body.properties ?? {};
  return {
    location: normalizeLocation(body.location),
    tags: body.tags ?? {},
    ...(zoneRedundancy !== undefined ? { zoneRedundancy } : {}),
    ...(regionEndpointEnabled !== undefined ? { regionEndpointEnabled } : {}),
  };
}

async function listReplications(context: HandlerContext): Promise<ManagementResult> {
  const { registry } = addressedRegistry(context);
  const tags = await context.services.store.network.replicationTags(registry.name);
  return collection((await context.services.replicationService.all(registry)).map((r) => replicationJson(registry, r, tags.get(r.name.toLowerCase()) ?? {})));
}

async function getReplication(context: HandlerContext): Promise<ManagementResult> {
  const { registry } = addressedRegistry(context);
  return ok(await view(context, registry, await context.services.replicationService.find(registry, context.params.replicationName!)));
}

async function putReplication(context: HandlerContext): Promise<ManagementResult> {
  const { registry } = addressedRegistry(context);
  const { replication, created: isNew } = await context.services.replicationService.put(registry, context.params.replicationName!, () =>
    replicationInput(context),
  );
  const shown = await view(context, registry, replication);
  return isNew ? created(shown) : ok(shown);
}

async function patchReplication(context: HandlerContext): Promise<ManagementResult> {
  const { registry } = addressedRegistry(context);
  const { replicationService } = context.services;
  const name = context.params.replicationName!;
  // A missing replication answers 404 before its body is looked at.
  await replicationService.find(registry, name);
  const body = parseArmBody(replicationPatchBody, await context.body());
  const regionEndpointEnabled = body.properties?.regionEndpointEnabled;
  const updated = await replicationService.patch(registry, name, {
    ...(body.tags !== undefined ? { tags: body.tags } : {}),
    ...(regionEndpointEnabled !== undefined ? { regionEndpointEnabled } : {}),
  });
  return ok(await view(context, registry, updated));
}

async function deleteReplication(context: HandlerContext): Promise<ManagementResult> {
  const { registry } = addressedRegistry(context);
  return { status: (await context.services.replicationService.delete(registry, context.params.replicationName!)) ? 200 : 204 };
}

export const replicationRoutes: RouteSpec[] = [
  {
    id: 'registries.replications',
    template: `${REGISTRY_PATH}/replications`,
    methods: {
      GET: { handler: listReplications, needs: onRegistry('read', actions.read) },
    },
  },
  {
    id: 'registries.replication',
    template: `${REGISTRY_PATH}/replications/{replicationName}`,
    methods: {
      GET: { handler: getReplication, needs: onRegistry('read', actions.read) },
      PUT: { handler: putReplication, needs: onRegistry('write', actions.write) },
      PATCH: { handler: patchReplication, needs: onRegistry('write', actions.write) },
      DELETE: { handler: deleteReplication, needs: onRegistry('write', actions.delete) },
    },
  },
];

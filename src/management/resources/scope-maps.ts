/**
 * Microsoft.ContainerRegistry/registries/scopeMaps: the system-defined maps every registry
 * has (read-only) and the user-defined ones; list, get, create (PUT), update (PATCH), delete.
 * Actions are checked and kept in ACR's normalized form, `repositories/<repo>/content/read`,
 * by the token service (src/domain/repository-token-service.ts); the handlers parse and render.
 */
import { z } from 'zod';
import { SYSTEM_SCOPE_MAPS, systemScopeMapRecord } from '../../access/scope-maps.js';
import type { ScopeMapRecord } from '../../storage/metadata/access-records.js';
import { ArmError, armErrors } from '../../kernel/arm-errors.js';
import { addressedRegistry, collection, created, type ManagementContext, type ManagementResult, ok, type ManagementServices } from '../context.js';
import { onRegistry, type RouteSpec } from '../route-table.js';
import { REGISTRY_PATH, REGISTRY_TYPE, registryActions } from './lookup.js';
import { nullable, parseArmBody } from '../arm-body.js';

/** What this module uses of the management plane's services (context.ts): nothing else is in reach. */
type HandlerServices = Pick<ManagementServices, 'store' | 'tokenService'>;
type HandlerContext = ManagementContext<HandlerServices>;

const SCOPE_MAP_TYPE = `${REGISTRY_TYPE}/scopeMaps`;

function scopeMapJson(registryId: string, map: ScopeMapRecord, system: boolean): Record<string, unknown> {
  return {
    id: `${registryId}/scopeMaps/${map.name}`,
    name: map.name,
    type: SCOPE_MAP_TYPE,
    systemData: { createdAt: map.createdAt, lastModifiedAt: map.updatedAt },
    properties: {
      description: map.description,
      type: system ? 'SystemDefined' : 'UserDefined',
      creationDate: map.createdAt,
      provisioningState: 'Succeeded',
      actions: map.actions,
    },
  };
}

function notFound(context: HandlerContext, registry: string, name: string): ArmError {
  return armErrors.resourceNotFound(`${REGISTRY_TYPE}/${registry}/scopeMaps`, name, context.params.resourceGroupName!);
}

/** The fields of a scope map a PUT or PATCH sends. */
const scopeMapBody = z
  .object({
    properties: nullable(z.object({ actions: nullable(z.array(z.string())), description: nullable(z.string()) }).loose()),
  })
  .loose();

async function changeOf(context: HandlerContext): Promise<{ actions?: string[]; description?: string }> {
  const properties = parseArmBody(scopeMapBody, await context.body()).properties;
  return {
    ...(properties?.actions !== undefined ? { actions: properties.actions } : {}),
    ...(properties?.description !== undefined ? { description: properties.description } : {}),
  };
}

async function listScopeMaps(context: HandlerContext): Promise<ManagementResult> {
  const { registry, id } = addressedRegistry(context);
  const system = SYSTEM_SCOPE_MAPS.map((m) => scopeMapJson(id, systemScopeMapRecord(registry.name, m, registry.createdAt), true));
  const user = (await context.services.store.scopeMaps.list(registry.name)).map((m) => scopeMapJson(id, m, false));
  return collection([...system, ...user]);
}

async function getScopeMap(context: HandlerContext): Promise<ManagementResult> {
  const { registry, id } = addressedRegistry(context);
  const found = await context.services.tokenService.findScopeMap(registry, context.params.scopeMapName!);
  if (!found) throw notFound(context, registry.name, context.params.scopeMapName!);
  return ok(scopeMapJson(id, found.record, found.system));
}

async function putScopeMap(context: HandlerContext): Promise<ManagementResult> {
  const { registry, id } = addressedRegistry(context);
  const { record, created: isNew } = await context.services.tokenService.replaceScopeMap(registry, context.params.scopeMapName!, async () => {
    const change = await changeOf(context);
    return { ...change, actions: change.actions ?? [] };
  });
  const json = scopeMapJson(id, record, false);
  return isNew ? created(json) : ok(json);
}

async function patchScopeMap(context: HandlerContext): Promise<ManagementResult> {
  const { registry, id } = addressedRegistry(context);
  const name = context.params.scopeMapName!;
  const record = await context.services.tokenService.updateScopeMap(registry, name, () => changeOf(context));
  if (!record) throw notFound(context, registry.name, name);
  return ok(scopeMapJson(id, record, false));
}

async function deleteScopeMap(context: HandlerContext): Promise<ManagementResult> {
  const { registry } = addressedRegistry(context);
  const deleted = await context.services.tokenService.deleteScopeMap(registry, context.params.scopeMapName!);
  return { status: deleted ? 200 : 204 };
}

export const scopeMapRoutes: RouteSpec[] = [
  {
    id: 'scopeMaps.list',
    template: `${REGISTRY_PATH}/scopeMaps`,
    methods: {
      GET: { handler: listScopeMaps, needs: onRegistry('read', registryActions.scopeMapsRead) },
    },
  },
  {
    id: 'scopeMaps.scopeMap',
    template: `${REGISTRY_PATH}/scopeMaps/{scopeMapName}`,
    methods: {
      GET: { handler: getScopeMap, needs: onRegistry('read', registryActions.scopeMapsRead) },
      PUT: { handler: putScopeMap, needs: onRegistry('write', registryActions.scopeMapsWrite) },
      PATCH: { handler: patchScopeMap, needs: onRegistry('write', registryActions.scopeMapsWrite) },
      DELETE: { handler: deleteScopeMap, needs: onRegistry('write', registryActions.scopeMapsDelete) },
    },
  },
];

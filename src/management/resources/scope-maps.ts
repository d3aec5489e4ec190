/**
 * Microsoft.ContainerRegistry/registries/scopeMaps: the system-defined maps every registry
 * has (read-only) and the user-defined ones; list, get, create (PUT), update (PATCH), delete.
 * Actions are checked and kept in ACR's normalized form, `repositories/<repo>/content/read`.
 */
import { parseScopeMapAction, SYSTEM_SCOPE_MAPS, systemScopeMapRecord } from '../../access/scope-maps.js';
import type { ScopeMapRecord } from '../../storage/metadata/access-records.js';
import type { RegistryRecord } from '../../storage/metadata/store.js';
import { ArmError, armErrors, armText } from '../arm-errors.js';
import { collection, created, ok, type ManagementContext, type ManagementResult } from '../context.js';
import { optionalString, optionalStringArray, propertiesOf } from '../json-body.js';
import type { RouteSpec } from '../route-table.js';
import { REGISTRY_PATH, REGISTRY_TYPE, registryActions, requireRegistry } from './lookup.js';
import { SKU_LIMITS } from './sku-limits.js';

export const SCOPE_MAP_TYPE = `${REGISTRY_TYPE}/scopeMaps`;
const SCOPE_MAP_NAME = /^[a-zA-Z0-9_-]{5,50}$/;
const MAX_DESCRIPTION = 256;

export interface FoundScopeMap {
  record: ScopeMapRecord;
  system: boolean;
}

/** A map of the registry by name (system or user-defined; names compare case-insensitively). */
export async function findScopeMap(context: ManagementContext, registry: RegistryRecord, name: string): Promise<FoundScopeMap | undefined> {
  const system = SYSTEM_SCOPE_MAPS.find((m) => m.name.toLowerCase() === name.toLowerCase());
  if (system) return { record: systemScopeMapRecord(registry.name, system, registry.createdAt), system: true };
  const { scopeMaps } = context.services.store;
  const exact = await scopeMaps.get(registry.name, name);
  if (exact) return { record: exact, system: false };
  const other = (await scopeMaps.list(registry.name)).find((m) => m.name.toLowerCase() === name.toLowerCase());
  return other && { record: other, system: false };
}

export function scopeMapJson(registryId: string, map: ScopeMapRecord, system: boolean): Record<string, unknown> {
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

function notFound(context: ManagementContext, registry: string, name: string): ArmError {
  return armErrors.resourceNotFound(`${REGISTRY_TYPE}/${registry}/scopeMaps`, name, context.params.resourceGroupName!);
}

function readOnly(name: string): ArmError {
  return armErrors.conflict('SystemScopeMapReadOnly', armText('systemScopeMapReadOnly', { name }));
}

/** Checks and normalizes the actions; a reason names the first bad one. */
function normalizeActions(actions: string[], limit: number): string[] {
  if (actions.length === 0) throw armErrors.invalidRequestContent("'properties.actions' must list at least one action", 'properties.actions');
  if (actions.length > limit) {
    throw armErrors.invalidParameter('properties.actions', armText('tooManyActions', { limit, count: actions.length }));
  }
  const normalized: string[] = [];
  for (const action of actions) {
    const parsed = parseScopeMapAction(action);
    if (typeof parsed === 'string') throw armErrors.invalidParameter('properties.actions', parsed);
    const text = action.trim().toLowerCase();
    if (!normalized.includes(text)) normalized.push(text);
  }
  return normalized;
}

function description(properties: Record<string, unknown>): string | undefined {
  const text = optionalString(properties, 'description', 'properties.description');
  if (text !== undefined && text.length > MAX_DESCRIPTION) {
    throw armErrors.invalidParameter('properties.description', `The description is longer than ${MAX_DESCRIPTION} characters.`);
  }
  return text;
}

async function listScopeMaps(context: ManagementContext): Promise<ManagementResult> {
  const { registry, id } = await requireRegistry(context, 'read', registryActions.scopeMapsRead);
  const system = SYSTEM_SCOPE_MAPS.map((m) => scopeMapJson(id, systemScopeMapRecord(registry.name, m, registry.createdAt), true));
  const user = (await context.services.store.scopeMaps.list(registry.name)).map((m) => scopeMapJson(id, m, false));
  return collection([...system, ...user]);
}

async function getScopeMap(context: ManagementContext): Promise<ManagementResult> {
  const { registry, id } = await requireRegistry(context, 'read', registryActions.scopeMapsRead);
  const found = await findScopeMap(context, registry, context.params.scopeMapName!);
  if (!found) throw notFound(context, registry.name, context.params.scopeMapName!);
  return ok(scopeMapJson(id, found.record, found.system));
}

async function putScopeMap(context: ManagementContext): Promise<ManagementResult> {
  const { registry, id } = await requireRegistry(context, 'write', registryActions.scopeMapsWrite);
  const name = context.params.scopeMapName!;
  if (SYSTEM_SCOPE_MAPS.some((m) => m.name.toLowerCase() === name.toLowerCase())) throw readOnly(name);
  if (!SCOPE_MAP_NAME.test(name) || name.startsWith('_')) {
    throw armErrors.invalidResourceName('scope map', name, "a scope map name is 5 to 50 letters, digits, '-' or '_', and does not start with '_' (reserved for system maps)");
  }
  const properties = propertiesOf(await context.body());
  const limits = SKU_LIMITS[registry.sku];
  const actions = normalizeActions(optionalStringArray(properties, 'actions', 'properties.actions') ?? [], limits.actionsPerScopeMap);
  const text = description(properties);
  const { scopeMaps } = context.services.store;
  const existing = await findScopeMap(context, registry, name);
  if (!existing && (await scopeMaps.list(registry.name)).length >= limits.scopeMaps) {
    throw armErrors.quotaExceeded('scope maps', limits.scopeMaps, registry.sku);
  }
  const now = new Date().toISOString();
  const record: ScopeMapRecord = {
    registry: registry.name,
    name: existing?.record.name ?? name,
    description: text ?? '',
    actions,
    createdAt: existing?.record.createdAt ?? now,
    updatedAt: now,
  };
  await scopeMaps.put(record);
  const json = scopeMapJson(id, record, false);
  return existing ? ok(json) : created(json);
}

async function patchScopeMap(context: ManagementContext): Promise<ManagementResult> {
  const { registry, id } = await requireRegistry(context, 'write', registryActions.scopeMapsWrite);
  const name = context.params.scopeMapName!;
  const found = await findScopeMap(context, registry, name);
  if (!found) throw notFound(context, registry.name, name);
  if (found.system) throw readOnly(found.record.name);
  const properties = propertiesOf(await context.body());
  const actions = optionalStringArray(properties, 'actions', 'properties.actions');
  const text = description(properties);
  const record: ScopeMapRecord = {
    ...found.record,
    ...(actions !== undefined ? { actions: normalizeActions(actions, SKU_LIMITS[registry.sku].actionsPerScopeMap) } : {}),
    ...(text !== undefined ? { description: text } : {}),
    updatedAt: new Date().toISOString(),
  };
  await context.services.store.scopeMaps.put(record);
  context.services.events.publish({ kind: 'grant', registry: registry.name });
  return ok(scopeMapJson(id, record, false));
}

async function deleteScopeMap(context: ManagementContext): Promise<ManagementResult> {
  const { registry } = await requireRegistry(context, 'write', registryActions.scopeMapsDelete);
  const found = await findScopeMap(context, registry, context.params.scopeMapName!);
  if (!found) return { status: 204 };
  if (found.system) throw readOnly(found.record.name);
  const { scopeMaps } = context.services.store;
  const users = await scopeMaps.usedBy(registry.name, found.record.name);
  if (users.length > 0) {
    throw armErrors.conflict(
      'ScopeMapInUse',
      armText('scopeMapInUse', { name: found.record.name, tokens: users.map((t) => `'${t}'`).join(', ') }),
    );
  }
  await scopeMaps.delete(registry.name, found.record.name);
  context.services.events.publish({ kind: 'grant', registry: registry.name });
  return { status: 200 };
}

export const scopeMapRoutes: RouteSpec[] = [
  { id: 'scopeMaps.list', template: `${REGISTRY_PATH}/scopeMaps`, methods: { GET: listScopeMaps } },
  {
    id: 'scopeMaps.scopeMap',
    template: `${REGISTRY_PATH}/scopeMaps/{scopeMapName}`,
    methods: { GET: getScopeMap, PUT: putScopeMap, PATCH: patchScopeMap, DELETE: deleteScopeMap },
  },
];

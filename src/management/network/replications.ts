/**
 * `…/registries/R/replications[/{name}]`: the regions a Premium registry is served in. The
 * home location is listed as a replication named after it and can't be deleted (as on ACR);
 * each other region gets its own data endpoint (`<registry>.<region>.data.<domain>`).
 */
import type { ReplicationRecord } from '../../storage/metadata/network-records.js';
import type { RegistryRecord } from '../../storage/metadata/store.js';
import { armErrors, armReason, armText } from '../../kernel/arm-errors.js';
import { addressedRegistry, collection, created, type ManagementContext, type ManagementResult, ok } from '../context.js';
import { optionalBoolean, optionalString, optionalTags, propertiesOf } from '../../kernel/json-body.js';
import { onRegistry, type RouteSpec } from '../route-table.js';
import { REGISTRY_PATH, REGISTRY_TYPE } from '../resources/lookup.js';
import { normalizeLocation } from '../resources/registries.js';
import { homeReplication, replicationJson } from './network-views.js';

const actions = {
  read: `${REGISTRY_TYPE}/replications/read`,
  write: `${REGISTRY_TYPE}/replications/write`,
  delete: `${REGISTRY_TYPE}/replications/delete`,
};

const REPLICATION_NAME = /^[a-zA-Z0-9]{5,50}$/;

async function allOf(context: ManagementContext, registry: RegistryRecord): Promise<ReplicationRecord[]> {
  return [homeReplication(registry), ...(await context.services.store.network.replications(registry.name))];
}

/** The replication as ARM shows it, with its stored tags. */
async function view(context: ManagementContext, registry: RegistryRecord, replication: ReplicationRecord): Promise<Record<string, unknown>> {
  const tags = await context.services.store.network.replicationTags(registry.name);
  return replicationJson(registry, replication, tags.get(replication.name.toLowerCase()) ?? {});
}

function find(replications: ReplicationRecord[], name: string): ReplicationRecord | undefined {
  return replications.find((r) => r.name.toLowerCase() === name.toLowerCase());
}

function notFound(registry: RegistryRecord, name: string) {
  return armErrors.resourceNotFound(`${REGISTRY_TYPE}/${registry.name}/replications`, name, registry.resourceGroup);
}

async function afterChange(context: ManagementContext, registry: string): Promise<void> {
  // A new region's data endpoint name must be on the certificate before blobs redirect there.
  await context.services.network.listeners.reconcile();
  // Data endpoint names (redirects, the gate's view of the registry) follow replications.
  context.services.events.publish({ kind: 'rules', registry });
}

async function listReplications(context: ManagementContext): Promise<ManagementResult> {
  const { registry } = addressedRegistry(context);
  const tags = await context.services.store.network.replicationTags(registry.name);
  return collection((await allOf(context, registry)).map((r) => replicationJson(registry, r, tags.get(r.name.toLowerCase()) ?? {})));
}

async function getReplication(context: ManagementContext): Promise<ManagementResult> {
  const { registry } = addressedRegistry(context);
  const replication = find(await allOf(context, registry), context.params.replicationName!);
  if (!replication) throw notFound(registry, context.params.replicationName!);
  return ok(await view(context, registry, replication));
}

async function putReplication(context: ManagementContext): Promise<ManagementResult> {
  const { registry } = addressedRegistry(context);
  const name = context.params.replicationName!;
  if (!REPLICATION_NAME.test(name)) throw armErrors.invalidResourceName(armReason('kindReplication'), name, armReason('ruleReplicationName'));
  if (registry.sku !== 'Premium') {
    throw armErrors.premiumRequired(armText('premiumReplication'), 'location');
  }
  const body = await context.body();
  const locationText = optionalString(body, 'location', 'location');
  if (!locationText) throw armErrors.invalidRequestContent(armReason('fieldRequired', { path: 'location' }), 'location');
  const location = normalizeLocation(locationText);
  const properties = propertiesOf(body);
  const zoneRedundancy = optionalString(properties, 'zoneRedundancy', 'properties.zoneRedundancy');
  if (zoneRedundancy !== undefined && zoneRedundancy.toLowerCase() !== 'disabled') {
    throw armErrors.featureNotSupported('properties.zoneRedundancy', armReason('whyZoneRedundancy'));
  }
  // A PUT replaces the resource: tags it leaves out are removed, as on ARM.
  const tags = optionalTags(body, 'tags', 'tags') ?? {};
  const all = await allOf(context, registry);
  const existing = find(all, name);
  const home = homeReplication(registry);
  if (existing && existing.location !== location) {
    throw armErrors.locationMismatch(existing.name, existing.location, location, registry.resourceGroup);
  }
  const sameRegion = all.find((r) => r.location === location && r.name.toLowerCase() !== name.toLowerCase());
  if (sameRegion) {
    throw armErrors.conflict('ReplicationAlreadyExists', armReason('alreadyReplicated', { registry: registry.name, location, replication: sameRegion.name }));
  }
  if (existing && existing.name === home.name) {
    await context.services.store.network.saveReplicationTags(registry.name, home.name, tags);
    return ok(await view(context, registry, home));
  }
  const replication: ReplicationRecord = {
    registry: registry.name,
    name: existing?.name ?? name,
    location,
    regionEndpointEnabled: optionalBoolean(properties, 'regionEndpointEnabled', 'properties.regionEndpointEnabled') ?? existing?.regionEndpointEnabled ?? true,
    createdAt: existing?.createdAt ?? new Date().toISOString(),
  };
  await context.services.store.network.saveReplication(replication);
  await context.services.store.network.saveReplicationTags(registry.name, replication.name, tags);
  await afterChange(context, registry.name);
  const shown = await view(context, registry, replication);
  return existing ? ok(shown) : created(shown);
}

async function patchReplication(context: ManagementContext): Promise<ManagementResult> {
  const { registry } = addressedRegistry(context);
  const name = context.params.replicationName!;
  const existing = find(await allOf(context, registry), name);
  if (!existing) throw notFound(registry, name);
  const body = await context.body();
  // A PATCH changes what it names: tags only when given.
  const tags = optionalTags(body, 'tags', 'tags');
  const regionEndpointEnabled = optionalBoolean(propertiesOf(body), 'regionEndpointEnabled', 'properties.regionEndpointEnabled');
  if (existing.name === homeReplication(registry).name) {
    if (regionEndpointEnabled === false) {
      throw armErrors.badRequest(
        armReason('homeReplicationServes', { replication: existing.name, registry: registry.name }),
        'properties.regionEndpointEnabled',
      );
    }
    if (tags) await context.services.store.network.saveReplicationTags(registry.name, existing.name, tags);
    return ok(await view(context, registry, existing));
  }
  const updated = { ...existing, regionEndpointEnabled: regionEndpointEnabled ?? existing.regionEndpointEnabled };
  await context.services.store.network.saveReplication(updated);
  if (tags) await context.services.store.network.saveReplicationTags(registry.name, existing.name, tags);
  await afterChange(context, registry.name);
  return ok(await view(context, registry, updated));
}

async function deleteReplication(context: ManagementContext): Promise<ManagementResult> {
  const { registry } = addressedRegistry(context);
  const name = context.params.replicationName!;
  if (name.toLowerCase() === homeReplication(registry).name.toLowerCase()) {
    throw armErrors.badRequest(armReason('homeReplicationDelete', { replication: name, registry: registry.name }), 'replicationName');
  }
  if (!(await context.services.store.network.deleteReplication(registry.name, find(await allOf(context, registry), name)?.name ?? name)))
    return { status: 204 };
  await afterChange(context, registry.name);
  return { status: 200 };
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

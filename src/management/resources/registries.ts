/**
 * Microsoft.ContainerRegistry/registries: list (subscription, resource group), get, create
 * (PUT), update (PATCH), delete, checkNameAvailability and listUsages. Long-running
 * operations complete before the answer (200/201 with provisioningState Succeeded), which
 * az and the Azure SDKs accept without polling.
 */
import { z } from 'zod';
import { registryResourceId } from '../../access/roles.js';
import { requestLanguage } from '../../kernel/request-language.js';
import type { RegistryRecord, RegistrySettings } from '../../storage/metadata/store.js';
import { armErrors, armReason, armText } from '../../kernel/arm-errors.js';
import {
  addressedGroup,
  addressedRegistry,
  addressedScope,
  collection,
  created,
  type ManagementContext,
  type ManagementResult,
  type ManagementServices,
  ok,
} from '../context.js';
import { propertiesOf } from '../../kernel/json-body.js';
import { listFilteredByVisibility, onRegistry, onResource, onSubscription, type RouteSpec } from '../route-table.js';
import { armIssue, armTags, nullable, parseArmBody, requiredText } from '../arm-body.js';
import { REGISTRY_PATH, REGISTRY_TYPE, RESOURCE_GROUP_PATH, SUBSCRIPTION_PATH, registryActions, registryIdFromPath, registryIsAt } from './lookup.js';
import { rejectRegistryIdentity } from '../../domain/registry-fixed-properties.js';
import { callerChecks, loadNetworkState, requestedSettings } from './registry-network.js';
import { activeConnections, type RegistryNetworkState } from '../network/network-views.js';
import { parseSku, registryJson, validNewRegistryName, validRegistryName } from './registry-view.js';
import { SKU_LIMITS } from '../../domain/sku-limits.js';
import { addressClash, type AddressClaim } from '../../domain/host-routing.js';
import type { LocalizedText } from '../../i18n/localized.js';

/** What this module uses of the management plane's services (context.ts): nothing else is in reach. */
type HandlerServices = Pick<ManagementServices, 'arm' | 'config' | 'network' | 'registryService' | 'store'>;
type HandlerContext = ManagementContext<HandlerServices>;

/**
 * Why a new registry named `name` could not have its address, if it could not: a registry from
 * the config file already claims `<name>.<domain>` with its loginServer (see host-routing.ts).
 */
export async function addressTakenBy(services: Pick<ManagementServices, 'store' | 'config'>, name: string): Promise<LocalizedText | undefined> {
  const clash = addressClash([...(await services.store.registries.list()), { name, loginServer: null }], services.config);
  if (!clash) return undefined;
  const other = clash.first.registry === name ? clash.second : clash.first;
  return armReason('dnsNameClaimed', { dnsName: `${name}.${services.config.domain}`, claim: claimText(other, services.config.domain) });
}

/** Why a registry answers at an address (host-routing's claim), in every language. */
function claimText(claim: AddressClaim, domain: string): LocalizedText {
  const address = claim.port === undefined ? claim.hostname : `${claim.hostname}:${claim.port}`;
  switch (claim.how) {
    case 'loginServer':
      return armReason('claimLoginServer', { registry: claim.registry, address });
    case 'name':
      return armReason('claimName', { registry: claim.registry, address, domain });
    case 'default':
      return armReason('claimDefault', { registry: claim.registry });
  }
}

/** ARM normalizes locations: 'West Europe' and 'westeurope' are the same. */
export function normalizeLocation(location: string): string {
  const normalized = location.replace(/\s+/g, '').toLowerCase();
  if (!/^[a-z0-9-]{1,64}$/.test(normalized)) {
    throw armErrors.invalidParameter('location', armText('invalidLocation', { location }));
  }
  return normalized;
}

/** The SKU a request names; ARM's InvalidParameter for one that is not Basic, Standard or Premium. */
function skuNamed(name: string): RegistrySettings['sku'] {
  const parsed = parseSku(name);
  if (!parsed) throw armErrors.invalidParameter('sku.name', armText('invalidSku', { name }));
  return parsed;
}

/** What a PATCH may send besides the network properties (read by registry-network.ts). */
const registryPatchBody = z
  .object({
    sku: nullable(z.object({ name: requiredText }).loose()),
    tags: nullable(armTags),
    properties: nullable(z.object({ adminUserEnabled: nullable(z.boolean()), anonymousPullEnabled: nullable(z.boolean()) }).loose()),
  })
  .loose();

/** A PUT names the location and the SKU too. */
const registryPutBody = z
  .object({ location: requiredText, ...registryPatchBody.shape })
  .loose()
  .superRefine((body, context) => {
    if (!body.sku) armIssue(context, { key: 'fieldRequired', values: { path: 'sku.name' } }, ['sku', 'name']);
  });

const nameAvailabilityBody = z.object({ name: requiredText, type: requiredText }).loose();

/** The registry's ARM view, with its network state read from the store. */
async function viewOf(services: HandlerServices, registry: RegistryRecord): Promise<Record<string, unknown>> {
  return registryJson(registry, services.config, await loadNetworkState(services, registry));
}

async function visible(context: HandlerContext, registries: RegistryRecord[]): Promise<unknown[]> {
  const shown: unknown[] = [];
  for (const registry of registries) {
    if (await context.access.allows(registryResourceId(registry), 'read')) shown.push(await viewOf(context.services, registry));
  }
  return shown;
}

async function listInSubscription(context: HandlerContext): Promise<ManagementResult> {
  const { subscription } = addressedScope(context);
  const registries = (await context.services.store.registries.list()).filter((r) => r.subscriptionId === subscription.id);
  return collection(await visible(context, registries));
}

async function listInResourceGroup(context: HandlerContext): Promise<ManagementResult> {
  const { subscription } = addressedScope(context);
  const group = addressedGroup(context);
  const registries = (await context.services.store.registries.list()).filter((r) => registryIsAt(r, subscription.id, group.name));
  return collection(await visible(context, registries));
}

async function getRegistry(context: HandlerContext): Promise<ManagementResult> {
  const { registry } = addressedRegistry(context);
  return ok(await viewOf(context.services, registry));
}

async function putRegistry(context: HandlerContext): Promise<ManagementResult> {
  const { services } = context;
  const { registryName } = context.params as Record<string, string>;
  const { subscription } = addressedScope(context);
  const group = addressedGroup(context);
  if (!validRegistryName(registryName!)) throw armErrors.invalidResourceName(armReason('kindRegistry'), registryName!, armReason('ruleRegistryName'));

  const body = await context.body();
  const input = parseArmBody(registryPutBody, body);
  const location = normalizeLocation(input.location);
  const sku = skuNamed(input.sku!.name);
  const tags = input.tags ?? {};
  const properties = propertiesOf(body);
  rejectRegistryIdentity(body);
  const result = await services.registryService.replace(
    {
      requestedName: registryName!,
      subscriptionId: subscription.id,
      resourceGroup: group.name,
      location,
      sku,
      tags,
      properties,
      // PUT replaces: what the body leaves out takes its default.
      adminUserEnabled: input.properties?.adminUserEnabled ?? false,
      anonymousPullEnabled: input.properties?.anonymousPullEnabled ?? false,
      network: (base) => requestedSettings(properties, base),
    },
    callerChecks(context, body),
  );
  const view = registryJson(result.registry, services.config, result.network);
  return result.created ? created(view) : ok(view);
}

async function patchRegistry(context: HandlerContext): Promise<ManagementResult> {
  const { services } = context;
  const { registry } = addressedRegistry(context);
  const body = await context.body();
  const input = parseArmBody(registryPatchBody, body);
  const properties = propertiesOf(body);
  rejectRegistryIdentity(body);
  const change: Partial<RegistrySettings> = {};
  if (input.sku) change.sku = skuNamed(input.sku.name);
  if (input.tags !== undefined) change.tags = input.tags;
  if (input.properties?.adminUserEnabled !== undefined) change.adminUserEnabled = input.properties.adminUserEnabled;
  if (input.properties?.anonymousPullEnabled !== undefined) change.anonymousPullEnabled = input.properties.anonymousPullEnabled;
  const result = await services.registryService.update(
    registry,
    { properties, settings: change, network: (current) => requestedSettings(properties, current) },
    callerChecks(context, body),
  );
  return ok(registryJson(result.registry, services.config, result.network));
}

async function deleteRegistry(context: HandlerContext): Promise<ManagementResult> {
  const { services } = context;
  const { registryName } = context.params as Record<string, string>;
  const { subscription } = addressedScope(context);
  const group = addressedGroup(context);
  const registry = await services.store.registries.get(registryName!.toLowerCase());
  // ARM answers 204 to a DELETE of what is not there.
  if (!registry || !registryIsAt(registry, subscription.id, group.name)) return { status: 204 };
  await services.registryService.remove(registry);
  return { status: 200 };
}

async function checkNameAvailability(context: HandlerContext): Promise<ManagementResult> {
  const { name, type } = parseArmBody(nameAvailabilityBody, await context.body());
  if (type.toLowerCase() !== REGISTRY_TYPE.toLowerCase()) {
    throw armErrors.invalidParameter('type', armReason('notCheckedType', { type, expected: REGISTRY_TYPE }));
  }
  const language = requestLanguage(context.request);
  const invalid = { nameAvailable: false, reason: 'Invalid', message: armReason('nameCheckInvalid', { rule: armReason('ruleRegistryName') }).in(language) };
  if (!validRegistryName(name)) return ok(invalid);
  // Taken wins over too short: a configured registry may have a 2- to 4-letter name.
  if (await context.services.store.registries.get(name.toLowerCase())) {
    return ok({ nameAvailable: false, reason: 'AlreadyExists', message: armReason('nameCheckInUse', { name }).in(language) });
  }
  if (!validNewRegistryName(name)) return ok(invalid);
  const taken = await addressTakenBy(context.services, name.toLowerCase());
  if (taken) return ok({ nameAvailable: false, reason: 'AlreadyExists', message: taken.in(language) });
  return ok({ nameAvailable: true });
}

async function listUsages(context: HandlerContext): Promise<ManagementResult> {
  const { store } = context.services;
  const { registry } = addressedRegistry(context);
  const limits = SKU_LIMITS[registry.sku];
  const network: RegistryNetworkState = await loadNetworkState(context.services, registry);
  const count = (name: string, limit: number, currentValue: number) => ({ name, limit, currentValue, unit: 'Count' });
  return ok({
    value: [
      { name: 'Size', limit: limits.storageBytes, currentValue: await store.repositories.storageBytes(registry.name), unit: 'Bytes' },
      count('ScopeMaps', limits.scopeMaps, (await store.scopeMaps.list(registry.name)).length),
      count('Tokens', limits.tokens, (await store.tokens.list(registry.name)).length),
      count('IPRules', limits.ipRules, network.settings.ipRules.length),
      count('VNetRules', limits.virtualNetworkRules, network.settings.virtualNetworkRules.length),
      count('PrivateEndpointConnections', limits.privateEndpointConnections, activeConnections(network.endpoints).length),
    ],
  });
}

/** The id of the registry the path names, whether or not it exists yet (creation, deletion). */
const registryIdFromParams = (subscriptionId: string, params: Record<string, string>) =>
  registryIdFromPath(subscriptionId, params.resourceGroupName!, params.registryName!);

export const registryRoutes: RouteSpec[] = [
  {
    id: 'registries.listBySubscription',
    template: `${SUBSCRIPTION_PATH}/providers/Microsoft.ContainerRegistry/registries`,
    methods: { GET: { handler: listInSubscription, needs: listFilteredByVisibility } },
  },
  {
    id: 'registries.checkNameAvailability',
    template: `${SUBSCRIPTION_PATH}/providers/Microsoft.ContainerRegistry/checkNameAvailability`,
    methods: { POST: { handler: checkNameAvailability, needs: onSubscription('readWithin', 'Microsoft.ContainerRegistry/checkNameAvailability/read') } },
  },
  {
    id: 'registries.listByResourceGroup',
    template: `${RESOURCE_GROUP_PATH}/providers/Microsoft.ContainerRegistry/registries`,
    methods: { GET: { handler: listInResourceGroup, needs: listFilteredByVisibility } },
  },
  {
    id: 'registries.registry',
    template: REGISTRY_PATH,
    methods: {
      GET: { handler: getRegistry, needs: onRegistry('read', registryActions.read) },
      PUT: { handler: putRegistry, needs: onResource('write', registryActions.write, registryIdFromParams) },
      PATCH: { handler: patchRegistry, needs: onRegistry('write', registryActions.write) },
      DELETE: { handler: deleteRegistry, needs: onResource('write', registryActions.delete, registryIdFromParams) },
    },
  },
  {
    id: 'registries.listUsages',
    template: `${REGISTRY_PATH}/listUsages`,
    methods: {
      GET: { handler: listUsages, needs: onRegistry('read', registryActions.listUsages) },
    },
  },
];

/**
 * Microsoft.ContainerRegistry/registries: list (subscription, resource group), get, create
 * (PUT), update (PATCH), delete, checkNameAvailability and listUsages. Long-running
 * operations complete before the answer (200/201 with provisioningState Succeeded), which
 * az and the Azure SDKs accept without polling.
 */
import { registryResourceId } from '../../access/roles.js';
import type { RegistryRecord, RegistrySettings } from '../../storage/metadata/store.js';
import { armErrors, armReason, armText } from '../arm-errors.js';
import { addressedRegistry, collection, created, type ManagementContext, type ManagementResult, type ManagementServices, ok } from '../context.js';
import { optionalBoolean, optionalObject, optionalTags, propertiesOf, requiredString, type JsonObject } from '../json-body.js';
import { onRegistry, type RouteSpec } from '../route-table.js';
import { ensureAdminPasswords } from './admin-credentials.js';
import {
  REGISTRY_PATH,
  REGISTRY_TYPE,
  RESOURCE_GROUP_PATH,
  SUBSCRIPTION_PATH,
  registryActions,
  registryIdFromPath,
  registryIsAt,
  requireResourceGroup,
  requireSubscription,
  subscriptionScope,
} from './lookup.js';
import { rejectFixedPropertyChanges, rejectRegistryIdentity } from './registry-fixed-properties.js';
import {
  checkLockout,
  checkSku,
  loadNetworkState,
  networkDefaults,
  requestedSettings,
  sameSettings,
  validateSettings,
  withoutStamp,
} from './registry-network.js';
import { activeConnections, type RegistryNetworkState } from '../network/network-views.js';
import { CONTAINER_REGISTRY_NAMESPACE } from '../network/network-ids.js';
import { providerState } from '../network/providers.js';
import {
  NEW_REGISTRY_NAME_RULE,
  checkAnonymousPullSku,
  registryDnsNameOf,
  parseSku,
  registryJson,
  validNewRegistryName,
  validRegistryName,
} from './registry-view.js';
import { SKU_LIMITS } from './sku-limits.js';
import { addressClash, type AddressClaim } from '../../server/host-routing.js';
import type { LocalizedText } from '../../i18n/localized.js';

/**
 * Why a new registry named `name` could not have its address, if it could not: a registry from
 * the config file already claims `<name>.<domain>` with its loginServer (see host-routing.ts).
 */
async function addressTakenBy(services: ManagementServices, name: string): Promise<LocalizedText | undefined> {
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

function skuOf(body: JsonObject, required: boolean): RegistrySettings['sku'] | undefined {
  const sku = optionalObject(body, 'sku', 'sku');
  if (!sku) {
    if (required) throw armErrors.invalidRequestContent(armReason('fieldRequired', { path: 'sku.name' }), 'sku.name');
    return undefined;
  }
  const name = requiredString(sku, 'name', 'sku.name');
  const parsed = parseSku(name);
  if (!parsed) throw armErrors.invalidParameter('sku.name', armText('invalidSku', { name }));
  return parsed;
}

/** The registry's ARM view, with its network state read from the store. */
export async function viewOf(services: ManagementServices, registry: RegistryRecord): Promise<Record<string, unknown>> {
  return registryJson(registry, services.config, await loadNetworkState(services, registry));
}

async function visible(context: ManagementContext, registries: RegistryRecord[]): Promise<unknown[]> {
  const shown: unknown[] = [];
  for (const registry of registries) {
    if (await context.access.allows(registryResourceId(registry), 'read')) shown.push(await viewOf(context.services, registry));
  }
  return shown;
}

async function listInSubscription(context: ManagementContext): Promise<ManagementResult> {
  const subscription = await requireSubscription(context, context.params.subscriptionId!);
  const registries = (await context.services.store.registries.list()).filter((r) => r.subscriptionId === subscription.id);
  return collection(await visible(context, registries));
}

async function listInResourceGroup(context: ManagementContext): Promise<ManagementResult> {
  const subscription = await requireSubscription(context, context.params.subscriptionId!);
  const group = await requireResourceGroup(context, subscription.id, context.params.resourceGroupName!);
  const registries = (await context.services.store.registries.list()).filter((r) => registryIsAt(r, subscription.id, group.name));
  return collection(await visible(context, registries));
}

async function getRegistry(context: ManagementContext): Promise<ManagementResult> {
  const { registry } = addressedRegistry(context);
  return ok(await viewOf(context.services, registry));
}

async function putRegistry(context: ManagementContext): Promise<ManagementResult> {
  const { services } = context;
  const { resourceGroupName, registryName } = context.params as Record<string, string>;
  const subscription = await requireSubscription(context, context.params.subscriptionId!);
  await context.access.require(registryIdFromPath(subscription.id, resourceGroupName!, registryName!), 'write', registryActions.write);
  const group = await requireResourceGroup(context, subscription.id, resourceGroupName!);
  if (!validRegistryName(registryName!)) throw armErrors.invalidResourceName(armReason('kindRegistry'), registryName!, armReason('ruleRegistryName'));
  const name = registryName!.toLowerCase();

  const body = await context.body();
  const location = normalizeLocation(requiredString(body, 'location', 'location'));
  const sku = skuOf(body, true)!;
  const tags = optionalTags(body, 'tags', 'tags') ?? {};
  const properties = propertiesOf(body);
  rejectRegistryIdentity(body);

  const existing = await services.store.registries.get(name);
  if (existing && !registryIsAt(existing, subscription.id, group.name)) {
    throw armErrors.conflict(
      'AlreadyInUse',
      armReason('registryNameTaken', { dnsName: registryDnsNameOf(existing, services.config.domain) }),
    );
  }
  if (!existing && !validNewRegistryName(name)) throw armErrors.invalidResourceName(armReason('kindRegistry'), registryName!, armReason('ruleRegistryName'));
  const taken = existing ? undefined : await addressTakenBy(services, name);
  if (taken) throw armErrors.conflict('AlreadyInUse', taken);
  if (existing && existing.location !== location) throw armErrors.locationMismatch(name, existing.location, location, group.name);
  if (!existing && (await providerState(services, subscription.id, CONTAINER_REGISTRY_NAMESPACE)) !== 'Registered') {
    throw armErrors.missingSubscriptionRegistration(CONTAINER_REGISTRY_NAMESPACE, subscription.id);
  }
  rejectFixedPropertyChanges(existing, properties);
  // PUT replaces: what the body leaves out takes its default.
  const settings: Partial<RegistrySettings> = {
    sku,
    tags,
    adminUserEnabled: optionalBoolean(properties, 'adminUserEnabled', 'properties.adminUserEnabled') ?? false,
    anonymousPullEnabled: optionalBoolean(properties, 'anonymousPullEnabled', 'properties.anonymousPullEnabled') ?? false,
  };
  checkAnonymousPullSku(sku, settings.anonymousPullEnabled!);
  // The network settings too: a PUT replaces them (missing fields take their defaults).
  const state = existing ? await loadNetworkState(services, existing) : undefined;
  const current = state ? withoutStamp(state.settings) : networkDefaults();
  let network = requestedSettings(properties, networkDefaults());
  checkSku(name, sku, existing?.sku === 'Premium', network, state);
  network = await validateSettings(context, name, sku, network);
  const networkChanged = !sameSettings(network, current);
  if (networkChanged) await checkLockout(context, name, network);

  // Network settings are saved before the registry row, so a crash in between never leaves a
  // registry more open than asked; a new registry always writes its own (no stale row applies).
  if (networkChanged || !existing) await saveNetwork(services, name, network);
  if (!existing) {
    await services.store.registries.upsert({
      name,
      loginServer: null,
      deletesEnabled: true,
      placement: { subscriptionId: subscription.id, resourceGroup: group.name, location, sku },
    });
  }
  const registry = (await services.store.registries.update(name, settings))!;
  if (registry.adminUserEnabled) await ensureAdminPasswords(services, name);
  // Host routing caches registries; this node serves the change at once (others within seconds).
  await services.directory.refresh();
  const body200 = await viewOf(services, registry);
  return existing ? ok(body200) : created(body200);
}

async function saveNetwork(services: ManagementServices, registry: string, network: ReturnType<typeof networkDefaults>): Promise<void> {
  await services.store.network.saveRegistrySettings(registry, network);
  services.network.gate.invalidate(registry);
}

async function patchRegistry(context: ManagementContext): Promise<ManagementResult> {
  const { services } = context;
  const { registry } = addressedRegistry(context);
  const body = await context.body();
  const properties = propertiesOf(body);
  rejectRegistryIdentity(body);
  rejectFixedPropertyChanges(registry, properties);
  const change: Partial<RegistrySettings> = {};
  const sku = skuOf(body, false);
  if (sku !== undefined) change.sku = sku;
  const tags = optionalTags(body, 'tags', 'tags');
  if (tags !== undefined) change.tags = tags;
  const adminUserEnabled = optionalBoolean(properties, 'adminUserEnabled', 'properties.adminUserEnabled');
  if (adminUserEnabled !== undefined) change.adminUserEnabled = adminUserEnabled;
  const anonymousPullEnabled = optionalBoolean(properties, 'anonymousPullEnabled', 'properties.anonymousPullEnabled');
  if (anonymousPullEnabled !== undefined) change.anonymousPullEnabled = anonymousPullEnabled;
  checkAnonymousPullSku(change.sku ?? registry.sku, change.anonymousPullEnabled ?? registry.anonymousPullEnabled);
  // A PATCH merges: only the network fields it names change, down to the rule set's lists.
  const state = await loadNetworkState(services, registry);
  const current = withoutStamp(state.settings);
  const newSku = change.sku ?? registry.sku;
  let network = requestedSettings(properties, current);
  checkSku(registry.name, newSku, registry.sku === 'Premium', network, state);
  network = await validateSettings(context, registry.name, newSku, network);
  const networkChanged = !sameSettings(network, current);
  if (networkChanged) await checkLockout(context, registry.name, network);

  if (networkChanged) await saveNetwork(services, registry.name, network);
  const updated = Object.keys(change).length > 0 ? (await services.store.registries.update(registry.name, change))! : registry;
  if (updated.adminUserEnabled) await ensureAdminPasswords(services, registry.name);
  await services.directory.refresh();
  return ok(await viewOf(services, updated));
}

async function deleteRegistry(context: ManagementContext): Promise<ManagementResult> {
  const { services } = context;
  const { resourceGroupName, registryName } = context.params as Record<string, string>;
  const subscription = await requireSubscription(context, context.params.subscriptionId!);
  await context.access.require(registryIdFromPath(subscription.id, resourceGroupName!, registryName!), 'write', registryActions.delete);
  const group = await requireResourceGroup(context, subscription.id, resourceGroupName!);
  const registry = await services.store.registries.get(registryName!.toLowerCase());
  // ARM answers 204 to a DELETE of what is not there.
  if (!registry || !registryIsAt(registry, subscription.id, group.name)) return { status: 204 };
  await removeRegistry(services, registry);
  await services.directory.refresh();
  return { status: 200 };
}

/**
 * Deletes a registry and its grants (a DELETE of it, or of its resource group). The caller
 * refreshes the directory once it is done.
 */
export async function removeRegistry(services: ManagementServices, registry: RegistryRecord): Promise<void> {
  // Grants on a deleted registry must not pass to a new registry of the same name; they go
  // first, so a failure half-way leaves a registry without grants rather than grants without it.
  for (const assignment of await services.store.roleAssignments.list(registryResourceId(registry))) {
    await services.store.roleAssignments.delete(assignment.id);
  }
  // Its network settings and replications go in the same transaction; its private endpoints stay, Disconnected.
  await services.store.registries.delete(registry.name);
  services.network.gate.invalidate(registry.name);
  await services.network.listeners.reconcile();
}

async function checkNameAvailability(context: ManagementContext): Promise<ManagementResult> {
  const subscription = await requireSubscription(context, context.params.subscriptionId!);
  const scope = subscriptionScope(subscription.id);
  if (!(await context.access.allowsWithin(scope, 'read'))) {
    throw armErrors.authorizationFailed(context.caller, 'Microsoft.ContainerRegistry/checkNameAvailability/read', scope);
  }
  const body = await context.body();
  const name = requiredString(body, 'name', 'name');
  const type = requiredString(body, 'type', 'type');
  if (type.toLowerCase() !== REGISTRY_TYPE.toLowerCase()) {
    throw armErrors.invalidParameter('type', armReason('notCheckedType', { type, expected: REGISTRY_TYPE }));
  }
  const invalid = { nameAvailable: false, reason: 'Invalid', message: `The specified name is invalid: ${NEW_REGISTRY_NAME_RULE}.` };
  if (!validRegistryName(name)) return ok(invalid);
  // Taken wins over too short: a configured registry may have a 2- to 4-letter name.
  if (await context.services.store.registries.get(name.toLowerCase())) {
    return ok({ nameAvailable: false, reason: 'AlreadyExists', message: `The registry ${name} is already in use.` });
  }
  if (!validNewRegistryName(name)) return ok(invalid);
  const taken = await addressTakenBy(context.services, name.toLowerCase());
  if (taken) return ok({ nameAvailable: false, reason: 'AlreadyExists', message: taken });
  return ok({ nameAvailable: true });
}

async function listUsages(context: ManagementContext): Promise<ManagementResult> {
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

export const registryRoutes: RouteSpec[] = [
  { id: 'registries.listBySubscription', template: `${SUBSCRIPTION_PATH}/providers/Microsoft.ContainerRegistry/registries`, methods: { GET: listInSubscription } },
  { id: 'registries.checkNameAvailability', template: `${SUBSCRIPTION_PATH}/providers/Microsoft.ContainerRegistry/checkNameAvailability`, methods: { POST: checkNameAvailability } },
  { id: 'registries.listByResourceGroup', template: `${RESOURCE_GROUP_PATH}/providers/Microsoft.ContainerRegistry/registries`, methods: { GET: listInResourceGroup } },
  {
    id: 'registries.registry',
    template: REGISTRY_PATH,
    methods: {
      GET: { handler: getRegistry, needs: onRegistry('read', registryActions.read) },
      PUT: putRegistry,
      PATCH: { handler: patchRegistry, needs: onRegistry('write', registryActions.write) },
      DELETE: deleteRegistry,
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

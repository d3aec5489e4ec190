/**
 * A registry's network properties over ARM (networkRuleSet, publicNetworkAccess,
 * networkRuleBypassOptions, dataEndpointEnabled): read from a PUT (replace: what is missing
 * takes its default) or a PATCH (merge: only given fields change; a given networkRuleSet
 * replaces the whole rule set), validated as a whole before anything is saved (ACR's
 * "Failed to save firewall and virtual network settings …" names the first cause), and the
 * Premium-only features a SKU change would strand.
 */
import { clientIpv4, displayAddress, parseIpRule, type ParseProblem } from '../../network/ipv4.js';
import type { LocalizedText } from '../../i18n/localized.js';
import type { WharfServices } from '../../server/services.js';
import {
  defaultRegistryNetwork,
  type BypassOption,
  type DefaultAction,
  type PublicNetworkAccess,
  type RegistryNetworkSettings,
} from '../../storage/metadata/network-records.js';
import type { RegistryRecord, RegistrySku } from '../../storage/metadata/store.js';
import { armErrors, armText } from '../arm-errors.js';
import type { ManagementContext } from '../context.js';
import { isObject, optionalArray, optionalBoolean, optionalObject, optionalString, type JsonObject } from '../json-body.js';
import { parseSubnetId, CONTAINER_REGISTRY_NAMESPACE, resourceId, storeKey, VNET_TYPE } from '../network/network-ids.js';
import { activeConnections, type RegistryNetworkState } from '../network/network-views.js';
import { providerState } from '../network/providers.js';
import { SKU_LIMITS } from './sku-limits.js';
import { hasRegistryServiceEndpoint, SERVICE_ENDPOINT } from '../../network/policy.js';

export type NetworkSettings = Omit<RegistryNetworkSettings, 'updatedAt'>;

export function networkDefaults(): NetworkSettings {
  const { updatedAt: _ignored, ...settings } = defaultRegistryNetwork();
  return settings;
}

export function withoutStamp(settings: RegistryNetworkSettings): NetworkSettings {
  const { updatedAt: _ignored, ...rest } = settings;
  return rest;
}

export function sameSettings(a: NetworkSettings, b: NetworkSettings): boolean {
  const sameList = (x: string[], y: string[]) => x.length === y.length && x.every((v, i) => v === y[i]);
  return (
    a.publicNetworkAccess === b.publicNetworkAccess &&
    a.defaultAction === b.defaultAction &&
    a.bypass === b.bypass &&
    a.dataEndpointEnabled === b.dataEndpointEnabled &&
    sameList(a.ipRules, b.ipRules) &&
    sameList(a.virtualNetworkRules, b.virtualNetworkRules)
  );
}

function enumValue<T extends string>(source: JsonObject, key: string, path: string, allowed: readonly T[]): T | undefined {
  const value = optionalString(source, key, path);
  if (value === undefined) return undefined;
  const found = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  if (!found) throw armErrors.invalidParameter(path, armText('invalidEnumValue', { value, path, allowed: allowed.map((a) => `'${a}'`).join(' or ') }));
  return found;
}

function ruleAction(entry: JsonObject, path: string): void {
  const action = optionalString(entry, 'action', `${path}.action`);
  if (action !== undefined && action.toLowerCase() !== 'allow') {
    throw armErrors.invalidParameter(`${path}.action`, armText('invalidRuleAction', { action }));
  }
}

/**
 * The fields a rule set names, raw (values are validated later, all together). A field it leaves
 * out keeps the base's value, as in a JSON merge patch: `az acr update --default-action Deny`
 * sends `{"networkRuleSet": {"defaultAction": "Deny"}}` and must not drop the IP rules that
 * `az acr network-rule add` saved (a PUT's base is the defaults, so there it means none).
 */
function ruleSetOf(ruleSet: JsonObject): Partial<Pick<NetworkSettings, 'defaultAction' | 'ipRules' | 'virtualNetworkRules'>> {
  const path = 'properties.networkRuleSet';
  const defaultAction = enumValue<DefaultAction>(ruleSet, 'defaultAction', `${path}.defaultAction`, ['Allow', 'Deny']);
  const ipRules = optionalArray(ruleSet, 'ipRules', `${path}.ipRules`)?.map((entry, index) => {
    const at = `${path}.ipRules[${index}]`;
    if (!isObject(entry)) throw armErrors.invalidRequestContent(`'${at}' must be an object with 'value'`, at);
    ruleAction(entry, at);
    // az's preview API and older SDKs say ipAddressOrRange.
    const value = optionalString(entry, 'value', `${at}.value`) ?? optionalString(entry, 'ipAddressOrRange', `${at}.ipAddressOrRange`);
    if (value === undefined) throw armErrors.invalidRequestContent(`'${at}.value' is required`, `${at}.value`);
    return value.trim();
  });
  const virtualNetworkRules = optionalArray(ruleSet, 'virtualNetworkRules', `${path}.virtualNetworkRules`)?.map((entry, index) => {
    const at = `${path}.virtualNetworkRules[${index}]`;
    if (!isObject(entry)) throw armErrors.invalidRequestContent(`'${at}' must be an object with 'id'`, at);
    ruleAction(entry, at);
    const id =
      optionalString(entry, 'id', `${at}.id`) ??
      optionalString(entry, 'virtualNetworkResourceId', `${at}.virtualNetworkResourceId`) ??
      optionalString(entry, 'virtualNetworkSubnetResourceId', `${at}.virtualNetworkSubnetResourceId`);
    if (id === undefined) throw armErrors.invalidRequestContent(`'${at}.id' is required`, `${at}.id`);
    return id.trim();
  });
  return {
    ...(defaultAction !== undefined ? { defaultAction } : {}),
    ...(ipRules !== undefined ? { ipRules } : {}),
    ...(virtualNetworkRules !== undefined ? { virtualNetworkRules } : {}),
  };
}

/**
 * The settings a request asks for: given fields over `base` (the defaults for a PUT, the
 * current settings for a PATCH). Shapes and enums are checked here; values in validate().
 */
export function requestedSettings(properties: JsonObject, base: NetworkSettings): NetworkSettings {
  const next: NetworkSettings = { ...base, ipRules: [...base.ipRules], virtualNetworkRules: [...base.virtualNetworkRules] };
  const ruleSet = optionalObject(properties, 'networkRuleSet', 'properties.networkRuleSet');
  if (ruleSet) Object.assign(next, ruleSetOf(ruleSet));
  const access = enumValue<PublicNetworkAccess>(properties, 'publicNetworkAccess', 'properties.publicNetworkAccess', ['Enabled', 'Disabled']);
  if (access) next.publicNetworkAccess = access;
  const bypass = enumValue<BypassOption>(properties, 'networkRuleBypassOptions', 'properties.networkRuleBypassOptions', ['AzureServices', 'None']);
  if (bypass) next.bypass = bypass;
  const dataEndpoints = optionalBoolean(properties, 'dataEndpointEnabled', 'properties.dataEndpointEnabled');
  if (dataEndpoints !== undefined) next.dataEndpointEnabled = dataEndpoints;
  return next;
}

/** The Premium-only features in a set of settings, each with ACR's sentence and the field. */
function premiumFeatures(settings: NetworkSettings): { what: string; message: LocalizedText; target: string }[] {
  const found: { what: string; message: LocalizedText; target: string }[] = [];
  const rules = settings.ipRules.length + settings.virtualNetworkRules.length;
  if (settings.defaultAction === 'Deny' || rules > 0) {
    const parts = [
      ...(settings.defaultAction === 'Deny' ? ['default action Deny'] : []),
      ...(settings.ipRules.length ? [`${settings.ipRules.length} IP rule${settings.ipRules.length === 1 ? '' : 's'}`] : []),
      ...(settings.virtualNetworkRules.length ? [`${settings.virtualNetworkRules.length} virtual network rule${settings.virtualNetworkRules.length === 1 ? '' : 's'}`] : []),
    ];
    found.push({ what: parts.join(', '), message: armText('premiumNetworkRules'), target: 'properties.networkRuleSet' });
  }
  if (settings.publicNetworkAccess === 'Disabled') {
    found.push({
      what: 'public network access disabled',
      message: armText('premiumPublicAccess'),
      target: 'properties.publicNetworkAccess',
    });
  }
  if (settings.dataEndpointEnabled) {
    found.push({
      what: 'dedicated data endpoints enabled',
      message: armText('premiumDataEndpoints'),
      target: 'properties.dataEndpointEnabled',
    });
  }
  return found;
}

/**
 * Refuses a SKU below Premium for a registry that keeps Premium-only features: the new
 * settings' rules, public access, data endpoints, and its private endpoint connections and
 * replications. `wasPremium` tells a downgrade (one message listing all) from a request that
 * asks a non-Premium registry for a Premium feature (ACR's own sentence).
 */
export function checkSku(registryName: string, sku: RegistrySku, wasPremium: boolean, settings: NetworkSettings, state?: Pick<RegistryNetworkState, 'endpoints' | 'replications'>): void {
  if (sku === 'Premium') return;
  const features = premiumFeatures(settings);
  const connections = state ? activeConnections(state.endpoints).length : 0;
  const replications = state?.replications.length ?? 0;
  if (wasPremium) {
    const reasons = [
      ...features.map((f) => f.what),
      ...(connections ? [`${connections} private endpoint connection${connections === 1 ? '' : 's'}`] : []),
      ...(replications ? [`${replications} replication${replications === 1 ? '' : 's'}`] : []),
    ];
    if (reasons.length > 0) throw armErrors.skuDowngradeBlocked(registryName, sku, reasons);
    return;
  }
  const first = features[0];
  if (first) throw armErrors.premiumRequired(first.message, first.target);
}

/** ARM's action for adding a subnet to a service's network rules (Azure checks it on the subnet). */
export const JOIN_VIA_SERVICE_ENDPOINT = 'Microsoft.Network/virtualNetworks/subnets/joinViaServiceEndpoint/action';

/** The subnet ids (store keys) the registry's saved rules name; none for a registry not yet created. */
async function savedSubnetRules(services: WharfServices, registryName: string): Promise<Set<string>> {
  if (!(await services.store.registries.get(registryName.toLowerCase()))) return new Set();
  return new Set((await services.store.network.registrySettings(registryName.toLowerCase())).virtualNetworkRules.map(storeKey));
}

/**
 * Validates the values of `settings` for `registryName` (already known Premium when it has
 * rules): every IP rule, the rule counts, the caller's right to join each subnet the rules
 * add (403 first, before any subnet is looked up), every subnet (exists, its subscription
 * registered Microsoft.ContainerRegistry, service endpoint present). Returns the settings with the rule
 * values canonical (duplicates dropped, subnet ids lower case). Throws on the first problem.
 */
export async function validateSettings(context: ManagementContext, registryName: string, sku: RegistrySku, settings: NetworkSettings): Promise<NetworkSettings> {
  const { services } = context;
  const fail = (cause: string | LocalizedText) => armErrors.firewallSaveFailed(registryName, cause);
  const limits = SKU_LIMITS[sku];

  const ipRules: string[] = [];
  const seen = new Set<string>();
  for (const value of settings.ipRules) {
    const parsed = parseIpRule(value);
    if (!parsed.ok) throw fail(parsed.problem ? ipRuleProblem(parsed.problem) : `${parsed.why}.`);
    if (seen.has(parsed.range.normalized)) continue;
    seen.add(parsed.range.normalized);
    ipRules.push(parsed.range.value);
  }
  if (ipRules.length > limits.ipRules) {
    throw fail(armText('tooManyIpRules', { count: ipRules.length, sku, limit: limits.ipRules }));
  }

  const virtualNetworkRules: string[] = [];
  const given = new Map<string, string>();
  for (const id of settings.virtualNetworkRules) {
    const address = parseSubnetId(id);
    if (!address) {
      throw fail(armText('notSubnetId', { id }));
    }
    if (virtualNetworkRules.includes(address.subnetId)) continue;
    virtualNetworkRules.push(address.subnetId);
    given.set(address.subnetId, id.trim().replace(/\/+$/, ''));
  }
  if (virtualNetworkRules.length > limits.virtualNetworkRules) {
    throw fail(armText('tooManyVnetRules', { count: virtualNetworkRules.length, sku, limit: limits.virtualNetworkRules }));
  }
  // A subnet's prefixes become who the registry admits: adding one needs the right to join it,
  // as in Azure (write on the subnet or its network). Rules already saved were checked when added.
  const saved = await savedSubnetRules(services, registryName);
  for (const id of virtualNetworkRules) {
    if (!saved.has(id)) await context.access.require(given.get(id) ?? id, 'write', JOIN_VIA_SERVICE_ENDPOINT);
  }
  for (const id of virtualNetworkRules) {
    const address = parseSubnetId(id)!;
    if ((await providerState(services, address.subscriptionId, CONTAINER_REGISTRY_NAMESPACE)) !== 'Registered') {
      const vnetId = resourceId(address.subscriptionId, address.resourceGroup, VNET_TYPE, address.vnet);
      throw fail(
        `Could not validate network rule - The client '${context.caller.name}' with object id '${context.caller.objectId}' does not have authorization to perform action ` +
          `'Microsoft.Network/virtualNetworks/taggedTrafficConsumers/validate/action' over scope '${vnetId}/taggedTrafficConsumers/Microsoft.ContainerRegistry' or the scope is invalid. ` +
          `The subscription '${address.subscriptionId}' has not registered the resource provider Microsoft.ContainerRegistry. Register the resource provider in subscription '${address.subscriptionId}': ` +
          `az provider register --namespace Microsoft.ContainerRegistry --subscription ${address.subscriptionId}`,
      );
    }
    const subnet = await services.store.network.subnet(id);
    if (!subnet) throw fail(armText('ruleSubnetNotFound', { id }));
    if (!hasRegistryServiceEndpoint(subnet)) {
      throw fail(armText('subnetWithoutServiceEndpoint', { subnet: subnet.name, vnet: address.vnet, endpoint: SERVICE_ENDPOINT, id }));
    }
  }
  return { ...settings, ipRules, virtualNetworkRules };
}

/** An IP rule's parse failure as a message in every language. */
function ipRuleProblem(problem: ParseProblem): LocalizedText {
  switch (problem.kind) {
    case 'empty':
      return armText('ipRuleEmpty');
    case 'ipv6':
      return armText('ipRuleIpv6', { value: problem.value });
    case 'prefix':
      return armText('ipRulePrefix', { value: problem.value, prefix: problem.prefix });
    default:
      return armText('ipRuleInvalid', { value: problem.value });
  }
}

/** Whether the caller asked to save past the lock-out check. */
export function forced(context: ManagementContext): boolean {
  const header = context.request.headers['x-wharf-force'];
  const value = Array.isArray(header) ? header[0] : header;
  return context.query.get('force')?.toLowerCase() === 'true' || value?.toLowerCase() === 'true';
}

/**
 * Refuses settings that would deny the caller's own address (as public traffic), unless forced.
 * The refusal says how to keep access with any client: an IP rule for the address first (az
 * and wharf both send that), and, to save anyway, the request itself as `az rest` with
 * force=true, since `az acr update` can send neither the query parameter nor the header.
 */
export async function checkLockout(context: ManagementContext, registryName: string, settings: NetworkSettings): Promise<void> {
  if (forced(context)) return;
  const { services } = context;
  const decision = services.network.gate.evaluate({
    registry: registryName,
    settings: { ...settings, updatedAt: '' },
    subnets: await services.store.network.allSubnets(),
    clientIp: context.request.ip,
    arrival: { kind: 'public' },
  });
  if (decision.allowed) return;
  const ip = displayAddress(context.request.ip);
  // An IP rule admits the address only when it is IPv4 and public access stays on.
  const ruleHelps = clientIpv4(context.request.ip) !== undefined && settings.publicNetworkAccess !== 'Disabled';
  throw armErrors.networkAccessLockout(registryName, ip, decision.reason, ruleHelps, azRestCommand(context, await context.body()));
}

/** The refused request as an `az rest` command line with force=true (a shell line, single-quoted). */
function azRestCommand(context: ManagementContext, body: Record<string, unknown>): string {
  const url = new URL(context.request.url, 'http://wharf.invalid');
  url.searchParams.set('force', 'true');
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  return `az rest --method ${context.request.method.toLowerCase()} --url ${quote(`${url.pathname}${url.search}`)} --body ${quote(JSON.stringify(body))}`;
}

export async function loadNetworkState(services: WharfServices, registry: RegistryRecord): Promise<RegistryNetworkState> {
  const [settings, replications, endpoints] = await Promise.all([
    services.store.network.registrySettings(registry.name),
    services.store.network.replications(registry.name),
    services.store.network.privateEndpoints({ registry: registry.name }),
  ]);
  return { settings, replications, endpoints };
}

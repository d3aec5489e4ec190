/**
 * A registry's network properties over ARM (networkRuleSet, publicNetworkAccess,
 * networkRuleBypassOptions, dataEndpointEnabled): read from a PUT (replace: what is missing
 * takes its default) or a PATCH (merge: only given fields change; a given networkRuleSet
 * replaces the whole rule set). The values are checked by the rules in
 * src/domain/registry-rules.ts, with the caller's checks this module builds from the request.
 */
import type { BypassOption, DefaultAction, PublicNetworkAccess } from '../../storage/metadata/network-records.js';
import type { RegistryRecord } from '../../storage/metadata/store.js';
import { JOIN_VIA_SERVICE_ENDPOINT, type LockoutCheck, type NetworkSettings, type SettingsValidation } from '../../domain/registry-rules.js';
import { armErrors, armReason, armText } from '../../kernel/arm-errors.js';
import type { ManagementContext, ManagementServices } from '../context.js';
import { isObject, optionalArray, optionalBoolean, optionalObject, optionalString, type JsonObject } from '../../kernel/json-body.js';
import type { RegistryNetworkState } from '../network/network-views.js';
import { providerState } from '../network/providers.js';

/** What this module uses of the management plane's services (context.ts): nothing else is in reach. */
type HandlerServices = Pick<ManagementServices, 'arm' | 'network' | 'store'>;
type HandlerContext = ManagementContext<HandlerServices>;

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
    if (!isObject(entry)) throw armErrors.invalidRequestContent(armReason('mustBeObjectWith', { path: at, field: 'value' }), at);
    ruleAction(entry, at);
    // az's preview API and older SDKs say ipAddressOrRange.
    const value = optionalString(entry, 'value', `${at}.value`) ?? optionalString(entry, 'ipAddressOrRange', `${at}.ipAddressOrRange`);
    if (value === undefined) throw armErrors.invalidRequestContent(armReason('fieldRequired', { path: `${at}.value` }), `${at}.value`);
    return value.trim();
  });
  const virtualNetworkRules = optionalArray(ruleSet, 'virtualNetworkRules', `${path}.virtualNetworkRules`)?.map((entry, index) => {
    const at = `${path}.virtualNetworkRules[${index}]`;
    if (!isObject(entry)) throw armErrors.invalidRequestContent(armReason('mustBeObjectWith', { path: at, field: 'id' }), at);
    ruleAction(entry, at);
    const id =
      optionalString(entry, 'id', `${at}.id`) ??
      optionalString(entry, 'virtualNetworkResourceId', `${at}.virtualNetworkResourceId`) ??
      optionalString(entry, 'virtualNetworkSubnetResourceId', `${at}.virtualNetworkSubnetResourceId`);
    if (id === undefined) throw armErrors.invalidRequestContent(armReason('fieldRequired', { path: `${at}.id` }), `${at}.id`);
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

/** Whether the caller asked to save past the lock-out check. */
function forced(context: HandlerContext): boolean {
  const header = context.request.headers['x-wharf-force'];
  const value = Array.isArray(header) ? header[0] : header;
  return context.query.get('force')?.toLowerCase() === 'true' || value?.toLowerCase() === 'true';
}

/** The refused request as an `az rest` command line with force=true (a shell line, single-quoted). */
function azRestCommand(context: HandlerContext, body: Record<string, unknown>): string {
  const url = new URL(context.request.url, 'http://wharf.invalid');
  url.searchParams.set('force', 'true');
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  return `az rest --method ${context.request.method.toLowerCase()} --url ${quote(`${url.pathname}${url.search}`)} --body ${quote(JSON.stringify(body))}`;
}

/** The checks and lookups of the request's caller that saving network settings needs. */
export function callerChecks(context: HandlerContext, body: JsonObject): { validation: Omit<SettingsValidation, 'savedSubnetRules'>; lockout: LockoutCheck } {
  const { services } = context;
  return {
    validation: {
      caller: context.caller,
      requireJoin: (given) => context.access.require(given, 'write', JOIN_VIA_SERVICE_ENDPOINT),
      providerState: (subscriptionId, namespace) => providerState(services, subscriptionId, namespace),
      subnet: (id) => services.store.network.subnet(id),
    },
    lockout: {
      clientIp: context.request.ip,
      forced: forced(context),
      evaluate: (input) => services.network.gate.evaluate(input),
      subnets: () => services.store.network.allSubnets(),
      retryCommand: azRestCommand(context, body),
    },
  };
}

export async function loadNetworkState(services: Pick<ManagementServices, 'store'>, registry: RegistryRecord): Promise<RegistryNetworkState> {
  const [settings, replications, endpoints] = await Promise.all([
    services.store.network.registrySettings(registry.name),
    services.store.network.replications(registry.name),
    services.store.network.privateEndpoints({ registry: registry.name }),
  ]);
  return { settings, replications, endpoints };
}

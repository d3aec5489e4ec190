/**
 * The rules a registry's network settings must keep, whoever changes them: the Premium-only
 * features a SKU change would strand, the values of IP and virtual network rules (validated as
 * a whole before anything is saved; ACR's "Failed to save firewall and virtual network settings
 * …" names the first cause), and the lock-out of the caller's own address. The registry service
 * applies them; ARM's what-if applies the same validation without saving.
 */
import { clientIpv4, displayAddress, parseIpRule, type ParseProblem } from '../kernel/ipv4.js';
import type { LocalizedText } from '../i18n/localized.js';
import type { NetworkGate } from './network-gate.js';
import { hasRegistryServiceEndpoint, SERVICE_ENDPOINT } from './service-endpoints.js';
import { armErrors, armReason, armText } from '../kernel/arm-errors.js';
import { parseSubnetId, CONTAINER_REGISTRY_NAMESPACE, resourceId, storeKey, VNET_TYPE } from './network-ids.js';
import { activeConnections, type RegistryNetworkState } from './network-state.js';
import { SKU_LIMITS } from './sku-limits.js';
import { defaultRegistryNetwork, type ProviderState, type RegistryNetworkSettings, type SubnetRecord } from '../storage/metadata/network-records.js';
import type { RegistrySku } from '../storage/metadata/store.js';

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

/** The Premium-only features in a set of settings, each with ACR's sentence and the field. */
function premiumFeatures(settings: NetworkSettings): { what: LocalizedText[]; message: LocalizedText; target: string }[] {
  const found: { what: LocalizedText[]; message: LocalizedText; target: string }[] = [];
  const rules = settings.ipRules.length + settings.virtualNetworkRules.length;
  if (settings.defaultAction === 'Deny' || rules > 0) {
    const parts = [
      ...(settings.defaultAction === 'Deny' ? [armReason('reasonDefaultDeny')] : []),
      ...(settings.ipRules.length ? [armReason('reasonIpRules', { count: settings.ipRules.length })] : []),
      ...(settings.virtualNetworkRules.length ? [armReason('reasonVnetRules', { count: settings.virtualNetworkRules.length })] : []),
    ];
    found.push({ what: parts, message: armText('premiumNetworkRules'), target: 'properties.networkRuleSet' });
  }
  if (settings.publicNetworkAccess === 'Disabled') {
    found.push({
      what: [armReason('reasonPublicDisabled')],
      message: armText('premiumPublicAccess'),
      target: 'properties.publicNetworkAccess',
    });
  }
  if (settings.dataEndpointEnabled) {
    found.push({
      what: [armReason('reasonDataEndpoints')],
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
export function checkSku(
  registryName: string,
  sku: RegistrySku,
  wasPremium: boolean,
  settings: NetworkSettings,
  state?: Pick<RegistryNetworkState, 'endpoints' | 'replications'>,
): void {
  if (sku === 'Premium') return;
  const features = premiumFeatures(settings);
  const connections = state ? activeConnections(state.endpoints).length : 0;
  const replications = state?.replications.length ?? 0;
  if (wasPremium) {
    const reasons = [
      ...features.flatMap((f) => f.what),
      ...(connections ? [armReason('reasonConnections', { count: connections })] : []),
      ...(replications ? [armReason('reasonReplications', { count: replications })] : []),
    ];
    if (reasons.length > 0) throw armErrors.skuDowngradeBlocked(registryName, sku, reasons);
    return;
  }
  const first = features[0];
  if (first) throw armErrors.premiumRequired(first.message, first.target);
}

/** ARM's action for adding a subnet to a service's network rules (Azure checks it on the subnet). */
export const JOIN_VIA_SERVICE_ENDPOINT = 'Microsoft.Network/virtualNetworks/subnets/joinViaServiceEndpoint/action';

/** What validating network settings needs besides the settings: the saved rules, the caller, lookups. */
export interface SettingsValidation {
  /** The subnet ids the registry's saved rules name (none for a registry not yet created). */
  savedSubnetRules: string[];
  /** Who asks, for the message of a subnet whose subscription did not register the provider. */
  caller: { name: string; objectId: string };
  /** Refuses (ARM 403) unless the caller may join the subnet (`given` is its id as the request spelled it). */
  requireJoin(given: string): Promise<void>;
  providerState(subscriptionId: string, namespace: string): Promise<ProviderState>;
  subnet(id: string): Promise<SubnetRecord | undefined>;
}

/**
 * Validates the values of `settings` for `registryName` (already known Premium when it has
 * rules): every IP rule, the rule counts, the caller's right to join each subnet the rules
 * add (403 first, before any subnet is looked up), every subnet (exists, its subscription
 * registered Microsoft.ContainerRegistry, service endpoint present). Returns the settings with the rule
 * values canonical (duplicates dropped, subnet ids lower case). Throws on the first problem.
 */
export async function validateSettings(check: SettingsValidation, registryName: string, sku: RegistrySku, settings: NetworkSettings): Promise<NetworkSettings> {
  const fail = (cause: LocalizedText) => armErrors.firewallSaveFailed(registryName, cause);
  const limits = SKU_LIMITS[sku];

  const ipRules: string[] = [];
  const seen = new Set<string>();
  for (const value of settings.ipRules) {
    const parsed = parseIpRule(value);
    if (!parsed.ok) throw fail(ipRuleProblem(parsed.problem ?? { kind: 'invalid', value }));
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
  const saved = new Set(check.savedSubnetRules.map(storeKey));
  for (const id of virtualNetworkRules) {
    if (!saved.has(id)) await check.requireJoin(given.get(id) ?? id);
  }
  for (const id of virtualNetworkRules) {
    const address = parseSubnetId(id)!;
    if ((await check.providerState(address.subscriptionId, CONTAINER_REGISTRY_NAMESPACE)) !== 'Registered') {
      const vnetId = resourceId(address.subscriptionId, address.resourceGroup, VNET_TYPE, address.vnet);
      throw fail(
        armReason('providerNotRegisteredForRule', { name: check.caller.name, objectId: check.caller.objectId, vnetId, subscriptionId: address.subscriptionId }),
      );
    }
    const subnet = await check.subnet(id);
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

/**
 * Refuses settings that would deny the caller's own address (as public traffic), unless forced.
 * The refusal says how to keep access with any client: an IP rule for the address first (az
 * and wharf both send that), and, to save anyway, the request itself as `az rest` with
 * force=true, since `az acr update` can send neither the query parameter nor the header.
 */
export async function checkLockout(check: LockoutCheck, registryName: string, settings: NetworkSettings): Promise<void> {
  if (check.forced) return;
  const decision = check.evaluate({
    registry: registryName,
    settings: { ...settings, updatedAt: '' },
    // Subnets only matter to virtual network rules.
    subnets: settings.virtualNetworkRules.length > 0 ? await check.subnets() : [],
    clientIp: check.clientIp,
    arrival: { kind: 'public' },
  });
  if (decision.allowed) return;
  const ip = displayAddress(check.clientIp);
  // An IP rule admits the address only when it is IPv4 and public access stays on.
  const ruleHelps = clientIpv4(check.clientIp) !== undefined && settings.publicNetworkAccess !== 'Disabled';
  throw armErrors.networkAccessLockout(registryName, ip, decision.reason, ruleHelps, check.retryCommand);
}

/** What the lock-out check needs: the caller's address, whether it forced the save, the gate's evaluation. */
export interface LockoutCheck {
  clientIp: string;
  forced: boolean;
  evaluate: NetworkGate['evaluate'];
  subnets(): Promise<SubnetRecord[]>;
  /** The refused request as a command that saves it anyway (shown in the refusal). */
  retryCommand: string;
}

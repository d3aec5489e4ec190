/**
 * A registry's network settings as the CLI reads and changes them: the ARM shapes
 * (`networkRuleSet`, `publicNetworkAccess`, `networkRuleBypassOptions`, `dataEndpointEnabled`),
 * the PATCH bodies `wharf update`, `wharf network-rule` and `wharf network-rule what-if` send, and
 * the lock-out refusal (409 NetworkAccessLockout) turned into advice.
 */
import { parseBooleanFlag } from './command-context.js';
import { ApiError } from './management-client.js';
import { cliError, cliText } from './cli-error.js';
import { cliTranslator } from './cli-messages.js';
import type { LocalizedText } from '../i18n/localized.js';
import type { Language } from '../i18n/index.js';

export interface IpRule {
  action?: string;
  value?: string;
  /** The preview API's name for `value` (az reads either). */
  ipAddressOrRange?: string;
}

export interface VirtualNetworkRule {
  action?: string;
  id?: string;
  /** The preview API's name for `id`. */
  virtualNetworkResourceId?: string;
}

export interface NetworkRuleSet {
  defaultAction?: string;
  ipRules?: IpRule[];
  virtualNetworkRules?: VirtualNetworkRule[];
}

export interface PrivateEndpointConnection {
  id: string;
  name: string;
  type?: string;
  properties?: {
    privateEndpoint?: { id?: string };
    privateLinkServiceConnectionState?: { status?: string; description?: string; actionsRequired?: string };
    provisioningState?: string;
  };
}

/** The registry fields the network commands read. */
export interface NetworkedRegistry {
  id: string;
  name: string;
  location?: string;
  sku?: { name: string };
  properties?: {
    loginServer?: string;
    networkRuleSet?: NetworkRuleSet;
    publicNetworkAccess?: string;
    networkRuleBypassOptions?: string;
    dataEndpointEnabled?: boolean;
    dataEndpointHostNames?: string[];
    privateEndpointConnections?: PrivateEndpointConnection[];
  };
}

/** The flags `wharf update` and `wharf network-rule what-if` share. */
export interface NetworkChangeFlags {
  publicNetworkEnabled?: string;
  defaultAction?: string;
  allowTrustedServices?: string;
  dataEndpointEnabled?: string;
}

/** What az prints when public access is turned off. */

const DEFAULT_ACTIONS = ['Allow', 'Deny'];

export function ipRuleValue(rule: IpRule): string {
  return rule.value ?? rule.ipAddressOrRange ?? '';
}

export function virtualNetworkRuleId(rule: VirtualNetworkRule): string {
  return rule.id ?? rule.virtualNetworkResourceId ?? '';
}

/** The rule set in the shape Wharf saves, whichever field names the server used. */
export function normalizeRuleSet(ruleSet: NetworkRuleSet | undefined): Required<NetworkRuleSet> {
  return {
    defaultAction: ruleSet?.defaultAction ?? 'Allow',
    ipRules: (ruleSet?.ipRules ?? []).map((r) => ({ action: r.action ?? 'Allow', value: ipRuleValue(r) })),
    virtualNetworkRules: (ruleSet?.virtualNetworkRules ?? []).map((r) => ({ action: r.action ?? 'Allow', id: virtualNetworkRuleId(r) })),
  };
}

/** 1.2.3.4 and 1.2.3.4/32 are one rule. */
export function sameIpRule(a: string, b: string): boolean {
  const bare = (v: string) => v.trim().replace(/\/32$/, '');
  return bare(a) === bare(b);
}

function defaultActionFrom(value: string): string {
  const action = DEFAULT_ACTIONS.find((a) => a.toLowerCase() === value.toLowerCase());
  if (!action) throw cliError('defaultActionValue', { value });
  return action;
}

export function hasNetworkChange(flags: NetworkChangeFlags): boolean {
  return [flags.publicNetworkEnabled, flags.defaultAction, flags.allowTrustedServices, flags.dataEndpointEnabled].some((v) => v !== undefined);
}

/** Whether building the change needs the registry's current rule set (a rule set is sent whole). */
export function needsCurrentRuleSet(flags: NetworkChangeFlags): boolean {
  return flags.defaultAction !== undefined || flags.publicNetworkEnabled !== undefined;
}

/**
 * The registry properties for the network flags, as az builds them: `--public-network-enabled
 * false` also sets the default action to Deny. The rule set is sent whole (the current IP and
 * subnet rules kept), so a server that replaces it on PATCH loses nothing.
 */
export function networkPropertiesFrom(
  flags: NetworkChangeFlags,
  current: NetworkRuleSet | undefined,
): { properties: Record<string, unknown>; warnings: LocalizedText[] } {
  const properties: Record<string, unknown> = {};
  const warnings: LocalizedText[] = [];
  let defaultAction = flags.defaultAction === undefined ? undefined : defaultActionFrom(flags.defaultAction);
  if (flags.publicNetworkEnabled !== undefined) {
    const enabled = parseBooleanFlag('--public-network-enabled', flags.publicNetworkEnabled);
    properties.publicNetworkAccess = enabled ? 'Enabled' : 'Disabled';
    if (!enabled) {
      if (defaultAction === 'Allow') throw cliError('publicNetworkDisabledDenies');
      defaultAction = 'Deny';
      warnings.push(cliText('publicEndpointWarning'));
    }
  }
  if (defaultAction !== undefined) properties.networkRuleSet = { ...normalizeRuleSet(current), defaultAction };
  if (flags.allowTrustedServices !== undefined) {
    properties.networkRuleBypassOptions = parseBooleanFlag('--allow-trusted-services', flags.allowTrustedServices) ? 'AzureServices' : 'None';
  }
  if (flags.dataEndpointEnabled !== undefined) {
    properties.dataEndpointEnabled = parseBooleanFlag('--data-endpoint-enabled', flags.dataEndpointEnabled);
  }
  return { properties, warnings };
}

/** `force=true` when --force was given: the server's lock-out protection lets the change through. */
export function forceQuery(force: boolean | undefined): Record<string, string> | undefined {
  return force ? { force: 'true' } : undefined;
}

/** Runs a save; a lock-out refusal keeps the server's words and says how to go ahead anyway. */
export async function explainingLockout<T>(save: () => Promise<T>): Promise<T> {
  try {
    return await save();
  } catch (error) {
    if (error instanceof ApiError && error.code === 'NetworkAccessLockout') {
      throw cliError('lockoutNothingSaved', { serverMessage: error.message });
    }
    throw error;
  }
}

export function printWarnings(warnings: LocalizedText[], language: Language): void {
  const t = cliTranslator(language);
  for (const warning of warnings) process.stderr.write(`${t('warningLine', { warning: warning.in(language) })}\n`);
}

/**
 * `wharf network-rule add|remove|list|what-if`: a registry's firewall rules (IP addresses and
 * ranges, virtual network subnets), as `az acr network-rule` changes them: GET the registry, then
 * PATCH its whole `networkRuleSet`. `what-if` asks the server which addresses seen in the login
 * events of the last days a change would shut out, before it is made.
 */
import type { Command } from 'commander';
import { isArmScope, subnetId, virtualNetworkId } from '../arm-ids.js';
import { runCommand, type CommandContext } from '../command-context.js';
import {
  explainingLockout,
  forceQuery,
  ipRuleValue,
  networkPropertiesFrom,
  normalizeRuleSet,
  printWarnings,
  sameIpRule,
  virtualNetworkRuleId,
  type NetworkChangeFlags,
  type NetworkRuleSet,
  type NetworkedRegistry,
} from '../network-settings.js';
import { printJson, printList, renderTable, type OutputFormat, type OutputView } from '../output.js';
import { registryPathOf, withRegistry, type RegistryFlags } from '../registry-flags.js';
import { examples } from '../localized-command.js';
import { cliError } from '../cli-error.js';
import { cliTranslator } from '../cli-messages.js';
import type { Language } from '../../i18n/index.js';

interface RuleFlags extends RegistryFlags {
  ipAddress?: string;
  subnet?: string;
  vnetName?: string;
  force?: boolean;
}

interface WhatIfFlags extends RegistryFlags, NetworkChangeFlags {
  days?: string;
  addIp?: string[];
  removeIp?: string[];
}

interface Decision {
  allowed: boolean;
  rule?: string;
  reason?: string;
}

interface WhatIfResult {
  callerIpAddress: string;
  callerDecision: Decision;
  days: number;
  shutOut: { callerIpAddress: string; identities?: string[]; lastSeen?: string; events?: number; rule?: string; reason?: string }[];
  unaffectedAddresses: number;
}

interface RuleRow {
  kind: string;
  value: string;
  action: string;
}

/** The rule given on the command line: exactly one of --ip-address and --subnet. */
function ruleOf(context: CommandContext, flags: RuleFlags): { ip: string } | { subnet: string } {
  if ((flags.ipAddress === undefined) === (flags.subnet === undefined)) throw cliError('ipAddressOrSubnet');
  if (flags.ipAddress !== undefined) {
    if (flags.vnetName) throw cliError('vnetNameWithSubnet');
    return { ip: flags.ipAddress.trim() };
  }
  const subnet = flags.subnet!;
  if (isArmScope(subnet)) return { subnet };
  // As az: a subnet name needs its virtual network, in the registry's resource group.
  if (!flags.vnetName) throw cliError('subnetNameNeedsVnet', { subnet });
  const vnet = virtualNetworkId(context.profile.subscriptionId, flags.resourceGroup ?? context.profile.resourceGroup, flags.vnetName);
  return { subnet: subnetId(vnet, subnet) };
}

function rowsOf(ruleSet: NetworkRuleSet | undefined): RuleRow[] {
  const set = normalizeRuleSet(ruleSet);
  return [
    // What happens to every address no rule names: the line that decides whether rules matter.
    { kind: 'defaultAction', value: '', action: set.defaultAction ?? 'Allow' },
    ...set.ipRules.map((r) => ({ kind: 'ipRule', value: ipRuleValue(r), action: r.action ?? 'Allow' })),
    ...set.virtualNetworkRules.map((r) => ({ kind: 'virtualNetworkRule', value: virtualNetworkRuleId(r), action: r.action ?? 'Allow' })),
  ];
}

/**
 * Every network-rule command prints the rule set the same way: a table by default (the default
 * action, then one row per rule), `-o tsv` the same cells, `-o json` the object az prints.
 */
function printRuleSet(ruleSet: NetworkRuleSet | undefined, view: OutputView): void {
  if (view.output === 'json') return printJson(normalizeRuleSet(ruleSet));
  printList(
    rowsOf(ruleSet),
    [
      { header: 'kind', value: (r) => r.kind },
      { header: 'action', value: (r) => r.action },
      { header: 'value', value: (r) => r.value },
    ],
    { output: view.output ?? 'table', language: view.language },
  );
}

async function changeRules(
  context: CommandContext,
  flags: RuleFlags,
  change: (ruleSet: ReturnType<typeof normalizeRuleSet>, rule: { ip: string } | { subnet: string }) => void,
): Promise<void> {
  const rule = ruleOf(context, flags);
  const path = registryPathOf(context, flags);
  const registry = await context.client.get<NetworkedRegistry>(path);
  const ruleSet = normalizeRuleSet(registry.properties?.networkRuleSet);
  change(ruleSet, rule);
  const updated = await explainingLockout(() =>
    context.client.patch<NetworkedRegistry>(path, { properties: { networkRuleSet: ruleSet } }, { query: forceQuery(flags.force) }),
  );
  printRuleSet(updated?.properties?.networkRuleSet ?? ruleSet, context);
}

function withRule(command: Command): Command {
  return withRegistry(command)
    .option('--ip-address <ip>', 'networkRuleOptIpAddress')
    .option('--subnet <subnet>', 'networkRuleOptSubnet')
    .option('--vnet-name <vnet>', 'networkRuleOptVnetName')
    .option('--force', 'networkRuleOptForce');
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function printWhatIf(result: WhatIfResult, format: OutputFormat | undefined, language: Language): void {
  if (format === 'json') return printJson(result);
  const t = cliTranslator(language);
  const you = result.callerDecision;
  process.stdout.write(
    you.allowed
      ? `${t('whatIfYouKeepAccess', { ip: result.callerIpAddress, rule: you.rule ?? 'allowed' })}\n`
      : `${t('whatIfYouShutOut', { ip: result.callerIpAddress, rule: you.rule ?? 'denied', reason: you.reason ?? '' })}\n`,
  );
  if (result.shutOut.length === 0) {
    process.stdout.write(`${t('whatIfNobodyShutOut', { days: result.days })}\n`);
  } else {
    process.stdout.write(`${t('whatIfShutOut', { days: result.days })}\n`);
    process.stdout.write(
      renderTable(
        result.shutOut,
        [
          { header: 'address', value: (s) => s.callerIpAddress },
          { header: 'identities', value: (s) => (s.identities ?? []).join(', ') },
          { header: 'lastSeen', value: (s) => s.lastSeen },
          { header: 'events', value: (s) => s.events },
          { header: 'rule', value: (s) => s.rule },
        ],
        language,
      ),
    );
  }
  process.stdout.write(`${t('whatIfOthersKeepAccess', { count: result.unaffectedAddresses })}\n`);
}

export function registerNetworkRuleCommands(program: Command): void {
  const group = program
    .command('network-rule')
    .description('networkRule')
    .addHelpText(
      'after',
      examples(`
  wharf network-rule list -n myregistry
  wharf network-rule what-if -n myregistry --ip-address 203.0.113.0/24
  wharf network-rule add -n myregistry --ip-address 203.0.113.0/24
  wharf network-rule remove -n myregistry --ip-address 203.0.113.0/24`),
    );

  withRule(group.command('add').description('networkRuleAdd'))
    .addHelpText('after', examples('networkRuleAddExamples'))
    .action(async (flags: RuleFlags, command: Command) =>
      runCommand(command, (context) =>
        changeRules(context, flags, (ruleSet, rule) => {
          if ('ip' in rule) {
            if (ruleSet.ipRules.some((r) => sameIpRule(ipRuleValue(r), rule.ip))) throw cliError('alreadyAllowsIp', { ip: rule.ip });
            ruleSet.ipRules.push({ action: 'Allow', value: rule.ip });
          } else {
            if (ruleSet.virtualNetworkRules.some((r) => virtualNetworkRuleId(r).toLowerCase() === rule.subnet.toLowerCase())) {
              throw cliError('alreadyAllowsSubnet', { subnet: rule.subnet });
            }
            ruleSet.virtualNetworkRules.push({ action: 'Allow', id: rule.subnet });
          }
        }),
      ),
    );

  withRule(
    group
      .command('remove')
      .description('networkRuleRemove')
      .addHelpText(
        'after',
        examples(`
  wharf network-rule remove -n myregistry --ip-address 203.0.113.7
  wharf network-rule remove -n myregistry --vnet-name myvnet --subnet builders`),
      ),
  ).action(async (flags: RuleFlags, command: Command) =>
    runCommand(command, (context) =>
      changeRules(context, flags, (ruleSet, rule) => {
        if ('ip' in rule) {
          const kept = ruleSet.ipRules.filter((r) => !sameIpRule(ipRuleValue(r), rule.ip));
          if (kept.length === ruleSet.ipRules.length) throw cliError('noIpRule', { ip: rule.ip });
          ruleSet.ipRules = kept;
        } else {
          const kept = ruleSet.virtualNetworkRules.filter((r) => virtualNetworkRuleId(r).toLowerCase() !== rule.subnet.toLowerCase());
          if (kept.length === ruleSet.virtualNetworkRules.length) throw cliError('noSubnetRule', { subnet: rule.subnet });
          ruleSet.virtualNetworkRules = kept;
        }
      }),
    ),
  );

  withRegistry(
    group
      .command('list')
      .description('networkRuleList')
      .addHelpText(
        'after',
        examples(`
  wharf network-rule list -n myregistry
  wharf network-rule list -n myregistry -o json`),
      ),
  ).action(async (flags: RegistryFlags, command: Command) =>
    runCommand(command, async (context) => {
      const registry = await context.client.get<NetworkedRegistry>(registryPathOf(context, flags));
      printRuleSet(registry.properties?.networkRuleSet, context);
    }),
  );

  withRegistry(group.command('what-if').description('networkRuleWhatIf'))
    .option('--days <n>', 'networkRuleWhatIfOptDays')
    .option('--public-network-enabled <bool>', 'optPublicNetworkEnabled')
    .option('--default-action <action>', 'networkRuleWhatIfOptDefaultAction')
    .option('--allow-trusted-services <bool>', 'optPublicNetworkEnabled')
    .option('--add-ip <ip>', 'networkRuleWhatIfOptAddIp', collect)
    .option('--remove-ip <ip>', 'networkRuleWhatIfOptRemoveIp', collect)
    .addHelpText(
      'after',
      examples(`
  wharf network-rule what-if -n myregistry --default-action Deny --add-ip 203.0.113.0/24
  wharf network-rule what-if -n myregistry --public-network-enabled false --days 30`),
    )
    .action(async (flags: WhatIfFlags, command: Command) =>
      runCommand(command, async (context) => {
        let days: string | undefined;
        if (flags.days !== undefined) {
          if (!/^[1-9][0-9]*$/.test(flags.days)) throw cliError('daysValue', { value: flags.days });
          days = flags.days;
        }
        const path = registryPathOf(context, flags);
        const registry = await context.client.get<NetworkedRegistry>(path);
        const current = registry.properties?.networkRuleSet;
        const { properties, warnings } = networkPropertiesFrom({ ...flags, dataEndpointEnabled: undefined }, current);
        if (flags.addIp?.length || flags.removeIp?.length) {
          const ruleSet = (properties.networkRuleSet as ReturnType<typeof normalizeRuleSet> | undefined) ?? normalizeRuleSet(current);
          for (const ip of flags.removeIp ?? []) {
            const kept = ruleSet.ipRules.filter((r) => !sameIpRule(ipRuleValue(r), ip));
            if (kept.length === ruleSet.ipRules.length) throw cliError('noIpRule', { ip });
            ruleSet.ipRules = kept;
          }
          for (const ip of flags.addIp ?? []) {
            if (!ruleSet.ipRules.some((r) => sameIpRule(ipRuleValue(r), ip))) ruleSet.ipRules.push({ action: 'Allow', value: ip.trim() });
          }
          properties.networkRuleSet = ruleSet;
        }
        if (Object.keys(properties).length === 0) {
          throw cliError('whatIfNeedsChange');
        }
        printWarnings(warnings, context.language);
        const result = await context.client.post<WhatIfResult>(`${path}/networkRuleWhatIf`, { properties }, { query: { days } });
        printWhatIf(result, context.output, context.language);
      }),
    );
}

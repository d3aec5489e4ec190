/**
 * `wharf create|show|list|update|delete`: registries (ARM `Microsoft.ContainerRegistry/registries`),
 * as `az acr` manages them: SKU, admin user, anonymous pull, public access, firewall default action,
 * trusted services, dedicated data endpoints.
 */
import type { Command } from 'commander';
import { requiredRegistryName } from '../registry-flags.js';
import { registriesPath, resourceGroupId, resourceGroupOf } from '../arm-ids.js';
import { parseBooleanFlag, runCommand, type CommandContext } from '../command-context.js';
import {
  explainingLockout,
  forceQuery,
  hasNetworkChange,
  needsCurrentRuleSet,
  networkPropertiesFrom,
  printWarnings,
  type NetworkChangeFlags,
  type NetworkedRegistry,
} from '../network-settings.js';
import { printList, printObject } from '../output.js';
import type { LocalizedText } from '../../i18n/localized.js';
import { examples, helpKey } from '../localized-command.js';
import { cliError } from '../cli-error.js';
import { cliTranslator } from '../cli-messages.js';

const SKUS = ['Basic', 'Standard', 'Premium'];

interface Registry {
  id: string;
  name: string;
  location?: string;
  sku?: { name: string };
  properties?: { loginServer?: string; creationDate?: string; adminUserEnabled?: boolean; anonymousPullEnabled?: boolean };
}

interface RegistryFlags {
  registry?: string;
  name?: string;
  resourceGroup?: string;
}

function registryName(context: CommandContext, flags: RegistryFlags): string {
  if (flags.registry && flags.name && flags.registry !== flags.name) throw cliError('registryOnce');
  return context.registryName(flags.registry ?? flags.name);
}

function registryPath(context: CommandContext, flags: RegistryFlags): string {
  return context.registryId(registryName(context, flags), flags.resourceGroup);
}

function skuFrom(value: string): string {
  const sku = SKUS.find((s) => s.toLowerCase() === value.toLowerCase());
  if (!sku) throw cliError('skuValue', { skus: SKUS.join(', '), value });
  return sku;
}

function withRegistry(command: Command): Command {
  return command
    .option('-n, --name <name>', 'optName')
    .option('-r, --registry <name>', 'optRegistry')
    .option('-g, --resource-group <name>', 'optResourceGroup');
}

export function registerRegistryCommands(program: Command): void {
  withRegistry(
    program
      .command('show')
      .description('registryShow')
      .addHelpText(
        'after',
        examples(`
  wharf show -n myregistry
  wharf show -n myregistry -o table
  wharf show -n myregistry -o tsv`),
      ),
  ).action(async (flags: RegistryFlags, command: Command) =>
    runCommand(command, async (context) => {
      printObject(await context.client.get<Registry>(registryPath(context, flags)), context);
    }),
  );

  program
    .command('list')
    .description('registryList')
    .addHelpText('after', examples('registryListExamples'))
    .option('-g, --resource-group <name>', 'optOnlyResourceGroup')
    .action(async (flags: { resourceGroup?: string }, command: Command) =>
      runCommand(command, async (context) => {
        printList(
          await context.client.list<Registry>(registriesPath(context.profile.subscriptionId, flags.resourceGroup)),
          [
            { header: 'name', value: (r) => r.name },
            { header: 'resourceGroup', value: (r) => resourceGroupOf(r.id) },
            { header: 'location', value: (r) => r.location },
            { header: 'sku', value: (r) => r.sku?.name },
            { header: 'loginServer', value: (r) => r.properties?.loginServer },
            { header: 'creationDate', value: (r) => r.properties?.creationDate },
            { header: 'adminEnabled', value: (r) => r.properties?.adminUserEnabled },
          ],
          context,
        );
      }),
    );

  withRegistry(
    program
      .command('update')
      .description('registryUpdate')
      .option('--admin-enabled <bool>', 'registryUpdateOptAdminEnabled')
      .option('--anonymous-pull-enabled <bool>', 'registryUpdateOptAnonymousPullEnabled')
      .option('--sku <sku>', helpKey('registryUpdateOptSku', { skus: SKUS.join(', ') }))
      .option('--public-network-enabled <bool>', 'registryUpdateOptPublicNetworkEnabled')
      .option('--default-action <action>', 'registryUpdateOptDefaultAction')
      .option('--allow-trusted-services <bool>', 'registryUpdateOptAllowTrustedServices')
      .option('--data-endpoint-enabled <bool>', 'registryUpdateOptDataEndpointEnabled')
      .option('--force', 'registryUpdateOptForce'),
  )
    .addHelpText('after', examples('registryUpdateExamples'))
    .action(
      async (
        flags: RegistryFlags & NetworkChangeFlags & { adminEnabled?: string; anonymousPullEnabled?: string; sku?: string; force?: boolean },
        command: Command,
      ) =>
        runCommand(command, async (context) => {
          const path = registryPath(context, flags);
          const properties: Record<string, unknown> = {};
          if (flags.adminEnabled !== undefined) properties.adminUserEnabled = parseBooleanFlag('--admin-enabled', flags.adminEnabled);
          if (flags.anonymousPullEnabled !== undefined) {
            properties.anonymousPullEnabled = parseBooleanFlag('--anonymous-pull-enabled', flags.anonymousPullEnabled);
          }
          let warnings: LocalizedText[] = [];
          if (hasNetworkChange(flags)) {
            // The rule set is sent whole, so its current IP and subnet rules are read first (as az does).
            const current = needsCurrentRuleSet(flags) ? (await context.client.get<NetworkedRegistry>(path)).properties?.networkRuleSet : undefined;
            const network = networkPropertiesFrom(flags, current);
            Object.assign(properties, network.properties);
            warnings = network.warnings;
          }
          const body = {
            ...(Object.keys(properties).length > 0 ? { properties } : {}),
            ...(flags.sku ? { sku: { name: skuFrom(flags.sku) } } : {}),
          };
          if (Object.keys(body).length === 0) {
            throw cliError('registryNothingToUpdate');
          }
          printWarnings(warnings, context.language);
          const updated = await explainingLockout(() => context.client.patch<Registry>(path, body, { query: forceQuery(flags.force) }));
          printObject(updated, context);
        }),
    );

  program
    .command('create')
    .description('registryCreate')
    .addHelpText(
      'after',
      examples(`
  wharf create -n myregistry
  wharf create -n myregistry --sku Premium -l westeurope --admin-enabled true`),
    )
    .option('-n, --name <name>', 'registryCreateOptName')
    .option('-r, --registry <name>', 'optRegistry')
    .option('--sku <sku>', helpKey('registryCreateOptSku', { skus: SKUS.join(', ') }), 'Basic')
    .option('-g, --resource-group <name>', 'optResourceGroupOfProfile')
    .option('-l, --location <location>', 'registryCreateOptLocation')
    .option('--admin-enabled <bool>', 'registryCreateOptAdminEnabled')
    .action(async (flags: RegistryFlags & { sku: string; location?: string; adminEnabled?: string }, command: Command) =>
      runCommand(command, async (context) => {
        const name = requiredRegistryName(flags);
        const resourceGroup = flags.resourceGroup ?? context.profile.resourceGroup;
        // As az acr create does: a registry goes where its resource group is unless told otherwise.
        const location =
          flags.location ?? (await context.client.get<{ location: string }>(resourceGroupId(context.profile.subscriptionId, resourceGroup))).location;
        const body = {
          location,
          sku: { name: skuFrom(flags.sku) },
          properties: { adminUserEnabled: flags.adminEnabled === undefined ? false : parseBooleanFlag('--admin-enabled', flags.adminEnabled) },
        };
        printObject(await context.client.put<Registry>(context.registryId(name, resourceGroup), body), context);
      }),
    );

  program
    .command('delete')
    .description('registryDelete')
    .addHelpText(
      'after',
      examples(`
  wharf delete -n myregistry --yes`),
    )
    .option('-n, --name <name>', 'registryDeleteOptName')
    .option('-r, --registry <name>', 'optRegistry')
    .option('-g, --resource-group <name>', 'optResourceGroupOfProfile')
    .option('-y, --yes', 'registryDeleteOptYes')
    .action(async (flags: RegistryFlags & { yes?: boolean }, command: Command) => {
      const name = requiredRegistryName(flags);
      if (!flags.yes) throw cliError('confirmRegistryDelete', { name });
      await runCommand(command, async (context) => {
        await context.client.delete(context.registryId(name, flags.resourceGroup));
        process.stdout.write(`${cliTranslator(context.language)('deletedRegistry', { name })}\n`);
      });
    });
}

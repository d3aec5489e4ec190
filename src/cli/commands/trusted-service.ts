/**
 * `wharf trusted-service add|list|remove`: the managed identities that pass a registry's network
 * rules when it allows trusted services (`wharf update --allow-trusted-services true`), like the
 * Azure services ACR trusts. Wharf's own resource: `Wharf.Network/trustedServices`.
 */
import type { Command } from 'commander';
import { trustedServicesPath } from '../arm-ids.js';
import { runCommand, type CommandContext } from '../command-context.js';
import { printList, printObject } from '../output.js';
import { examples } from '../localized-command.js';
import { cliError } from '../cli-error.js';
import { cliTranslator } from '../cli-messages.js';

interface TrustedService {
  id: string;
  name: string;
  properties?: { principalId?: string; serviceType?: string; displayName?: string };
}

interface TrustedServiceFlags {
  name?: string;
  principalId?: string;
  serviceType?: string;
  subscription?: string;
}

function servicePath(context: CommandContext, flags: TrustedServiceFlags): string {
  if (!flags.name) throw cliError('trustedServiceRequired');
  return `${trustedServicesPath(flags.subscription ?? context.profile.subscriptionId)}/${flags.name}`;
}

export function registerTrustedServiceCommands(program: Command): void {
  const group = program
    .command('trusted-service')
    .description('trustedService')
    .addHelpText(
      'after',
      examples(`
  wharf trusted-service add --name ci-builder --principal-id <object id> --service-type Tasks
  wharf trusted-service list
  wharf update -n myregistry --allow-trusted-services true`),
    );

  group
    .command('add')
    .description('trustedServiceAdd')
    .requiredOption('--name <name>', 'trustedServiceAddOptName')
    .requiredOption('--principal-id <id>', 'trustedServiceAddOptPrincipalId')
    .option('--service-type <type>', 'trustedServiceAddOptServiceType', 'Tasks')
    .option('--subscription <id>', 'optSubscription')
    .addHelpText(
      'after',
      examples(`
  wharf trusted-service add --name ci-builder --principal-id <object id> --service-type Tasks
  wharf update -n myregistry --allow-trusted-services true`),
    )
    .action(async (flags: TrustedServiceFlags, command: Command) =>
      runCommand(command, async (context) => {
        const body = { properties: { principalId: flags.principalId, serviceType: flags.serviceType } };
        printObject(await context.client.put<TrustedService>(servicePath(context, flags), body), context);
      }),
    );

  group
    .command('list')
    .description('trustedServiceList')
    .addHelpText(
      'after',
      examples(`
  wharf trusted-service list
  wharf trusted-service list --subscription <id> -o json`),
    )
    .option('--subscription <id>', 'optSubscription')
    .action(async (flags: TrustedServiceFlags, command: Command) =>
      runCommand(command, async (context) => {
        printList(
          await context.client.list<TrustedService>(trustedServicesPath(flags.subscription ?? context.profile.subscriptionId)),
          [
            { header: 'name', value: (s) => s.name },
            { header: 'principalId', value: (s) => s.properties?.principalId },
            { header: 'serviceType', value: (s) => s.properties?.serviceType },
          ],
          context,
        );
      }),
    );

  group
    .command('remove')
    .description('trustedServiceRemove')
    .addHelpText(
      'after',
      examples(`
  wharf trusted-service remove --name ci-builder`),
    )
    .requiredOption('--name <name>', 'trustedServiceRemoveOptName')
    .option('--subscription <id>', 'optSubscription')
    .action(async (flags: TrustedServiceFlags, command: Command) =>
      runCommand(command, async (context) => {
        await context.client.delete(servicePath(context, flags));
        process.stdout.write(`${cliTranslator(context.language)('removedTrustedService', { name: flags.name! })}\n`);
      }),
    );
}

/**
 * `wharf subscription create|show|list`: subscriptions, created as subscription aliases
 * (`Microsoft.Subscription/aliases`, what `az account alias create` calls). The creator becomes
 * Owner of the new subscription.
 */
import type { Command } from 'commander';
import { subscriptionAliasPath } from '../arm-ids.js';
import { runCommand } from '../command-context.js';
import { printList, printObject } from '../output.js';
import { examples } from '../localized-command.js';

interface Alias {
  id?: string;
  name?: string;
  properties?: { subscriptionId?: string; displayName?: string; provisioningState?: string };
}

interface Subscription {
  subscriptionId: string;
  displayName?: string;
  state?: string;
  tenantId?: string;
}

export function registerSubscriptionCommands(program: Command): void {
  const group = program
    .command('subscription')
    .description('subscription')
    .addHelpText(
      'after',
      examples(`
  wharf subscription create -n team-network --display-name "Team network"
  wharf subscription list
  wharf subscription show -n team-network`),
    );

  group
    .command('create')
    .description('subscriptionCreate')
    .requiredOption('-n, --name <alias>', 'subscriptionCreateOptName')
    .option('--display-name <name>', 'subscriptionCreateOptDisplayName')
    .option('--workload <workload>', 'subscriptionCreateOptWorkload', 'Production')
    .addHelpText(
      'after',
      examples(`
  wharf subscription create -n team-network --display-name "Team network"
  wharf provider register --namespace Microsoft.ContainerRegistry --subscription <its subscriptionId>`),
    )
    .action(async (flags: { name: string; displayName?: string; workload: string }, command: Command) =>
      runCommand(command, async (context) => {
        const body = { properties: { displayName: flags.displayName ?? flags.name, workload: flags.workload } };
        printObject(await context.client.put<Alias>(subscriptionAliasPath(flags.name), body), context);
      }),
    );

  group
    .command('show')
    .description('subscriptionShow')
    .addHelpText(
      'after',
      examples(`
  wharf subscription show -n team-network
  wharf subscription show -n team-network -o table`),
    )
    .requiredOption('-n, --name <alias>', 'subscriptionShowOptName')
    .action(async (flags: { name: string }, command: Command) =>
      runCommand(command, async (context) => {
        printObject(await context.client.get<Alias>(subscriptionAliasPath(flags.name)), context);
      }),
    );

  group
    .command('list')
    .description('subscriptionList')
    .addHelpText(
      'after',
      examples(`
  wharf subscription list
  wharf subscription list -o json`),
    )
    .action(async (_flags: unknown, command: Command) =>
      runCommand(command, async (context) => {
        printList(
          await context.client.list<Subscription>('/subscriptions'),
          [
            { header: 'subscriptionId', value: (s) => s.subscriptionId },
            { header: 'displayName', value: (s) => s.displayName },
            { header: 'state', value: (s) => s.state },
          ],
          context,
        );
      }),
    );
}

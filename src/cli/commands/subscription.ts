/**
 * `wharf subscription create|show|list`: subscriptions, created as subscription aliases
 * (`Microsoft.Subscription/aliases`, what `az account alias create` calls). The creator becomes
 * Owner of the new subscription.
 */
import type { Command } from 'commander';
import { subscriptionAliasPath } from '../arm-ids.js';
import { runCommand } from '../command-context.js';
import { printList, printObject } from '../output.js';

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
  const group = program.command('subscription').description('subscriptions: create one, list those you hold a role in')
    .addHelpText('after', `
Examples:
  wharf subscription create -n team-network --display-name "Team network"
  wharf subscription list
  wharf subscription show -n team-network`);

  group
    .command('create')
    .description('create a subscription (you become its Owner)')
    .requiredOption('-n, --name <alias>', 'the alias that names the request')
    .option('--display-name <name>', 'its display name; default the alias')
    .option('--workload <workload>', 'Production or DevTest', 'Production')
    .addHelpText('after', `
Examples:
  wharf subscription create -n team-network --display-name "Team network"
  wharf provider register --namespace Microsoft.ContainerRegistry --subscription <its subscriptionId>`)
    .action(async (flags: { name: string; displayName?: string; workload: string }, command: Command) =>
      runCommand(command, async (context) => {
        const body = { properties: { displayName: flags.displayName ?? flags.name, workload: flags.workload } };
        printObject(await context.client.put<Alias>(subscriptionAliasPath(flags.name), body), context.output);
      }),
    );

  group
    .command('show')
    .description('show a subscription alias (its subscriptionId)')
    .addHelpText('after', `
Examples:
  wharf subscription show -n team-network
  wharf subscription show -n team-network -o table`)
    .requiredOption('-n, --name <alias>', 'the alias')
    .action(async (flags: { name: string }, command: Command) =>
      runCommand(command, async (context) => {
        printObject(await context.client.get<Alias>(subscriptionAliasPath(flags.name)), context.output);
      }),
    );

  group
    .command('list')
    .description('the subscriptions you hold a role in')
    .addHelpText('after', `
Examples:
  wharf subscription list
  wharf subscription list -o json`)
    .action(async (_flags: unknown, command: Command) =>
      runCommand(command, async (context) => {
        printList(await context.client.list<Subscription>('/subscriptions'), [
          { header: 'SubscriptionId', value: (s) => s.subscriptionId },
          { header: 'DisplayName', value: (s) => s.displayName },
          { header: 'State', value: (s) => s.state },
        ], context.output);
      }),
    );
}

/**
 * `wharf provider register|unregister|show|list`: resource provider registration per
 * subscription, as `az provider` does it. A subscription must register Microsoft.ContainerRegistry
 * before its subnets can be used in a registry's network rules.
 */
import type { Command } from 'commander';
import { setTimeout as sleep } from 'node:timers/promises';
import { providerPath } from '../arm-ids.js';
import { runCommand, type CommandContext } from '../command-context.js';
import { printList, printObject } from '../output.js';
import { examples } from '../localized-command.js';
import { cliError } from '../cli-error.js';

interface Provider {
  id?: string;
  namespace: string;
  registrationState?: string;
  registrationPolicy?: string;
  resourceTypes?: { resourceType: string }[];
}

interface ProviderFlags {
  namespace?: string;
  subscription?: string;
  wait?: boolean;
}

const WAIT_TIMEOUT_MS = 120_000;

function subscriptionOf(context: CommandContext, flags: ProviderFlags): string {
  return flags.subscription ?? context.profile.subscriptionId;
}

function namespaceOf(flags: ProviderFlags): string {
  if (!flags.namespace) throw cliError('providerRequired');
  return flags.namespace;
}

/** Polls until the state settles (Registering → Registered, Unregistering → NotRegistered). */
async function settle(context: CommandContext, path: string, provider: Provider, wanted: string): Promise<Provider> {
  const deadline = Date.now() + WAIT_TIMEOUT_MS;
  while (provider.registrationState !== wanted) {
    if (Date.now() > deadline)
      throw cliError('providerStillWaiting', { namespace: provider.namespace, state: provider.registrationState ?? '', seconds: WAIT_TIMEOUT_MS / 1000 });
    await sleep(1000);
    provider = await context.client.get<Provider>(path);
  }
  return provider;
}

function registration(verb: 'register' | 'unregister', wanted: string) {
  return async (flags: ProviderFlags, command: Command) =>
    runCommand(command, async (context) => {
      const path = providerPath(subscriptionOf(context, flags), namespaceOf(flags));
      let provider = await context.client.post<Provider>(`${path}/${verb}`);
      if (flags.wait) provider = await settle(context, path, provider ?? (await context.client.get<Provider>(path)), wanted);
      printObject(provider, context);
    });
}

function withProvider(command: Command): Command {
  return command.option('--namespace <namespace>', 'providerOptNamespace').option('--subscription <id>', 'optSubscription');
}

export function registerProviderCommands(program: Command): void {
  const group = program
    .command('provider')
    .description('provider')
    .addHelpText(
      'after',
      examples(`
  wharf provider show --namespace Microsoft.ContainerRegistry
  wharf provider register --namespace Microsoft.ContainerRegistry --wait
  wharf provider list -o table`),
    );

  withProvider(group.command('register').description('providerRegister'))
    .option('--wait', 'providerRegisterOptWait')
    .addHelpText(
      'after',
      examples(`
  wharf provider register --namespace Microsoft.ContainerRegistry --subscription <id> --wait`),
    )
    .action(registration('register', 'Registered'));

  withProvider(
    group
      .command('unregister')
      .description('providerUnregister')
      .addHelpText(
        'after',
        examples(`
  wharf provider unregister --namespace Microsoft.ContainerRegistry --subscription <id> --wait`),
      ),
  )
    .option('--wait', 'providerUnregisterOptWait')
    .action(registration('unregister', 'NotRegistered'));

  withProvider(
    group
      .command('show')
      .description('providerShow')
      .addHelpText(
        'after',
        examples(`
  wharf provider show --namespace Microsoft.ContainerRegistry
  wharf provider show --namespace Microsoft.Network --subscription <id> -o table`),
      ),
  ).action(async (flags: ProviderFlags, command: Command) =>
    runCommand(command, async (context) => {
      printObject(await context.client.get<Provider>(providerPath(subscriptionOf(context, flags), namespaceOf(flags))), context);
    }),
  );

  group
    .command('list')
    .description('providerList')
    .addHelpText(
      'after',
      examples(`
  wharf provider list
  wharf provider list --subscription <id> -o json`),
    )
    .option('--subscription <id>', 'optSubscription')
    .action(async (flags: ProviderFlags, command: Command) =>
      runCommand(command, async (context) => {
        printList(
          await context.client.list<Provider>(providerPath(subscriptionOf(context, flags))),
          [
            { header: 'namespace', value: (p) => p.namespace },
            { header: 'registrationState', value: (p) => p.registrationState },
            { header: 'registrationPolicy', value: (p) => p.registrationPolicy },
          ],
          context,
        );
      }),
    );
}

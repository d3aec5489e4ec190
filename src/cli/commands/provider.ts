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
  if (!flags.namespace) throw new Error('give the provider: --namespace, e.g. Microsoft.ContainerRegistry');
  return flags.namespace;
}

/** Polls until the state settles (Registering → Registered, Unregistering → NotRegistered). */
async function settle(context: CommandContext, path: string, provider: Provider, wanted: string): Promise<Provider> {
  const deadline = Date.now() + WAIT_TIMEOUT_MS;
  while (provider.registrationState !== wanted) {
    if (Date.now() > deadline) throw new Error(`${provider.namespace} is still ${provider.registrationState} after ${WAIT_TIMEOUT_MS / 1000} s`);
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
      printObject(provider, context.output);
    });
}

function withProvider(command: Command): Command {
  return command
    .option('--namespace <namespace>', 'the resource provider, e.g. Microsoft.ContainerRegistry')
    .option('--subscription <id>', "subscription; default the profile's");
}

export function registerProviderCommands(program: Command): void {
  const group = program.command('provider').description("a subscription's resource provider registrations (as az provider)")
    .addHelpText('after', `
Examples:
  wharf provider show --namespace Microsoft.ContainerRegistry
  wharf provider register --namespace Microsoft.ContainerRegistry --wait
  wharf provider list -o table`);

  withProvider(group.command('register').description('register a resource provider in a subscription'))
    .option('--wait', 'wait until it is Registered')
    .addHelpText('after', `
Examples:
  wharf provider register --namespace Microsoft.ContainerRegistry --subscription <id> --wait`)
    .action(registration('register', 'Registered'));

  withProvider(group.command('unregister').description('unregister a resource provider in a subscription')
    .addHelpText('after', `
Examples:
  wharf provider unregister --namespace Microsoft.ContainerRegistry --subscription <id> --wait`))
    .option('--wait', 'wait until it is NotRegistered')
    .action(registration('unregister', 'NotRegistered'));

  withProvider(group.command('show').description("a provider's registration state")
    .addHelpText('after', `
Examples:
  wharf provider show --namespace Microsoft.ContainerRegistry
  wharf provider show --namespace Microsoft.Network --subscription <id> -o table`))
    .action(async (flags: ProviderFlags, command: Command) =>
      runCommand(command, async (context) => {
        printObject(await context.client.get<Provider>(providerPath(subscriptionOf(context, flags), namespaceOf(flags))), context.output);
      }),
    );

  group
    .command('list')
    .description("every provider's registration state in a subscription")
    .addHelpText('after', `
Examples:
  wharf provider list
  wharf provider list --subscription <id> -o json`)
    .option('--subscription <id>', "subscription; default the profile's")
    .action(async (flags: ProviderFlags, command: Command) =>
      runCommand(command, async (context) => {
        printList(await context.client.list<Provider>(providerPath(subscriptionOf(context, flags))), [
          { header: 'Namespace', value: (p) => p.namespace },
          { header: 'RegistrationState', value: (p) => p.registrationState },
          { header: 'RegistrationPolicy', value: (p) => p.registrationPolicy },
        ], context.output);
      }),
    );
}

/**
 * `wharf credential show|renew`: the admin user's login (user name = registry name, two
 * passwords), as `az acr credential` shows and regenerates it. Showing the passwords is the
 * purpose of these commands.
 */
import type { Command } from 'commander';
import { runCommand, type CommandContext } from '../command-context.js';
import { printObject } from '../output.js';
import { examples } from '../localized-command.js';
import { cliError } from '../cli-error.js';

interface AdminCredentials {
  username: string;
  passwords: { name: 'password' | 'password2'; value: string }[];
}

interface RegistryFlags {
  registry?: string;
  name?: string;
  resourceGroup?: string;
}

function registryOf(context: CommandContext, flags: RegistryFlags): string {
  return context.registryId(context.registryName(flags.registry ?? flags.name), flags.resourceGroup);
}

function print(credentials: AdminCredentials, context: CommandContext): void {
  printObject(credentials, context, [
    { header: 'username', value: (c) => c.username },
    { header: 'password', value: (c) => c.passwords.find((p) => p.name === 'password')?.value },
    { header: 'password2', value: (c) => c.passwords.find((p) => p.name === 'password2')?.value },
  ]);
}

function withRegistry(command: Command): Command {
  return command
    .option('-r, --registry <name>', 'optName')
    .option('-n, --name <name>', 'credentialOptName')
    .option('-g, --resource-group <name>', 'optResourceGroup');
}

export function registerCredentialCommands(program: Command): void {
  const credential = program
    .command('credential')
    .description('credential')
    .addHelpText(
      'after',
      examples(`
  wharf update -r myregistry --admin-enabled true
  wharf credential show -r myregistry
  wharf credential renew -r myregistry --password-name password2`),
    );

  withRegistry(
    credential
      .command('show')
      .description('credentialShow')
      .addHelpText(
        'after',
        examples(`
  wharf credential show -n myregistry
  wharf credential show -n myregistry -o json`),
      ),
  ).action(async (flags: RegistryFlags, command: Command) =>
    runCommand(command, async (context) => {
      print(await context.client.post<AdminCredentials>(`${registryOf(context, flags)}/listCredentials`), context);
    }),
  );

  withRegistry(
    credential
      .command('renew')
      .description('credentialRenew')
      .addHelpText(
        'after',
        examples(`
  wharf credential renew -n myregistry --password-name password
  wharf credential renew -n myregistry --password-name password2 -o table`),
      )
      .requiredOption('--password-name <name>', 'credentialRenewOptPasswordName'),
  ).action(async (flags: RegistryFlags & { passwordName: string }, command: Command) =>
    runCommand(command, async (context) => {
      const name = flags.passwordName.toLowerCase();
      if (name !== 'password' && name !== 'password2') throw cliError('passwordNameValue', { value: flags.passwordName });
      print(await context.client.post<AdminCredentials>(`${registryOf(context, flags)}/regenerateCredential`, { name }), context);
    }),
  );
}

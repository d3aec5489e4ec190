/**
 * `wharf credential show|renew`: the admin user's login (user name = registry name, two
 * passwords), as `az acr credential` shows and regenerates it. Showing the passwords is the
 * purpose of these commands.
 */
import type { Command } from 'commander';
import { runCommand, type CommandContext } from '../command-context.js';
import { printObject } from '../output.js';

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
  printObject(credentials, context.output, [
    { header: 'Username', value: (c) => c.username },
    { header: 'Password', value: (c) => c.passwords.find((p) => p.name === 'password')?.value },
    { header: 'Password2', value: (c) => c.passwords.find((p) => p.name === 'password2')?.value },
  ]);
}

function withRegistry(command: Command): Command {
  return command
    .option('-r, --registry <name>', "registry; default the profile's, else wharf")
    .option('-n, --name <name>', 'registry (as az acr credential takes it)')
    .option('-g, --resource-group <name>', "the registry's resource group; default the profile's");
}

export function registerCredentialCommands(program: Command): void {
  const credential = program.command('credential').description("the registry's admin user (enable it with 'wharf update --admin-enabled true')")
    .addHelpText('after', `
Examples:
  wharf update -r myregistry --admin-enabled true
  wharf credential show -r myregistry
  wharf credential renew -r myregistry --password-name password2`);

  withRegistry(credential.command('show').description("show the admin user's name and passwords")
    .addHelpText('after', `
Examples:
  wharf credential show -n myregistry
  wharf credential show -n myregistry -o json`)).action(
    async (flags: RegistryFlags, command: Command) =>
      runCommand(command, async (context) => {
        print(await context.client.post<AdminCredentials>(`${registryOf(context, flags)}/listCredentials`), context);
      }),
  );

  withRegistry(
    credential
      .command('renew')
      .description('regenerate one of the admin passwords')
    .addHelpText('after', `
Examples:
  wharf credential renew -n myregistry --password-name password
  wharf credential renew -n myregistry --password-name password2 -o table`)
      .requiredOption('--password-name <name>', 'password or password2'),
  ).action(async (flags: RegistryFlags & { passwordName: string }, command: Command) =>
    runCommand(command, async (context) => {
      const name = flags.passwordName.toLowerCase();
      if (name !== 'password' && name !== 'password2') throw new Error(`--password-name is password or password2, not '${flags.passwordName}'`);
      print(await context.client.post<AdminCredentials>(`${registryOf(context, flags)}/regenerateCredential`, { name }), context);
    }),
  );
}

/**
 * `wharf sp create|list|delete|credential reset`: service principals in the server's directory
 * (Graph v1.0 applications + servicePrincipals), as `az ad sp create-for-rbac` and friends make
 * them: an application, its service principal and a client secret, optionally with a role.
 */
import type { Command } from 'commander';
import { isArmScope } from '../arm-ids.js';
import { runCommand, type CommandContext } from '../command-context.js';
import {
  addPassword,
  applicationByAppId,
  createApplication,
  createServicePrincipal,
  listServicePrincipals,
  removePassword,
  requireServicePrincipal,
} from '../directory.js';
import { printList, printObject } from '../output.js';
import { createRoleAssignment, requireRole } from './role.js';
import { examples, helpText } from '../localized-command.js';
import { cliError } from '../cli-error.js';
import { cliTranslator } from '../cli-messages.js';

const YEAR_MS = 365.25 * 86_400_000;

/** End of a new secret's validity: --end-date, --years from now, or one year (Entra's default). */
function secretEnd(flags: { years?: string; endDate?: string }): string {
  if (flags.years !== undefined && flags.endDate !== undefined) throw cliError('yearsOrEndDate');
  if (flags.endDate !== undefined) {
    const time = Date.parse(flags.endDate);
    if (Number.isNaN(time)) throw cliError('notIsoDate', { value: flags.endDate });
    if (time <= Date.now()) throw cliError('endDateInPast', { value: flags.endDate });
    return new Date(time).toISOString();
  }
  const years = flags.years === undefined ? 1 : Number(flags.years);
  if (!Number.isFinite(years) || years <= 0) throw cliError('notPositiveYears', { value: flags.years ?? '' });
  return new Date(Date.now() + years * YEAR_MS).toISOString();
}

/** --scope registry (the default) is the registry given by -r; anything else must be an ARM scope. */
function roleScope(context: CommandContext, flags: { scope?: string; registry?: string; resourceGroup?: string }): string {
  if (flags.scope && flags.scope !== 'registry') {
    if (!isArmScope(flags.scope)) throw cliError('spScopeValue', { value: flags.scope });
    return flags.scope.replace(/\/+$/, '');
  }
  return context.registryId(context.registryName(flags.registry), flags.resourceGroup);
}

interface CreateFlags {
  name: string;
  years?: string;
  endDate?: string;
  role?: string;
  scope?: string;
  registry?: string;
  resourceGroup?: string;
}

async function create(flags: CreateFlags, command: Command): Promise<void> {
  await runCommand(command, async (context) => {
    if (flags.scope && !flags.role) throw cliError('scopeNeedsRole');
    const role = flags.role ? requireRole(flags.role) : undefined;
    const endDateTime = secretEnd(flags);
    const scope = role ? roleScope(context, flags) : undefined;
    const { client } = context;
    const application = await createApplication(client, flags.name);
    const servicePrincipal = await createServicePrincipal(client, application.appId);
    const password = await addPassword(client, application.id, endDateTime);
    if (role && scope) {
      await createRoleAssignment(client, scope, role, {
        objectId: servicePrincipal.id,
        principalType: 'ServicePrincipal',
        displayName: servicePrincipal.displayName,
      });
      process.stderr.write(`${cliTranslator(context.language)('spRoleAssigned', { role: role.name, scope, appId: application.appId })}\n`);
    }
    // The one time the secret is shown: printing it is this command's purpose.
    printObject({ appId: application.appId, displayName: application.displayName, password: password.secretText, tenant: context.profile.tenantId }, context);
  });
}

export function registerServicePrincipalCommands(program: Command): void {
  const sp = program
    .command('sp')
    .description('sp')
    .addHelpText(
      'after',
      examples(`
  wharf sp create -n ci-pull --role AcrPull -r myregistry
  wharf sp list -o table
  wharf sp credential reset --id <app id>
  wharf sp delete --id <app id>`),
    );

  sp.command('create')
    .description('spCreate')
    .requiredOption('-n, --name <name>', 'spCreateOptName')
    .option('--years <n>', 'spCreateOptYears')
    .option('--end-date <date>', 'spCreateOptEndDate')
    .option('--role <role>', 'spCreateOptRole')
    .option('--scope <scope>', 'spCreateOptScope')
    .option('-r, --registry <name>', 'spCreateOptRegistry')
    .option('-g, --resource-group <name>', 'optResourceGroup')
    .addHelpText('after', helpText('spCreateHelp'))
    .action(create);

  sp.command('list')
    .description('spList')
    .addHelpText(
      'after',
      examples(`
  wharf sp list
  wharf sp list -o json`),
    )
    .action(async (_flags: object, command: Command) =>
      runCommand(command, async (context) => {
        printList(
          await listServicePrincipals(context.client),
          [
            { header: 'displayName', value: (s) => s.displayName },
            { header: 'appId', value: (s) => s.appId },
            { header: 'objectId', value: (s) => s.id },
            { header: 'type', value: (s) => s.servicePrincipalType },
          ],
          context,
        );
      }),
    );

  sp.command('delete')
    .description('spDelete')
    .addHelpText(
      'after',
      examples(`
  wharf sp delete --id <app id>`),
    )
    .requiredOption('--id <id>', 'optId')
    .action(async (flags: { id: string }, command: Command) =>
      runCommand(command, async ({ client, language }) => {
        const servicePrincipal = await requireServicePrincipal(client, flags.id);
        const application = await applicationByAppId(client, servicePrincipal.appId);
        // As in Entra, deleting the application deletes its service principal; a principal
        // without one (a managed identity) is deleted directly.
        if (application) await client.delete(`/v1.0/applications/${encodeURIComponent(application.id)}`);
        else await client.delete(`/v1.0/servicePrincipals/${encodeURIComponent(servicePrincipal.id)}`);
        process.stdout.write(`${cliTranslator(language)('deletedServicePrincipal', { appId: servicePrincipal.appId, name: servicePrincipal.displayName })}\n`);
      }),
    );

  sp.command('credential')
    .description('spCredential')
    .addHelpText(
      'after',
      examples(`
  wharf sp credential reset --id <app id> --years 2`),
    )
    .command('reset')
    .description('spCredentialReset')
    .addHelpText(
      'after',
      examples(`
  wharf sp credential reset --id <app id>
  wharf sp credential reset --id <app id> --end-date 2030-01-31T00:00:00Z --append`),
    )
    .requiredOption('--id <id>', 'optId')
    .option('--years <n>', 'spCredentialResetOptYears')
    .option('--end-date <date>', 'spCredentialResetOptEndDate')
    .option('--append', 'spCredentialResetOptAppend')
    .action(async (flags: { id: string; years?: string; endDate?: string; append?: boolean }, command: Command) =>
      runCommand(command, async (context) => {
        const { client } = context;
        const endDateTime = secretEnd(flags);
        const servicePrincipal = await requireServicePrincipal(client, flags.id);
        const application = await applicationByAppId(client, servicePrincipal.appId);
        if (!application) throw cliError('spHasNoApplication', { id: flags.id });
        const password = await addPassword(client, application.id, endDateTime);
        // Added first, removed after: a failure half-way never leaves it without a secret.
        if (!flags.append) {
          for (const old of application.passwordCredentials ?? []) {
            if (old.keyId !== password.keyId) await removePassword(client, application.id, old.keyId);
          }
        }
        printObject({ appId: application.appId, password: password.secretText, tenant: context.profile.tenantId }, context);
      }),
    );
}

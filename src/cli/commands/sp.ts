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

const YEAR_MS = 365.25 * 86_400_000;

/** End of a new secret's validity: --end-date, --years from now, or one year (Entra's default). */
function secretEnd(flags: { years?: string; endDate?: string }): string {
  if (flags.years !== undefined && flags.endDate !== undefined) throw new Error('give either --years or --end-date, not both');
  if (flags.endDate !== undefined) {
    const time = Date.parse(flags.endDate);
    if (Number.isNaN(time)) throw new Error(`'${flags.endDate}' is not a date (expected ISO 8601, e.g. 2030-01-31T00:00:00Z)`);
    if (time <= Date.now()) throw new Error(`--end-date ${flags.endDate} is in the past`);
    return new Date(time).toISOString();
  }
  const years = flags.years === undefined ? 1 : Number(flags.years);
  if (!Number.isFinite(years) || years <= 0) throw new Error(`'${flags.years}' is not a positive number of years`);
  return new Date(Date.now() + years * YEAR_MS).toISOString();
}

/** --scope registry (the default) is the registry given by -r; anything else must be an ARM scope. */
function roleScope(context: CommandContext, flags: { scope?: string; registry?: string; resourceGroup?: string }): string {
  if (flags.scope && flags.scope !== 'registry') {
    if (!isArmScope(flags.scope)) throw new Error(`--scope must be 'registry' or an ARM scope (/subscriptions/…), not '${flags.scope}'`);
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
    if (flags.scope && !flags.role) throw new Error('--scope needs --role');
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
      process.stderr.write(`Assigned ${role.name} on ${scope} to ${application.appId}.\n`);
    }
    // The one time the secret is shown: printing it is this command's purpose.
    printObject(
      { appId: application.appId, displayName: application.displayName, password: password.secretText, tenant: context.profile.tenantId },
      context.output,
    );
  });
}

export function registerServicePrincipalCommands(program: Command): void {
  const sp = program.command('sp').description('service principals: identities for automation, signing in with a client secret')
    .addHelpText('after', `
Examples:
  wharf sp create -n ci-pull --role AcrPull -r myregistry
  wharf sp list -o table
  wharf sp credential reset --id <app id>
  wharf sp delete --id <app id>`);

  sp.command('create')
    .description('create a service principal with a client secret, optionally with a role (like az ad sp create-for-rbac)')
    .requiredOption('-n, --name <name>', 'display name')
    .option('--years <n>', 'years the client secret is valid; default 1')
    .option('--end-date <date>', 'when the client secret expires (ISO 8601)')
    .option('--role <role>', 'role to assign, e.g. AcrPull, AcrPush, Owner')
    .option('--scope <scope>', "where the role applies: 'registry' (default; the registry of -r) or an ARM scope")
    .option('-r, --registry <name>', "registry for --scope registry; default the profile's, else wharf")
    .option('-g, --resource-group <name>', "the registry's resource group; default the profile's")
    .addHelpText('after', `
Prints the app id and the client secret ("password"); the secret is not shown again.

Examples:
  wharf sp create -n ci-pull --role AcrPull -r myregistry
  skopeo login --username <appId> --password <password> myregistry.localhost:8443`)
    .action(create);

  sp.command('list')
    .description('list service principals')
    .addHelpText('after', `
Examples:
  wharf sp list
  wharf sp list -o json`)
    .action(async (_flags: object, command: Command) =>
      runCommand(command, async (context) => {
        printList(await listServicePrincipals(context.client), [
          { header: 'DisplayName', value: (s) => s.displayName },
          { header: 'AppId', value: (s) => s.appId },
          { header: 'ObjectId', value: (s) => s.id },
          { header: 'Type', value: (s) => s.servicePrincipalType },
        ], context.output);
      }),
    );

  sp.command('delete')
    .description('delete a service principal (and its application, secrets and role assignments)')
    .addHelpText('after', `
Examples:
  wharf sp delete --id <app id>`)
    .requiredOption('--id <id>', 'app id or object id')
    .action(async (flags: { id: string }, command: Command) =>
      runCommand(command, async ({ client }) => {
        const servicePrincipal = await requireServicePrincipal(client, flags.id);
        const application = await applicationByAppId(client, servicePrincipal.appId);
        // As in Entra, deleting the application deletes its service principal; a principal
        // without one (a managed identity) is deleted directly.
        if (application) await client.delete(`/v1.0/applications/${encodeURIComponent(application.id)}`);
        else await client.delete(`/v1.0/servicePrincipals/${encodeURIComponent(servicePrincipal.id)}`);
        process.stdout.write(`Deleted service principal ${servicePrincipal.appId} (${servicePrincipal.displayName})\n`);
      }),
    );

  sp.command('credential')
    .description("a service principal's client secrets")
    .addHelpText('after', `
Examples:
  wharf sp credential reset --id <app id> --years 2`)
    .command('reset')
    .description('issue a new client secret and, unless --append, remove the others (like az ad sp credential reset)')
    .addHelpText('after', `
Examples:
  wharf sp credential reset --id <app id>
  wharf sp credential reset --id <app id> --end-date 2030-01-31T00:00:00Z --append`)
    .requiredOption('--id <id>', 'app id or object id')
    .option('--years <n>', 'years the new secret is valid; default 1')
    .option('--end-date <date>', 'when the new secret expires (ISO 8601)')
    .option('--append', 'keep the existing secrets')
    .action(async (flags: { id: string; years?: string; endDate?: string; append?: boolean }, command: Command) =>
      runCommand(command, async (context) => {
        const { client } = context;
        const endDateTime = secretEnd(flags);
        const servicePrincipal = await requireServicePrincipal(client, flags.id);
        const application = await applicationByAppId(client, servicePrincipal.appId);
        if (!application) throw new Error(`service principal ${flags.id} has no application: its credentials are not client secrets`);
        const password = await addPassword(client, application.id, endDateTime);
        // Added first, removed after: a failure half-way never leaves it without a secret.
        if (!flags.append) {
          for (const old of application.passwordCredentials ?? []) {
            if (old.keyId !== password.keyId) await removePassword(client, application.id, old.keyId);
          }
        }
        printObject({ appId: application.appId, password: password.secretText, tenant: context.profile.tenantId }, context.output);
      }),
    );
}

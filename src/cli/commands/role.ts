/**
 * `wharf role assignment create|list|delete`: Azure RBAC role assignments through ARM's
 * Microsoft.Authorization API, at subscription, resource group, registry or repository scope.
 */
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { ROLE_DEFINITIONS, roleById, roleByName, type RoleDefinition } from '../../access/roles.js';
import { isArmScope, isGuid, repositoryScope, roleAssignmentsPath, roleDefinitionId, subscriptionId } from '../arm-ids.js';
import { runCommand, type CommandContext } from '../command-context.js';
import { resolveAssignee, type Principal } from '../directory.js';
import type { ManagementClient } from '../management-client.js';
import { printList, printObject } from '../output.js';
import { examples, helpKey } from '../localized-command.js';
import { cliError } from '../cli-error.js';
import { cliTranslator } from '../cli-messages.js';

interface RoleAssignment {
  id: string;
  name: string;
  type: string;
  properties: { roleDefinitionId: string; principalId: string; principalType?: string; scope: string };
}

const ROLE_NAMES = Object.keys(ROLE_DEFINITIONS).join(', ');

export function requireRole(name: string): RoleDefinition {
  const role = roleByName(name) ?? (isGuid(name) ? roleById(name) : undefined);
  if (!role) throw cliError('unknownRole', { name, roles: ROLE_NAMES });
  return role;
}

export function createRoleAssignment(client: ManagementClient, scope: string, role: RoleDefinition, principal: Principal): Promise<RoleAssignment> {
  return client.put<RoleAssignment>(`${roleAssignmentsPath(scope)}/${randomUUID()}`, {
    properties: {
      roleDefinitionId: roleDefinitionId(scope, role.id),
      principalId: principal.objectId,
      principalType: principal.principalType,
    },
  });
}

interface ScopeFlags {
  scope?: string;
  registry?: string;
  repository?: string;
  resourceGroup?: string;
}

/**
 * The ARM scope the flags name: --scope as given; else the registry (--registry or the
 * profile's), or a repository in it; `fallback` when nothing was given and there is one.
 */
function scopeFrom(context: CommandContext, flags: ScopeFlags, fallback?: string): string {
  if (flags.scope) {
    if (flags.registry || flags.repository) throw cliError('scopeOrRegistry');
    if (!isArmScope(flags.scope)) throw cliError('notArmScope', { value: flags.scope });
    return flags.scope.replace(/\/+$/, '');
  }
  if (fallback && !flags.registry && !flags.repository) return fallback;
  const registry = context.registryId(context.registryName(flags.registry), flags.resourceGroup);
  return flags.repository ? repositoryScope(registry, flags.repository) : registry;
}

function roleNameOf(assignment: RoleAssignment): string {
  return roleById(assignment.properties.roleDefinitionId)?.name ?? assignment.properties.roleDefinitionId;
}

export function registerRoleCommands(program: Command): void {
  const assignment = program
    .command('role')
    .description('role')
    .addHelpText(
      'after',
      examples(`
  wharf role assignment create --assignee <app id> --role AcrPull -r myregistry
  wharf role assignment list -r myregistry`),
    )
    .command('assignment')
    .description('roleAssignment')
    .addHelpText(
      'after',
      examples(`
  wharf role assignment create --assignee <app id> --role AcrPush -r myregistry
  wharf role assignment list --assignee <app id> -o table
  wharf role assignment delete --ids <role assignment id>`),
    );

  assignment
    .command('create')
    .description('assignmentCreate')
    .requiredOption('--assignee <id>', 'assignmentCreateOptAssignee')
    .requiredOption('--role <role>', helpKey('roleAssignmentCreateOptRole', { roles: ROLE_NAMES }))
    .option('--scope <scope>', 'assignmentCreateOptScope')
    .option('-r, --registry <name>', 'assignmentCreateOptRegistry')
    .option('--repository <name>', 'assignmentCreateOptRepository')
    .option('-g, --resource-group <name>', 'optResourceGroup')
    .addHelpText(
      'after',
      examples(`
  wharf role assignment create --assignee <app id> --role AcrPull -r myregistry
  wharf role assignment create --assignee <app id> --role AcrPush -r myregistry --repository team/*`),
    )
    .action(async (flags: ScopeFlags & { assignee: string; role: string }, command: Command) =>
      runCommand(command, async (context) => {
        const role = requireRole(flags.role);
        const scope = scopeFrom(context, flags);
        const principal = await resolveAssignee(context.client, flags.assignee);
        printObject(await createRoleAssignment(context.client, scope, role, principal), context);
      }),
    );

  assignment
    .command('list')
    .description('assignmentList')
    .addHelpText(
      'after',
      examples(`
  wharf role assignment list -r myregistry
  wharf role assignment list --assignee <app id> -o json
  wharf role assignment list --scope /subscriptions/<id>/resourceGroups/<name> -o tsv`),
    )
    .option('--assignee <id>', 'assignmentListOptAssignee')
    .option('--scope <scope>', 'assignmentListOptScope')
    .option('-r, --registry <name>', 'assignmentListOptRegistry')
    .option('--repository <name>', 'assignmentListOptRepository')
    .option('-g, --resource-group <name>', 'optResourceGroup')
    .action(async (flags: ScopeFlags & { assignee?: string }, command: Command) =>
      runCommand(command, async (context) => {
        const scope = scopeFrom(context, flags, subscriptionId(context.profile.subscriptionId));
        const principal = flags.assignee ? await resolveAssignee(context.client, flags.assignee) : undefined;
        const assignments = await context.client.list<RoleAssignment>(roleAssignmentsPath(scope), {
          query: principal ? { $filter: `principalId eq '${principal.objectId}'` } : undefined,
        });
        // The server may answer assignments above the scope too (as ARM does); keep what was asked.
        const selected = principal ? assignments.filter((a) => a.properties.principalId === principal.objectId) : assignments;
        printList(
          selected,
          [
            { header: 'principal', value: (a) => a.properties.principalId },
            { header: 'type', value: (a) => a.properties.principalType },
            { header: 'role', value: roleNameOf },
            { header: 'scope', value: (a) => a.properties.scope },
            { header: 'name', value: (a) => a.name },
          ],
          context,
        );
      }),
    );

  assignment
    .command('delete')
    .description('assignmentDelete')
    .addHelpText(
      'after',
      examples(`
  wharf role assignment delete --ids $(wharf role assignment list --assignee <app id> -o json | jq -r '.[].id')`),
    )
    .requiredOption('--ids <id...>', 'assignmentDeleteOptIds')
    .action(async (flags: { ids: string[] }, command: Command) =>
      runCommand(command, async (context) => {
        for (const id of flags.ids) {
          if (!/\/providers\/Microsoft\.Authorization\/roleAssignments\/[^/]+$/i.test(id)) {
            throw cliError('notRoleAssignmentId', { value: id });
          }
          await context.client.delete(id);
          process.stdout.write(`${cliTranslator(context.language)('deletedRoleAssignment', { id })}\n`);
        }
      }),
    );
}

/**
 * `wharf directory-role list|assign|remove`: the directory roles that allow changing the
 * directory (Global Administrator, Application Administrator, User Administrator), through
 * Graph's roleManagement/directory API. A subscription role never does: an Owner of a
 * subscription manages only the applications it registered itself.
 */
import type { Command } from 'commander';
import { runCommand } from '../command-context.js';
import { resolveAssignee } from '../directory.js';
import { printList } from '../output.js';
import { examples } from '../localized-command.js';
import { cliError } from '../cli-error.js';
import { cliTranslator } from '../cli-messages.js';

interface RoleDefinition {
  id: string;
  displayName: string;
  description: string;
}

interface DirectoryRoleAssignment {
  id: string;
  roleDefinitionId: string;
  principalId: string;
}

const DEFINITIONS = '/v1.0/roleManagement/directory/roleDefinitions';
const ASSIGNMENTS = '/v1.0/roleManagement/directory/roleAssignments';

async function requireDefinition(definitions: RoleDefinition[], name: string): Promise<RoleDefinition> {
  const wanted = name.trim().toLowerCase();
  const found = definitions.find((d) => d.id === wanted || d.displayName.toLowerCase() === wanted);
  if (!found) throw cliError('notDirectoryRole', { name, roles: definitions.map((d) => d.displayName).join(', ') });
  return found;
}

export function registerDirectoryRoleCommands(program: Command): void {
  const roles = program.command('directory-role').description('directoryRole');

  roles
    .command('list')
    .description('rolesList')
    .addHelpText(
      'after',
      examples(`
  wharf directory-role list
  wharf directory-role list --definitions -o tsv`),
    )
    .option('--definitions', 'rolesListOptDefinitions')
    .action(async (flags: { definitions?: boolean }, command: Command) =>
      runCommand(command, async (context) => {
        const definitions = await context.client.list<RoleDefinition>(DEFINITIONS);
        if (flags.definitions) {
          printList(
            definitions,
            [
              { header: 'role', value: (d) => d.displayName },
              { header: 'id', value: (d) => d.id },
              { header: 'description', value: (d) => d.description },
            ],
            context,
          );
          return;
        }
        const assignments = await context.client.list<DirectoryRoleAssignment>(ASSIGNMENTS);
        printList(
          assignments,
          [
            { header: 'principal', value: (a) => a.principalId },
            { header: 'role', value: (a) => definitions.find((d) => d.id === a.roleDefinitionId)?.displayName ?? a.roleDefinitionId },
            { header: 'id', value: (a) => a.id },
          ],
          context,
        );
      }),
    );

  roles
    .command('assign')
    .description('rolesAssign')
    .addHelpText(
      'after',
      examples(`
  wharf directory-role assign --assignee <app id> --role "Application Administrator"
  wharf directory-role assign --assignee alice@example.com --role "User Administrator"`),
    )
    .requiredOption('--assignee <id>', 'optAssignee')
    .requiredOption('--role <name>', 'rolesAssignOptRole')
    .action(async (flags: { assignee: string; role: string }, command: Command) =>
      runCommand(command, async (context) => {
        const role = await requireDefinition(await context.client.list<RoleDefinition>(DEFINITIONS), flags.role);
        const principal = await resolveAssignee(context.client, flags.assignee);
        await context.client.post(ASSIGNMENTS, { principalId: principal.objectId, roleDefinitionId: role.id, directoryScopeId: '/' });
        process.stdout.write(
          `${cliTranslator(context.language)('directoryRoleAssigned', { role: role.displayName, principal: principal.displayName, objectId: principal.objectId })}\n`,
        );
      }),
    );

  roles
    .command('remove')
    .description('rolesRemove')
    .addHelpText(
      'after',
      examples(`
  wharf directory-role remove --assignee <app id> --role "Application Administrator"`),
    )
    .requiredOption('--assignee <id>', 'optAssignee')
    .requiredOption('--role <name>', 'rolesRemoveOptRole')
    .action(async (flags: { assignee: string; role: string }, command: Command) =>
      runCommand(command, async (context) => {
        const role = await requireDefinition(await context.client.list<RoleDefinition>(DEFINITIONS), flags.role);
        const principal = await resolveAssignee(context.client, flags.assignee);
        await context.client.delete(`${ASSIGNMENTS}/${role.id}_${principal.objectId}`);
        process.stdout.write(
          `${cliTranslator(context.language)('directoryRoleRemoved', { role: role.displayName, principal: principal.displayName, objectId: principal.objectId })}\n`,
        );
      }),
    );
}

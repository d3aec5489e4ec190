/**
 * `wharf scope-map create|update|show|list|delete`: the sets of repository actions that
 * repository-scoped tokens are given (ARM `registries/{r}/scopeMaps`).
 */
import type { Command } from 'commander';
import { scopeMapId } from '../arm-ids.js';
import { runCommand, type CommandContext } from '../command-context.js';
import { printList, printObject } from '../output.js';
import { REPOSITORY_ACTIONS, scopeMapActions } from '../repository-actions.js';

export interface ScopeMap {
  id: string;
  name: string;
  type: string;
  properties: { description?: string; type?: string; creationDate?: string; provisioningState?: string; actions: string[] };
}

interface RegistryFlags {
  registry?: string;
  resourceGroup?: string;
}

export function scopeMapPath(context: CommandContext, flags: RegistryFlags, name: string): string {
  return scopeMapId(context.registryId(context.registryName(flags.registry), flags.resourceGroup), name);
}

function withRegistry(command: Command): Command {
  return command
    .option('-r, --registry <name>', "registry; default the profile's, else wharf")
    .option('-g, --resource-group <name>', "the registry's resource group; default the profile's");
}

const ACTIONS_HELP = `repository then its actions (${REPOSITORY_ACTIONS.join(', ')}); repeatable`;

export function registerScopeMapCommands(program: Command): void {
  const scopeMap = program.command('scope-map').description('scope maps: the repository actions a token may perform')
    .addHelpText('after', `
Examples:
  wharf scope-map create -n team-app-pull -r myregistry --repository team/app content/read
  wharf scope-map list -r myregistry
  wharf token create -n ci -r myregistry --scope-map team-app-pull`);

  withRegistry(
    scopeMap
      .command('create')
      .description('create a scope map')
    .addHelpText('after', `
Examples:
  wharf scope-map create -n team-app-pull -r myregistry --repository team/app content/read metadata/read
  wharf scope-map create -n ci-push -r myregistry --repository team/app content/write content/read --repository team/base content/read`)
      .requiredOption('-n, --name <name>', 'scope map name (5-50 letters, digits, - and _)')
      .requiredOption('--repository <repo-and-actions...>', ACTIONS_HELP)
      .option('--description <text>', 'description'),
  )
    .addHelpText('after', `
Example:
  wharf scope-map create -n team-readers -r myregistry \\
        --repository team/app content/read metadata/read --repository team/tools content/read`)
    .action(async (flags: RegistryFlags & { name: string; repository: string[]; description?: string }, command: Command) =>
      runCommand(command, async (context) => {
        const actions = scopeMapActions(flags.repository);
        const created = await context.client.put<ScopeMap>(scopeMapPath(context, flags, flags.name), {
          properties: { ...(flags.description !== undefined ? { description: flags.description } : {}), actions },
        });
        printObject(created, context.output);
      }),
    );

  withRegistry(
    scopeMap
      .command('update')
      .description('add or remove repository actions of a scope map')
    .addHelpText('after', `
Examples:
  wharf scope-map update -n ci-push -r myregistry --add-repository team/tools content/read
  wharf scope-map update -n ci-push -r myregistry --remove-repository team/app content/write`)
      .requiredOption('-n, --name <name>', 'scope map name')
      .option('--add-repository <repo-and-actions...>', `actions to add: ${ACTIONS_HELP}`)
      .option('--remove-repository <repo-and-actions...>', `actions to remove: ${ACTIONS_HELP}`)
      .option('--description <text>', 'new description'),
  ).action(
    async (flags: RegistryFlags & { name: string; addRepository?: string[]; removeRepository?: string[]; description?: string }, command: Command) =>
      runCommand(command, async (context) => {
        if (!flags.addRepository && !flags.removeRepository && flags.description === undefined) {
          throw new Error('nothing to update: give --add-repository, --remove-repository or --description');
        }
        const path = scopeMapPath(context, flags, flags.name);
        const body: { properties: { actions?: string[]; description?: string } } = { properties: {} };
        if (flags.addRepository || flags.removeRepository) {
          const current = (await context.client.get<ScopeMap>(path)).properties.actions;
          const removed = new Set(scopeMapActions(flags.removeRepository ?? [], '--remove-repository'));
          const kept = current.filter((a) => !removed.has(a.toLowerCase()));
          const added = scopeMapActions(flags.addRepository ?? [], '--add-repository').filter(
            (a) => !kept.some((k) => k.toLowerCase() === a),
          );
          body.properties.actions = [...kept, ...added];
        }
        if (flags.description !== undefined) body.properties.description = flags.description;
        printObject(await context.client.patch<ScopeMap>(path, body), context.output);
      }),
  );

  withRegistry(scopeMap.command('show').description('show a scope map')
    .addHelpText('after', `
Examples:
  wharf scope-map show -n ci-push -r myregistry
  wharf scope-map show -n _repositories_pull -r myregistry -o table`).requiredOption('-n, --name <name>', 'scope map name')).action(
    async (flags: RegistryFlags & { name: string }, command: Command) =>
      runCommand(command, async (context) => {
        printObject(await context.client.get<ScopeMap>(scopeMapPath(context, flags, flags.name)), context.output);
      }),
  );

  withRegistry(scopeMap.command('list').description("list a registry's scope maps, the system-defined ones too")
    .addHelpText('after', `
Examples:
  wharf scope-map list -r myregistry
  wharf scope-map list -r myregistry -o json`)).action(
    async (flags: RegistryFlags, command: Command) =>
      runCommand(command, async (context) => {
        const path = `${context.registryId(context.registryName(flags.registry), flags.resourceGroup)}/scopeMaps`;
        printList(await context.client.list<ScopeMap>(path), [
          { header: 'Name', value: (m) => m.name },
          { header: 'Type', value: (m) => m.properties.type },
          { header: 'CreationDate', value: (m) => m.properties.creationDate },
          { header: 'Description', value: (m) => m.properties.description },
        ], context.output);
      }),
  );

  withRegistry(scopeMap.command('delete').description('delete a scope map (not one a token uses)')
    .addHelpText('after', `
Examples:
  wharf scope-map delete -n ci-push -r myregistry`).requiredOption('-n, --name <name>', 'scope map name')).action(
    async (flags: RegistryFlags & { name: string }, command: Command) =>
      runCommand(command, async (context) => {
        await context.client.delete(scopeMapPath(context, flags, flags.name));
        process.stdout.write(`Deleted scope map ${flags.name}\n`);
      }),
  );
}

/**
 * `wharf scope-map create|update|show|list|delete`: the sets of repository actions that
 * repository-scoped tokens are given (ARM `registries/{r}/scopeMaps`).
 */
import type { Command } from 'commander';
import { scopeMapId } from '../arm-ids.js';
import { runCommand, type CommandContext } from '../command-context.js';
import { printList, printObject } from '../output.js';
import { REPOSITORY_ACTIONS, scopeMapActions } from '../repository-actions.js';
import { examples, helpKey, helpText } from '../localized-command.js';
import { cliError } from '../cli-error.js';
import { cliTranslator } from '../cli-messages.js';

interface ScopeMap {
  id: string;
  name: string;
  type: string;
  properties: { description?: string; type?: string; creationDate?: string; provisioningState?: string; actions: string[] };
}

interface RegistryFlags {
  registry?: string;
  resourceGroup?: string;
}

function scopeMapPath(context: CommandContext, flags: RegistryFlags, name: string): string {
  return scopeMapId(context.registryId(context.registryName(flags.registry), flags.resourceGroup), name);
}

function withRegistry(command: Command): Command {
  return command.option('-r, --registry <name>', 'optName').option('-g, --resource-group <name>', 'optResourceGroup');
}

const ACTIONS = { actions: REPOSITORY_ACTIONS.join(', ') };

export function registerScopeMapCommands(program: Command): void {
  const scopeMap = program
    .command('scope-map')
    .description('scopeMap')
    .addHelpText(
      'after',
      examples(`
  wharf scope-map create -n team-app-pull -r myregistry --repository team/app content/read
  wharf scope-map list -r myregistry
  wharf token create -n ci -r myregistry --scope-map team-app-pull`),
    );

  withRegistry(
    scopeMap
      .command('create')
      .description('scopeMapCreate')
      .addHelpText(
        'after',
        examples(`
  wharf scope-map create -n team-app-pull -r myregistry --repository team/app content/read metadata/read
  wharf scope-map create -n ci-push -r myregistry --repository team/app content/write content/read --repository team/base content/read`),
      )
      .requiredOption('-n, --name <name>', 'scopeMapCreateOptName')
      .requiredOption('--repository <repo-and-actions...>', helpKey('scopeMapOptRepository', ACTIONS))
      .option('--description <text>', 'scopeMapCreateOptDescription'),
  )
    .addHelpText('after', helpText('scopeMapCreateHelp'))
    .action(async (flags: RegistryFlags & { name: string; repository: string[]; description?: string }, command: Command) =>
      runCommand(command, async (context) => {
        const actions = scopeMapActions(flags.repository);
        const created = await context.client.put<ScopeMap>(scopeMapPath(context, flags, flags.name), {
          properties: { ...(flags.description !== undefined ? { description: flags.description } : {}), actions },
        });
        printObject(created, context);
      }),
    );

  withRegistry(
    scopeMap
      .command('update')
      .description('scopeMapUpdate')
      .addHelpText(
        'after',
        examples(`
  wharf scope-map update -n ci-push -r myregistry --add-repository team/tools content/read
  wharf scope-map update -n ci-push -r myregistry --remove-repository team/app content/write`),
      )
      .requiredOption('-n, --name <name>', 'scopeMapOptName')
      .option('--add-repository <repo-and-actions...>', helpKey('scopeMapOptAddRepository', ACTIONS))
      .option('--remove-repository <repo-and-actions...>', helpKey('scopeMapOptRemoveRepository', ACTIONS))
      .option('--description <text>', 'scopeMapUpdateOptDescription'),
  ).action(async (flags: RegistryFlags & { name: string; addRepository?: string[]; removeRepository?: string[]; description?: string }, command: Command) =>
    runCommand(command, async (context) => {
      if (!flags.addRepository && !flags.removeRepository && flags.description === undefined) {
        throw cliError('scopeMapNothingToUpdate');
      }
      const path = scopeMapPath(context, flags, flags.name);
      const body: { properties: { actions?: string[]; description?: string } } = { properties: {} };
      if (flags.addRepository || flags.removeRepository) {
        const current = (await context.client.get<ScopeMap>(path)).properties.actions;
        const removed = new Set(scopeMapActions(flags.removeRepository ?? [], '--remove-repository'));
        const kept = current.filter((a) => !removed.has(a.toLowerCase()));
        const added = scopeMapActions(flags.addRepository ?? [], '--add-repository').filter((a) => !kept.some((k) => k.toLowerCase() === a));
        body.properties.actions = [...kept, ...added];
      }
      if (flags.description !== undefined) body.properties.description = flags.description;
      printObject(await context.client.patch<ScopeMap>(path, body), context);
    }),
  );

  withRegistry(
    scopeMap
      .command('show')
      .description('scopeMapShow')
      .addHelpText(
        'after',
        examples(`
  wharf scope-map show -n ci-push -r myregistry
  wharf scope-map show -n _repositories_pull -r myregistry -o table`),
      )
      .requiredOption('-n, --name <name>', 'scopeMapOptName'),
  ).action(async (flags: RegistryFlags & { name: string }, command: Command) =>
    runCommand(command, async (context) => {
      printObject(await context.client.get<ScopeMap>(scopeMapPath(context, flags, flags.name)), context);
    }),
  );

  withRegistry(
    scopeMap
      .command('list')
      .description('scopeMapList')
      .addHelpText(
        'after',
        examples(`
  wharf scope-map list -r myregistry
  wharf scope-map list -r myregistry -o json`),
      ),
  ).action(async (flags: RegistryFlags, command: Command) =>
    runCommand(command, async (context) => {
      const path = `${context.registryId(context.registryName(flags.registry), flags.resourceGroup)}/scopeMaps`;
      printList(
        await context.client.list<ScopeMap>(path),
        [
          { header: 'name', value: (m) => m.name },
          { header: 'type', value: (m) => m.properties.type },
          { header: 'creationDate', value: (m) => m.properties.creationDate },
          { header: 'description', value: (m) => m.properties.description },
        ],
        context,
      );
    }),
  );

  withRegistry(
    scopeMap
      .command('delete')
      .description('scopeMapDelete')
      .addHelpText(
        'after',
        examples(`
  wharf scope-map delete -n ci-push -r myregistry`),
      )
      .requiredOption('-n, --name <name>', 'scopeMapOptName'),
  ).action(async (flags: RegistryFlags & { name: string }, command: Command) =>
    runCommand(command, async (context) => {
      await context.client.delete(scopeMapPath(context, flags, flags.name));
      process.stdout.write(`${cliTranslator(context.language)('deletedScopeMap', { name: flags.name })}\n`);
    }),
  );
}

/**
 * `wharf replication create|list|show|delete`: a registry's regions (as `az acr replication`).
 * Each region has its own data endpoint when dedicated data endpoints are on.
 */
import type { Command } from 'commander';
import { runCommand, type CommandContext } from '../command-context.js';
import { printList, printObject } from '../output.js';
import { registryPathOf, withRegistry, type RegistryFlags } from '../registry-flags.js';
import { examples } from '../localized-command.js';
import { cliError } from '../cli-error.js';
import { cliTranslator } from '../cli-messages.js';

interface Replication {
  id: string;
  name: string;
  location?: string;
  properties?: { provisioningState?: string; regionEndpointEnabled?: boolean; zoneRedundancy?: string; status?: { displayStatus?: string } };
}

interface ReplicationFlags extends RegistryFlags {
  location?: string;
  replicationName?: string;
}

/** As az: a replication is named after its location unless told otherwise. */
function replicationPath(context: CommandContext, flags: ReplicationFlags): string {
  const name = flags.name ?? flags.location?.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (!name) throw cliError('replicationRequired');
  return `${registryPathOf(context, flags, false)}/replications/${name}`;
}

function withReplication(command: Command): Command {
  return withRegistry(command, false).option('-n, --name <name>', 'replicationOptName').option('-l, --location <location>', 'replicationOptLocation');
}

export function registerReplicationCommands(program: Command): void {
  const group = program
    .command('replication')
    .description('replication')
    .addHelpText(
      'after',
      examples(`
  wharf replication create -r myregistry -l westeurope
  wharf replication list -r myregistry
  wharf replication delete -r myregistry -l westeurope`),
    );

  withReplication(group.command('create').description('replicationCreate'))
    .option('--region-endpoint-enabled <bool>', 'replicationCreateOptRegionEndpointEnabled', 'true')
    .addHelpText(
      'after',
      examples(`
  wharf replication create -r myregistry -l westeurope`),
    )
    .action(async (flags: ReplicationFlags & { regionEndpointEnabled: string }, command: Command) =>
      runCommand(command, async (context) => {
        if (!flags.location) throw cliError('regionRequired');
        const body = {
          location: flags.location,
          properties: { regionEndpointEnabled: flags.regionEndpointEnabled !== 'false', zoneRedundancy: 'Disabled' },
        };
        printObject(await context.client.put<Replication>(replicationPath(context, flags), body), context);
      }),
    );

  withRegistry(
    group
      .command('list')
      .description('replicationList')
      .addHelpText(
        'after',
        examples(`
  wharf replication list -r myregistry
  wharf replication list -r myregistry -o json`),
      ),
    false,
  ).action(async (flags: RegistryFlags, command: Command) =>
    runCommand(command, async (context) => {
      printList(
        await context.client.list<Replication>(`${registryPathOf(context, flags, false)}/replications`),
        [
          { header: 'name', value: (r) => r.name },
          { header: 'location', value: (r) => r.location },
          { header: 'provisioningState', value: (r) => r.properties?.provisioningState },
          { header: 'status', value: (r) => r.properties?.status?.displayStatus },
          { header: 'regionEndpointEnabled', value: (r) => r.properties?.regionEndpointEnabled },
        ],
        context,
      );
    }),
  );

  withReplication(
    group
      .command('show')
      .description('replicationShow')
      .addHelpText(
        'after',
        examples(`
  wharf replication show -r myregistry -l westeurope
  wharf replication show -r myregistry -n westeurope -o table`),
      ),
  ).action(async (flags: ReplicationFlags, command: Command) =>
    runCommand(command, async (context) => {
      printObject(await context.client.get<Replication>(replicationPath(context, flags)), context);
    }),
  );

  withReplication(
    group
      .command('delete')
      .description('replicationDelete')
      .addHelpText(
        'after',
        examples(`
  wharf replication delete -r myregistry -l westeurope`),
      ),
  ).action(async (flags: ReplicationFlags, command: Command) =>
    runCommand(command, async (context) => {
      const path = replicationPath(context, flags);
      await context.client.delete(path);
      process.stdout.write(`${cliTranslator(context.language)('deletedReplication', { name: path.slice(path.lastIndexOf('/') + 1) })}\n`);
    }),
  );
}

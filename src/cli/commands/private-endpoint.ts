/**
 * The registry side of private endpoints: `wharf private-endpoint-connection list|show|approve|
 * reject|delete` (as `az acr private-endpoint-connection`), and `wharf private-dns`, which prints
 * the DNS records clients need to reach the registry through its approved private endpoints.
 */
import type { Command } from 'commander';
import { lastSegment } from '../arm-ids.js';
import { runCommand, type CommandContext } from '../command-context.js';
import { ApiError } from '../management-client.js';
import type { PrivateEndpoint } from '../network-resources.js';
import type { NetworkedRegistry, PrivateEndpointConnection } from '../network-settings.js';
import { printJson, printList, printObject } from '../output.js';
import { hostOf, planPrivateDns, renderHosts, renderZone, type ApprovedEndpoint, type SkippedEndpoint } from '../private-dns-records.js';
import { registryNameOf, registryPathOf, withRegistry, type RegistryFlags } from '../registry-flags.js';
import { examples, helpText } from '../localized-command.js';
import { cliError } from '../cli-error.js';
import { cliTranslator } from '../cli-messages.js';

interface ConnectionFlags extends RegistryFlags {
  description?: string;
}

function connectionPath(context: CommandContext, flags: ConnectionFlags): string {
  if (!flags.name) throw cliError('connectionRequired');
  return `${registryPathOf(context, flags, false)}/privateEndpointConnections/${flags.name}`;
}

function statusOf(connection: PrivateEndpointConnection): string {
  return connection.properties?.privateLinkServiceConnectionState?.status ?? 'Unknown';
}

/** As az: GET the connection, set the status (and description), PUT it back. */
async function setStatus(context: CommandContext, flags: ConnectionFlags, status: 'Approved' | 'Rejected'): Promise<void> {
  const path = connectionPath(context, flags);
  const current = await context.client.get<PrivateEndpointConnection>(path);
  const body = {
    properties: {
      ...(current.properties?.privateEndpoint ? { privateEndpoint: current.properties.privateEndpoint } : {}),
      privateLinkServiceConnectionState: {
        status,
        description: flags.description ?? current.properties?.privateLinkServiceConnectionState?.description ?? '',
        actionsRequired: 'None',
      },
    },
  };
  printObject(await context.client.put<PrivateEndpointConnection>(path, body), context);
}

function withConnection(command: Command): Command {
  return withRegistry(command, false).option('-n, --name <name>', 'privateEndpointConnectionOptName');
}

function registerConnectionCommands(program: Command): void {
  const group = program
    .command('private-endpoint-connection')
    .description('privateEndpointConnection')
    .addHelpText(
      'after',
      examples(`
  wharf private-endpoint-connection list -r myregistry
  wharf private-endpoint-connection approve -r myregistry -n <connection> --description 'approved for team builds'`),
    );

  withRegistry(
    group
      .command('list')
      .description('privateEndpointConnectionList')
      .addHelpText(
        'after',
        examples(`
  wharf private-endpoint-connection list -r myregistry
  wharf private-endpoint-connection list -r myregistry -o json`),
      ),
    false,
  ).action(async (flags: RegistryFlags, command: Command) =>
    runCommand(command, async (context) => {
      const connections = await context.client.list<PrivateEndpointConnection>(`${registryPathOf(context, flags, false)}/privateEndpointConnections`);
      printList(
        connections,
        [
          { header: 'name', value: (c) => c.name },
          { header: 'privateEndpoint', value: (c) => lastSegment(c.properties?.privateEndpoint?.id ?? '') },
          { header: 'status', value: (c) => statusOf(c) },
          { header: 'description', value: (c) => c.properties?.privateLinkServiceConnectionState?.description },
          { header: 'provisioningState', value: (c) => c.properties?.provisioningState },
        ],
        context,
      );
    }),
  );

  withConnection(
    group
      .command('show')
      .description('privateEndpointConnectionShow')
      .addHelpText(
        'after',
        examples(`
  wharf private-endpoint-connection show -r myregistry -n <connection>`),
      ),
  ).action(async (flags: ConnectionFlags, command: Command) =>
    runCommand(command, async (context) => {
      printObject(await context.client.get<PrivateEndpointConnection>(connectionPath(context, flags)), context);
    }),
  );

  withConnection(
    group
      .command('approve')
      .description('privateEndpointConnectionApprove')
      .addHelpText(
        'after',
        examples(`
  wharf private-endpoint-connection approve -r myregistry -n <connection>
  wharf private-endpoint-connection approve -r myregistry -n <connection> --description 'team builds'`),
      ),
  )
    .option('--description <text>', 'optDescription')
    .action(async (flags: ConnectionFlags, command: Command) => runCommand(command, (context) => setStatus(context, flags, 'Approved')));

  withConnection(
    group
      .command('reject')
      .description('privateEndpointConnectionReject')
      .addHelpText(
        'after',
        examples(`
  wharf private-endpoint-connection reject -r myregistry -n <connection> --description 'not ours'`),
      ),
  )
    .option('--description <text>', 'optDescription')
    .action(async (flags: ConnectionFlags, command: Command) => runCommand(command, (context) => setStatus(context, flags, 'Rejected')));

  withConnection(
    group
      .command('delete')
      .description('privateEndpointConnectionDelete')
      .addHelpText(
        'after',
        examples(`
  wharf private-endpoint-connection delete -r myregistry -n <connection>`),
      ),
  ).action(async (flags: ConnectionFlags, command: Command) =>
    runCommand(command, async (context) => {
      await context.client.delete(connectionPath(context, flags));
      process.stdout.write(`${cliTranslator(context.language)('deletedConnection', { name: flags.name! })}\n`);
    }),
  );
}

function registerPrivateDnsCommand(program: Command): void {
  withRegistry(program.command('private-dns').description('privateDns'))
    .option('--format <format>', 'privateDnsOptFormat', 'zone')
    .addHelpText('after', helpText('privateDnsHelp'))
    .action(async (flags: RegistryFlags & { format: string }, command: Command) =>
      runCommand(command, async (context) => {
        if (flags.format !== 'zone' && flags.format !== 'hosts') throw cliError('formatValue', { value: flags.format });
        const name = registryNameOf(context, flags);
        const registry = await context.client.get<NetworkedRegistry>(registryPathOf(context, flags));
        const connections = registry.properties?.privateEndpointConnections ?? [];
        if (connections.length === 0) {
          throw cliError('noPrivateEndpoints', { name });
        }
        const approved: ApprovedEndpoint[] = [];
        const skipped: SkippedEndpoint[] = [];
        for (const connection of connections) {
          const endpointId = connection.properties?.privateEndpoint?.id ?? '';
          const status = statusOf(connection);
          if (status !== 'Approved') {
            skipped.push({ privateEndpoint: lastSegment(endpointId), connection: connection.name, status });
            continue;
          }
          try {
            approved.push({ endpoint: await context.client.get<PrivateEndpoint>(endpointId), connection: connection.name });
          } catch (error) {
            // An endpoint in a subscription the caller cannot read: say so, list the others.
            if (!(error instanceof ApiError)) throw error;
            skipped.push({ privateEndpoint: lastSegment(endpointId), connection: connection.name, status: `unreadable (${error.message})` });
          }
        }
        for (const s of skipped) {
          process.stderr.write(
            `${cliTranslator(context.language)('skippedEndpoint', { endpoint: s.privateEndpoint, connection: s.connection, status: s.status })}\n`,
          );
        }
        if (approved.length === 0) throw cliError('noApprovedConnection', { name });
        const plan = planPrivateDns(
          {
            registry: registry.name,
            loginHost: hostOf(registry.properties?.loginServer ?? `${registry.name}`),
            dataHosts: (registry.properties?.dataEndpointHostNames ?? []).map(hostOf),
          },
          approved,
          skipped,
        );
        if (context.output === 'json') return printJson(plan);
        process.stdout.write(flags.format === 'hosts' ? renderHosts(plan, registry.name) : renderZone(plan, registry.name));
      }),
    );
}

export function registerPrivateEndpointCommands(program: Command): void {
  registerConnectionCommands(program);
  registerPrivateDnsCommand(program);
}

/**
 * `wharf network vnet …`, `wharf network vnet subnet …` and `wharf network private-endpoint …`:
 * Wharf's `Microsoft.Network` resources, with `az network`'s command and flag names. Subnets carry
 * the address prefixes and service endpoints that registry subnet rules rely on; a private
 * endpoint binds a registry to an address of its subnet.
 */
import type { Command } from 'commander';
import {
  isArmScope,
  lastSegment,
  networkPath,
  privateEndpointId,
  registryId,
  resourceGroupId,
  resourceGroupOf,
  subnetId,
  virtualNetworkId,
} from '../arm-ids.js';
import { runCommand, type CommandContext } from '../command-context.js';
import {
  connectionOf,
  privateAddressOf,
  serviceEndpointNames,
  subnetPrefixes,
  vnetIdOfSubnet,
  type PrivateEndpoint,
  type Subnet,
  type VirtualNetwork,
} from '../network-resources.js';
import { printList, printObject, type OutputView } from '../output.js';
import { examples } from '../localized-command.js';
import { cliError } from '../cli-error.js';
import { cliTranslator } from '../cli-messages.js';

interface ScopeFlags {
  resourceGroup?: string;
  subscription?: string;
}

interface VnetFlags extends ScopeFlags {
  name: string;
  location?: string;
  addressPrefixes?: string[];
  subnetName?: string;
  subnetPrefixes?: string[];
}

interface SubnetFlags extends ScopeFlags {
  vnetName: string;
  name: string;
  addressPrefixes?: string[];
  serviceEndpoints?: string[];
}

interface EndpointFlags extends ScopeFlags {
  name: string;
  vnetName?: string;
  subnet: string;
  registry?: string;
  privateConnectionResourceId?: string;
  registryResourceGroup?: string;
  connectionName?: string;
  manualRequest?: boolean;
  requestMessage?: string;
  ipAddress?: string;
  location?: string;
}

function withScope(command: Command): Command {
  return command.option('-g, --resource-group <name>', 'optResourceGroupOfProfile').option('--subscription <id>', 'optSubscription');
}

function subscriptionOf(context: CommandContext, flags: ScopeFlags): string {
  return flags.subscription ?? context.profile.subscriptionId;
}

function groupOf(context: CommandContext, flags: ScopeFlags): string {
  return flags.resourceGroup ?? context.profile.resourceGroup;
}

function vnetPath(context: CommandContext, flags: ScopeFlags, name: string): string {
  return virtualNetworkId(subscriptionOf(context, flags), groupOf(context, flags), name);
}

async function groupLocation(context: CommandContext, flags: ScopeFlags): Promise<string> {
  return (await context.client.get<{ location: string }>(resourceGroupId(subscriptionOf(context, flags), groupOf(context, flags)))).location;
}

/** One prefix goes in addressPrefix (what every client reads), several in addressPrefixes. */
function prefixProperties(prefixes: string[]): Record<string, unknown> {
  return prefixes.length === 1 ? { addressPrefix: prefixes[0] } : { addressPrefixes: prefixes };
}

/** `--service-endpoints ''` clears them, as with az. */
function serviceEndpointsFrom(names: string[]): { service: string; locations: string[] }[] {
  return names
    .flatMap((n) => n.split(/[\s,]+/))
    .filter((n) => n !== '')
    .map((service) => ({ service, locations: ['*'] }));
}

function printSubnets(subnets: Subnet[], view: OutputView): void {
  printList(
    subnets,
    [
      { header: 'name', value: (s) => s.name },
      { header: 'addressPrefixes', value: (s) => subnetPrefixes(s).join(' ') },
      { header: 'serviceEndpoints', value: (s) => serviceEndpointNames(s).join(' ') },
      { header: 'provisioningState', value: (s) => s.properties?.provisioningState },
    ],
    view,
  );
}

function registerVnetCommands(network: Command): void {
  const vnet = network
    .command('vnet')
    .description('networkVnet')
    .addHelpText(
      'after',
      examples(`
  wharf network vnet create -n myvnet --address-prefixes 10.1.0.0/16
  wharf network vnet list
  wharf network vnet subnet list --vnet-name myvnet`),
    );

  withScope(vnet.command('create').description('vnetCreate'))
    .requiredOption('-n, --name <name>', 'vnetOptName')
    .requiredOption('--address-prefixes <prefixes...>', 'vnetCreateOptAddressPrefixes')
    .option('--subnet-name <name>', 'vnetCreateOptSubnetName')
    .option('--subnet-prefixes <prefixes...>', 'vnetCreateOptSubnetPrefixes')
    .option('-l, --location <location>', 'vnetCreateOptLocation')
    .addHelpText(
      'after',
      examples(`
  wharf network vnet create -n myvnet --address-prefixes 10.1.0.0/16 --subnet-name builders --subnet-prefixes 10.1.0.0/24`),
    )
    .action(async (flags: VnetFlags, command: Command) =>
      runCommand(command, async (context) => {
        if (flags.subnetPrefixes && !flags.subnetName) throw cliError('subnetPrefixesWithName');
        if (flags.subnetName && !flags.subnetPrefixes) throw cliError('subnetNameNeedsPrefixes');
        const body = {
          location: flags.location ?? (await groupLocation(context, flags)),
          properties: {
            addressSpace: { addressPrefixes: flags.addressPrefixes },
            ...(flags.subnetName ? { subnets: [{ name: flags.subnetName, properties: prefixProperties(flags.subnetPrefixes!) }] } : {}),
          },
        };
        printObject(await context.client.put<VirtualNetwork>(vnetPath(context, flags, flags.name), body), context);
      }),
    );

  withScope(
    vnet
      .command('show')
      .description('vnetShow')
      .addHelpText(
        'after',
        examples(`
  wharf network vnet show -n myvnet
  wharf network vnet show -n myvnet -o table`),
      ),
  )
    .requiredOption('-n, --name <name>', 'vnetOptName')
    .action(async (flags: VnetFlags, command: Command) =>
      runCommand(command, async (context) => {
        printObject(await context.client.get<VirtualNetwork>(vnetPath(context, flags, flags.name)), context);
      }),
    );

  vnet
    .command('list')
    .description('vnetList')
    .addHelpText(
      'after',
      examples(`
  wharf network vnet list
  wharf network vnet list -g myresourcegroup -o json`),
    )
    .option('-g, --resource-group <name>', 'optOnlyResourceGroup')
    .option('--subscription <id>', 'optSubscription')
    .action(async (flags: ScopeFlags, command: Command) =>
      runCommand(command, async (context) => {
        const path = networkPath(subscriptionOf(context, flags), flags.resourceGroup, 'virtualNetworks');
        printList(
          await context.client.list<VirtualNetwork>(path),
          [
            { header: 'name', value: (v) => v.name },
            { header: 'resourceGroup', value: (v) => resourceGroupOf(v.id) },
            { header: 'location', value: (v) => v.location },
            { header: 'addressPrefixes', value: (v) => (v.properties?.addressSpace?.addressPrefixes ?? []).join(' ') },
            { header: 'subnets', value: (v) => (v.properties?.subnets ?? []).map((s) => s.name).join(' ') },
          ],
          context,
        );
      }),
    );

  withScope(
    vnet
      .command('delete')
      .description('vnetDelete')
      .addHelpText(
        'after',
        examples(`
  wharf network vnet delete -n myvnet`),
      ),
  )
    .requiredOption('-n, --name <name>', 'vnetOptName')
    .action(async (flags: VnetFlags, command: Command) =>
      runCommand(command, async (context) => {
        await context.client.delete(vnetPath(context, flags, flags.name));
        process.stdout.write(`${cliTranslator(context.language)('deletedVnet', { name: flags.name })}\n`);
      }),
    );

  const subnet = vnet
    .command('subnet')
    .description('vnetSubnet')
    .addHelpText(
      'after',
      examples(`
  wharf network vnet subnet create --vnet-name myvnet -n builders --address-prefixes 10.1.1.0/24 --service-endpoints Microsoft.ContainerRegistry
  wharf network vnet subnet list --vnet-name myvnet`),
    );
  const withSubnet = (command: Command) =>
    withScope(command).requiredOption('--vnet-name <name>', 'optVnetName').requiredOption('-n, --name <name>', 'subnetOptName');
  const subnetPath = (context: CommandContext, flags: SubnetFlags) => subnetId(vnetPath(context, flags, flags.vnetName), flags.name);

  withSubnet(subnet.command('create').description('subnetCreate'))
    .requiredOption('--address-prefixes <prefixes...>', 'subnetCreateOptAddressPrefixes')
    .option('--service-endpoints <services...>', 'subnetCreateOptServiceEndpoints')
    .addHelpText(
      'after',
      examples(`
  wharf network vnet subnet create --vnet-name myvnet -n builders --address-prefixes 10.1.0.0/24 --service-endpoints Microsoft.ContainerRegistry`),
    )
    .action(async (flags: SubnetFlags, command: Command) =>
      runCommand(command, async (context) => {
        const body = {
          properties: {
            ...prefixProperties(flags.addressPrefixes!),
            ...(flags.serviceEndpoints ? { serviceEndpoints: serviceEndpointsFrom(flags.serviceEndpoints) } : {}),
          },
        };
        printObject(await context.client.put<Subnet>(subnetPath(context, flags), body), context);
      }),
    );

  withSubnet(subnet.command('update').description('subnetUpdate'))
    .option('--address-prefixes <prefixes...>', 'subnetUpdateOptAddressPrefixes')
    .option('--service-endpoints <services...>', 'subnetUpdateOptServiceEndpoints')
    .addHelpText(
      'after',
      examples(`
  wharf network vnet subnet update --vnet-name myvnet -n builders --service-endpoints Microsoft.ContainerRegistry
  wharf network vnet subnet update --vnet-name myvnet -n builders --service-endpoints ''`),
    )
    .action(async (flags: SubnetFlags, command: Command) =>
      runCommand(command, async (context) => {
        if (!flags.addressPrefixes && !flags.serviceEndpoints) throw cliError('subnetNothingToUpdate');
        const path = subnetPath(context, flags);
        // As az: GET, change, PUT the whole subnet.
        const current = await context.client.get<Subnet>(path);
        const properties: Record<string, unknown> = { ...current.properties };
        if (flags.addressPrefixes) {
          delete properties.addressPrefix;
          delete properties.addressPrefixes;
          Object.assign(properties, prefixProperties(flags.addressPrefixes));
        }
        if (flags.serviceEndpoints) properties.serviceEndpoints = serviceEndpointsFrom(flags.serviceEndpoints);
        delete properties.provisioningState;
        printObject(await context.client.put<Subnet>(path, { properties }), context);
      }),
    );

  withSubnet(
    subnet
      .command('show')
      .description('subnetShow')
      .addHelpText(
        'after',
        examples(`
  wharf network vnet subnet show --vnet-name myvnet -n builders
  wharf network vnet subnet show --vnet-name myvnet -n builders -o table`),
      ),
  ).action(async (flags: SubnetFlags, command: Command) =>
    runCommand(command, async (context) => {
      printObject(await context.client.get<Subnet>(subnetPath(context, flags)), context);
    }),
  );

  withScope(
    subnet
      .command('list')
      .description('subnetList')
      .addHelpText(
        'after',
        examples(`
  wharf network vnet subnet list --vnet-name myvnet
  wharf network vnet subnet list --vnet-name myvnet -o tsv`),
      ),
  )
    .requiredOption('--vnet-name <name>', 'optVnetName')
    .action(async (flags: SubnetFlags, command: Command) =>
      runCommand(command, async (context) => {
        printSubnets(await context.client.list<Subnet>(`${vnetPath(context, flags, flags.vnetName)}/subnets`), context);
      }),
    );

  withSubnet(
    subnet
      .command('delete')
      .description('subnetDelete')
      .addHelpText(
        'after',
        examples(`
  wharf network vnet subnet delete --vnet-name myvnet -n builders`),
      ),
  ).action(async (flags: SubnetFlags, command: Command) =>
    runCommand(command, async (context) => {
      await context.client.delete(subnetPath(context, flags));
      process.stdout.write(`${cliTranslator(context.language)('deletedSubnet', { name: flags.name, vnet: flags.vnetName })}\n`);
    }),
  );
}

/** The registry a private endpoint connects to: a name (profile's subscription) or a full id. */
function targetRegistryId(context: CommandContext, flags: EndpointFlags): string {
  const given = flags.privateConnectionResourceId ?? flags.registry;
  if (flags.privateConnectionResourceId && flags.registry) throw cliError('endpointRegistryOnce');
  if (!given) throw cliError('endpointRegistryRequired');
  if (isArmScope(given)) return given;
  return registryId(context.profile.subscriptionId, flags.registryResourceGroup ?? context.profile.resourceGroup, given);
}

function registerPrivateEndpointCommands(network: Command): void {
  const endpoints = network
    .command('private-endpoint')
    .description('networkPrivateEndpoint')
    .addHelpText(
      'after',
      examples(`
  wharf network private-endpoint create -n myregistry-pe --vnet-name myvnet --subnet endpoints --registry myregistry
  wharf network private-endpoint list
  wharf private-endpoint-connection list -r myregistry`),
    );
  const endpointPath = (context: CommandContext, flags: ScopeFlags & { name: string }) =>
    privateEndpointId(subscriptionOf(context, flags), groupOf(context, flags), flags.name);

  withScope(endpoints.command('create').description('endpointsCreate'))
    .requiredOption('-n, --name <name>', 'privateEndpointOptName')
    .requiredOption('--subnet <subnet>', 'endpointsCreateOptSubnet')
    .option('--vnet-name <name>', 'endpointsCreateOptVnetName')
    .option('--registry <name>', 'endpointsCreateOptRegistry')
    .option('--private-connection-resource-id <id>', 'endpointsCreateOptPrivateConnectionResourceId')
    .option('--registry-resource-group <name>', 'endpointsCreateOptRegistryResourceGroup')
    .option('--connection-name <name>', 'endpointsCreateOptConnectionName')
    .option('--group-id <id>', 'endpointsCreateOptGroupId', 'registry')
    .option('--manual-request', 'endpointsCreateOptManualRequest')
    .option('--request-message <text>', 'endpointsCreateOptRequestMessage')
    .option('--ip-address <ip>', 'endpointsCreateOptIpAddress')
    .option('-l, --location <location>', 'endpointsCreateOptLocation')
    .addHelpText('after', examples('endpointsCreateExamples'))
    .action(async (flags: EndpointFlags & { groupId: string }, command: Command) =>
      runCommand(command, async (context) => {
        if (flags.groupId !== 'registry') throw cliError('groupIdValue', { value: flags.groupId });
        const subnet = isArmScope(flags.subnet)
          ? flags.subnet
          : flags.vnetName
            ? subnetId(vnetPath(context, flags, flags.vnetName), flags.subnet)
            : (() => {
                throw cliError('subnetNameNeedsVnet', { subnet: flags.subnet });
              })();
        const location = flags.location ?? (await context.client.get<VirtualNetwork>(vnetIdOfSubnet(subnet))).location;
        const connection = {
          name: flags.connectionName ?? `${flags.name}-connection`,
          properties: {
            privateLinkServiceId: targetRegistryId(context, flags),
            groupIds: ['registry'],
            ...(flags.requestMessage !== undefined ? { requestMessage: flags.requestMessage } : {}),
          },
        };
        const body = {
          location,
          properties: {
            subnet: { id: subnet },
            [flags.manualRequest ? 'manualPrivateLinkServiceConnections' : 'privateLinkServiceConnections']: [connection],
            ...(flags.ipAddress
              ? { ipConfigurations: [{ name: 'registry', properties: { groupId: 'registry', memberName: 'registry', privateIPAddress: flags.ipAddress } }] }
              : {}),
          },
        };
        const created = await context.client.put<PrivateEndpoint>(endpointPath(context, flags), body);
        if (created?.properties?.provisioningState === 'Failed') {
          const cause = (created.properties.error as { message?: string } | undefined)?.message ?? 'see its details below';
          process.stderr.write(`${cliTranslator(context.language)('endpointSavedButFailed', { name: flags.name, cause })}\n`);
        }
        const made = created ? connectionOf(created) : undefined;
        if (made?.properties?.privateLinkServiceConnectionState?.status === 'Pending') {
          const registry = lastSegment(made.properties.privateLinkServiceId ?? connection.properties.privateLinkServiceId);
          const values = { registry, connection: made.name ?? '<connection>' };
          process.stderr.write(`${cliTranslator(context.language)('connectionAwaitsApproval', values)}\n`);
        }
        printObject(created, context);
      }),
    );

  withScope(
    endpoints
      .command('show')
      .description('endpointsShow')
      .addHelpText(
        'after',
        examples(`
  wharf network private-endpoint show -n myregistry-pe
  wharf network private-endpoint show -n myregistry-pe -o table`),
      ),
  )
    .requiredOption('-n, --name <name>', 'privateEndpointOptName')
    .action(async (flags: ScopeFlags & { name: string }, command: Command) =>
      runCommand(command, async (context) => {
        printObject(await context.client.get<PrivateEndpoint>(endpointPath(context, flags)), context);
      }),
    );

  endpoints
    .command('list')
    .description('endpointsList')
    .addHelpText(
      'after',
      examples(`
  wharf network private-endpoint list
  wharf network private-endpoint list -g myresourcegroup -o tsv`),
    )
    .option('-g, --resource-group <name>', 'optOnlyResourceGroup')
    .option('--subscription <id>', 'optSubscription')
    .action(async (flags: ScopeFlags, command: Command) =>
      runCommand(command, async (context) => {
        const path = networkPath(subscriptionOf(context, flags), flags.resourceGroup, 'privateEndpoints');
        printList(
          await context.client.list<PrivateEndpoint>(path),
          [
            { header: 'name', value: (e) => e.name },
            { header: 'resourceGroup', value: (e) => resourceGroupOf(e.id) },
            { header: 'subnet', value: (e) => (e.properties?.subnet?.id ? lastSegment(e.properties.subnet.id) : '') },
            { header: 'address', value: (e) => privateAddressOf(e) },
            { header: 'registry', value: (e) => lastSegment(connectionOf(e)?.properties?.privateLinkServiceId ?? '') },
            { header: 'connection', value: (e) => connectionOf(e)?.properties?.privateLinkServiceConnectionState?.status },
            { header: 'provisioningState', value: (e) => e.properties?.provisioningState },
          ],
          context,
        );
      }),
    );

  withScope(
    endpoints
      .command('delete')
      .description('endpointsDelete')
      .addHelpText(
        'after',
        examples(`
  wharf network private-endpoint delete -n myregistry-pe`),
      ),
  )
    .requiredOption('-n, --name <name>', 'privateEndpointOptName')
    .action(async (flags: ScopeFlags & { name: string }, command: Command) =>
      runCommand(command, async (context) => {
        await context.client.delete(endpointPath(context, flags));
        process.stdout.write(`${cliTranslator(context.language)('deletedPrivateEndpoint', { name: flags.name })}\n`);
      }),
    );
}

export function registerNetworkCommands(program: Command): void {
  const network = program
    .command('network')
    .description('network')
    .addHelpText(
      'after',
      examples(`
  wharf network vnet create -n myvnet --address-prefixes 10.1.0.0/16
  wharf network vnet subnet create --vnet-name myvnet -n endpoints --address-prefixes 10.1.2.0/24
  wharf network private-endpoint create -n myregistry-pe --vnet-name myvnet --subnet endpoints --registry myregistry`),
    );
  registerVnetCommands(network);
  registerPrivateEndpointCommands(network);
}

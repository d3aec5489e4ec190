/**
 * `wharf show-endpoints`: where clients connect, as `az acr show-endpoints` prints it: the login
 * server, and the data endpoint of each region that serves blobs. A client firewall has to let
 * both through.
 */
import type { Command } from 'commander';
import { runCommand } from '../command-context.js';
import type { NetworkedRegistry } from '../network-settings.js';
import { printObject } from '../output.js';
import { hostOf } from '../private-dns-records.js';
import { registryPathOf, withRegistry, type RegistryFlags } from '../registry-flags.js';
import { examples } from '../localized-command.js';
import { cliTranslator } from '../cli-messages.js';

interface Endpoints {
  loginServer: string;
  dataEndpoints: { region: string; endpoint: string }[];
}

/** `<registry>.<region>.data.<domain>` → region. */
function regionOf(registry: string, host: string): string {
  const prefix = `${registry.toLowerCase()}.`;
  const rest = host.toLowerCase().startsWith(prefix) ? host.slice(prefix.length) : host;
  return rest.split('.')[0] ?? '';
}

export function registerEndpointCommands(program: Command): void {
  withRegistry(
    program
      .command('show-endpoints')
      .description('showEndpoints')
      .addHelpText(
        'after',
        examples(`
  wharf show-endpoints -n myregistry
  wharf show-endpoints -n myregistry -o json`),
      ),
  ).action(async (flags: RegistryFlags, command: Command) =>
    runCommand(command, async (context) => {
      const path = registryPathOf(context, flags);
      const registry = await context.client.get<NetworkedRegistry>(path);
      const loginServer = registry.properties?.loginServer ?? '';
      const hosts = registry.properties?.dataEndpointHostNames ?? [];
      let dataEndpoints: Endpoints['dataEndpoints'];
      if (registry.properties?.dataEndpointEnabled && hosts.length > 0) {
        dataEndpoints = hosts.map((endpoint) => ({ region: regionOf(registry.name, hostOf(endpoint)), endpoint }));
      } else {
        // As az does without dedicated endpoints: one entry per region, here the login server itself.
        const replications = await context.client.list<{ location?: string }>(`${path}/replications`).catch(() => [] as { location?: string }[]);
        const regions = [registry.location ?? '', ...replications.map((r) => r.location ?? '')]
          .map((r) => r.toLowerCase())
          .filter((r, i, all) => r !== '' && all.indexOf(r) === i);
        dataEndpoints = regions.map((region) => ({ region, endpoint: hostOf(loginServer) }));
        process.stderr.write(`${cliTranslator(context.language)('dataEndpointsDisabled', { name: registry.name })}\n`);
      }
      const result: Endpoints = { loginServer, dataEndpoints };
      printObject(result, context, [
        { header: 'loginServer', value: (r) => r.loginServer },
        { header: 'dataEndpoints', value: (r) => r.dataEndpoints.map((d) => `${d.region}: ${d.endpoint}`).join(', ') },
      ]);
    }),
  );
}

#!/usr/bin/env node
/** The `wharf` command. */
import { Command, Option } from 'commander';
import { endQuietlyOnBrokenPipe } from './broken-pipe.js';
import { WHARF_VERSION } from '../server/version.js';
import { OUTPUT_FORMATS } from './output.js';
import { LANGUAGES } from '../i18n/index.js';
import { registerLoginCommands } from './commands/login.js';
import { registerRegistryCommands } from './commands/registry.js';
import { registerCredentialCommands } from './commands/credential.js';
import { registerServicePrincipalCommands } from './commands/sp.js';
import { registerRoleCommands } from './commands/role.js';
import { registerDirectoryRoleCommands } from './commands/directory-role.js';
import { registerScopeMapCommands } from './commands/scope-map.js';
import { registerTokenCommands } from './commands/token.js';
import { registerLogsCommand } from './logs.js';
import { registerKeyCommands } from './commands/keys.js';
import { registerNetworkRuleCommands } from './commands/network-rule.js';
import { registerNetworkCommands } from './commands/network.js';
import { registerPrivateEndpointCommands } from './commands/private-endpoint.js';
import { registerEndpointCommands } from './commands/endpoints.js';
import { registerProviderCommands } from './commands/provider.js';
import { registerReplicationCommands } from './commands/replication.js';
import { registerTrustedServiceCommands } from './commands/trusted-service.js';
import { registerSubscriptionCommands } from './commands/subscription.js';
import { registerRepositoryCommands } from './commands/repository.js';
import { registerDiagnoseCommand } from './commands/diagnose.js';
import { registerAzSetupCommand } from './commands/az-setup.js';
import { registerImportCommands } from './commands/import.js';
import { registerGcCommands } from './commands/gc.js';
import { registerScrubCommands } from './commands/scrub.js';
import { registerCheckHealthCommand } from './commands/check-health.js';
import { registerCheckPullCommand } from './commands/check-pull.js';

endQuietlyOnBrokenPipe(process.stdout);
endQuietlyOnBrokenPipe(process.stderr);

const program = new Command()
  .name('wharf')
  .description('Wharf: a self-hosted container registry that speaks the OCI Distribution API and ACR\'s protocols')
  .version(WHARF_VERSION)
  // For the commands that call a server's management API (all but serve and ca).
  .option('--server <url>', "Wharf server (https://host:port); default the profile's, see 'wharf login'")
  .option('--ca-file <file>', "CA certificate (PEM) the server's certificate chains to; default the profile's")
  .addOption(new Option('-o, --output <format>', 'json, table or tsv; default table for lists, json for single objects').choices(OUTPUT_FORMATS))
  .addOption(new Option('--lang <language>', 'language of messages: en, fr, sv, pl or pt-BR; default from LC_ALL/LANG').choices([...LANGUAGES, 'pt', 'pt_BR']))
  .showHelpAfterError('(add --help for usage)')
  .configureHelp({ showGlobalOptions: true });

program
  .command('serve')
  .description('run the registry server')
  .option('-c, --config <file>', 'config file (JSON or YAML); also WHARF_CONFIG')
  .option('-d, --data <dir>', 'data directory (metadata, blobs, TLS); default .wharf, also WHARF_DATA')
  .option('-p, --port <n>', 'port to listen on; default 8443, also WHARF_PORT')
  .option('--host <addr>', 'address to listen on; default 127.0.0.1, also WHARF_HOST')
  .option('--public-port <n>', 'port clients reach Wharf on, which login servers carry (e.g. 443 behind a port redirect or proxy); default the listening port, also WHARF_PUBLIC_PORT')
  .option('--http', 'serve plain HTTP instead of HTTPS (no TLS); also WHARF_HTTP=true')
  .option('--domain <suffix>', 'DNS suffix of login servers (<registry>.<suffix>); default localhost, also WHARF_DOMAIN')
  .addOption(
    new Option('--log-level <level>', 'log level; default info, also WHARF_LOG_LEVEL').choices([
      'fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent',
    ]),
  )
  .addOption(new Option('--log-format <format>', 'pretty (readable lines) or json; default pretty on a terminal, else json; also WHARF_LOG_FORMAT').choices(['pretty', 'json']))
  .option('--postgres <url>', 'keep metadata in PostgreSQL instead of SQLite; also WHARF_POSTGRES_URL')
  .option('--ops-listen <host:port>', 'serve /metrics, /healthz and /readyz on a separate plain-HTTP listener (e.g. 127.0.0.1:9090), and no /metrics on the main one; also WHARF_OPS_LISTEN')
  .addHelpText('after', `
Examples:
  wharf serve                         HTTPS on 127.0.0.1:8443, data in ./.wharf
  wharf serve --http --port 5000      plain HTTP
  wharf serve --ops-listen 127.0.0.1:9090 --log-format json
  wharf serve --public-port 443       on 8443, reached on 443 through a port redirect (login server localhost)
  wharf serve --data /var/lib/wharf --host 0.0.0.0 --domain registry.example.com`)
  // The server's modules load only for `serve`: every other command starts in a fraction of the time.
  .action(async (options) => (await import('./serve.js')).serveCommand(options));

program
  .command('ca')
  .description('show where the local CA certificate is and how to make clients trust it')
  .option('-d, --data <dir>', 'data directory; default .wharf, also WHARF_DATA')
  .option('-c, --config <file>', 'config file; also WHARF_CONFIG')
  .action(async (options) => (await import('./ca.js')).caCommand(options));

registerLoginCommands(program);
registerRegistryCommands(program);
registerCredentialCommands(program);
registerServicePrincipalCommands(program);
registerRoleCommands(program);
registerDirectoryRoleCommands(program);
registerScopeMapCommands(program);
registerTokenCommands(program);
registerLogsCommand(program);
registerKeyCommands(program);
registerNetworkRuleCommands(program);
registerNetworkCommands(program);
registerPrivateEndpointCommands(program);
registerEndpointCommands(program);
registerProviderCommands(program);
registerReplicationCommands(program);
registerTrustedServiceCommands(program);
registerSubscriptionCommands(program);
registerRepositoryCommands(program);
registerDiagnoseCommand(program);
registerAzSetupCommand(program);
registerImportCommands(program);
registerGcCommands(program);
registerScrubCommands(program);
registerCheckHealthCommand(program);
registerCheckPullCommand(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`wharf: ${(error as Error).message}\n`);
  process.exit(1);
});

/** The `wharf` command tree: every command, option and argument, described by keys of the help catalog. */
import { Option, type Command } from 'commander';
import { LocalizedCommand } from './localized-command.js';
import { WHARF_VERSION } from '../kernel/version.js';
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
import { examples } from './localized-command.js';

export function buildProgram(): LocalizedCommand {
  const program = new LocalizedCommand()
    .name('wharf')
    .description('wharf')
    .version(WHARF_VERSION, '-V, --version', 'versionOption')
    .helpOption('-h, --help', 'helpOption')
    .helpCommand('help [command]', 'helpCommand')
    // For the commands that call a server's management API (all but serve and ca).
    .option('--server <url>', 'mainOptServer')
    .option('--ca-file <file>', 'mainOptCaFile')
    .addOption(new Option('-o, --output <format>', 'mainOptOutput').choices(OUTPUT_FORMATS))
    .addOption(new Option('--lang <language>', 'mainOptLang').choices([...LANGUAGES, 'pt', 'pt_BR']))
    .configureHelp({ showGlobalOptions: true });

  program
    .command('serve')
    .description('serve')
    .option('-c, --config <file>', 'serveOptConfig')
    .option('-d, --data <dir>', 'serveOptData')
    .option('-p, --port <n>', 'serveOptPort')
    .option('--host <addr>', 'serveOptHost')
    .option('--public-port <n>', 'serveOptPublicPort')
    .option('--http', 'serveOptHttp')
    .option('--domain <suffix>', 'serveOptDomain')
    .addOption(new Option('--log-level <level>', 'mainOptLogLevel').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']))
    .addOption(new Option('--log-format <format>', 'mainOptLogFormat').choices(['pretty', 'json']))
    .option('--postgres <url>', 'serveOptPostgres')
    .option('--ops-listen <host:port>', 'serveOptOpsListen')
    .addHelpText('after', examples('serveExamples'))
    // The server's modules load only for `serve`: every other command starts in a fraction of the time.
    .action(async (options, command: Command) => (await import('./serve.js')).serveCommand(options, command));

  program
    .command('ca')
    .description('ca')
    .option('-d, --data <dir>', 'caOptData')
    .option('-c, --config <file>', 'caOptConfig')
    .action(async (options, command: Command) => (await import('./ca.js')).caCommand(options, command));

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
  return program;
}

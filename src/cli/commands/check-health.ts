/**
 * `wharf check-health`: az acr check-health for Wharf (src/cli/checks/check-health.ts does the
 * checks). Prints az's layout in the user's language, or the Report as JSON with -o json; each
 * error is followed by the page of Wharf's docs that explains it.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { runCommand } from '../command-context.js';
import { checkHealth } from '../checks/check-health.js';
import { printHealthReport, timeoutOf } from '../checks/print-report.js';
import { DEFAULT_REGISTRY } from '../profile.js';
import { examples } from '../localized-command.js';
import { cliError } from '../cli-error.js';

interface CheckHealthFlags {
  name?: string;
  registry?: string;
  vnet?: string;
  repository?: string;
  image?: string;
  username?: string;
  password?: string;
  ignoreErrors?: boolean;
  yes?: boolean;
  timeout?: string;
  skipEnvironment?: boolean;
}

export function registerCheckHealthCommand(program: Command): void {
  program
    .command('check-health')
    .description('checkHealth')
    .option('-n, --name <registry>', 'optName')
    .option('-r, --registry <name>', 'optRegistry')
    .option('--vnet <vnet>', 'checkHealthOptVnet')
    .option('--repository <repo>', 'checkHealthOptRepository')
    .option('--image <tag>', 'checkHealthOptImage')
    .option('--username <user>', 'checkHealthOptUsername')
    .option('--password <password>', 'optPassword')
    .option('--ignore-errors', 'checkHealthOptIgnoreErrors')
    .option('-y, --yes', 'checkHealthOptYes')
    .option('--timeout <seconds>', 'optTimeout', '5')
    .option('--skip-environment', 'checkHealthOptSkipEnvironment')
    .addHelpText(
      'after',
      examples(`
  wharf check-health -n myregistry
  wharf check-health -n myregistry --repository app --image v1 --ignore-errors
  wharf check-health -n myregistry --vnet clients-vnet
  wharf check-health -n myregistry --username ci-token --password "$TOKEN_PASSWORD" -o json`),
    )
    .action(async (flags: CheckHealthFlags, command: Command) =>
      runCommand(command, async (context) => {
        if ((flags.repository === undefined) !== (flags.image === undefined)) throw cliError('repositoryWithImage');
        const password = flags.password ?? (flags.username !== undefined ? process.env.WHARF_CHECK_PASSWORD : undefined);
        if ((flags.username === undefined) !== (password === undefined)) throw cliError('usernameWithPassword');
        const ca = context.profile.caFile ? readFileSync(context.profile.caFile, 'utf8') : undefined;
        const report = await checkHealth(context.client, context.profile, {
          registry: flags.name ?? flags.registry ?? context.profile.registry ?? DEFAULT_REGISTRY,
          vnet: flags.vnet,
          repository: flags.repository,
          image: flags.image,
          username: flags.username,
          password,
          ignoreErrors: flags.ignoreErrors ?? false,
          skipEnvironment: flags.skipEnvironment ?? false,
          timeoutMs: timeoutOf(flags.timeout),
          language: context.language,
          env: process.env,
          ca,
          caFile: context.profile.caFile,
        });
        printHealthReport(report, context.output, context.language, 'troubleshoot-network.md');
        if (!report.ok && !flags.ignoreErrors) process.exitCode = 1;
      }),
    );
}

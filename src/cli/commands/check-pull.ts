/**
 * `wharf check-pull`: the job of `az aks check-acr` — can this identity pull this repository
 * from this address? (src/cli/checks/check-pull.ts does the checks.)
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { helpText } from '../localized-command.js';
import { runCommand } from '../command-context.js';
import { checkPull, type PullIdentity } from '../checks/check-pull.js';
import { printHealthReport, timeoutOf } from '../checks/print-report.js';
import { DEFAULT_REGISTRY, type Profile } from '../profile.js';
import { cliError } from '../cli-error.js';

interface CheckPullFlags {
  name?: string;
  registry?: string;
  repository: string;
  servicePrincipal?: string;
  secret?: string;
  tenant?: string;
  managedIdentity?: boolean;
  clientId?: string;
  username?: string;
  password?: string;
  address?: string;
  timeout?: string;
}

function identityOf(flags: CheckPullFlags, profile: Profile): PullIdentity {
  const chosen = [flags.servicePrincipal !== undefined, flags.managedIdentity === true, flags.username !== undefined].filter(Boolean).length;
  if (chosen > 1) throw cliError('oneIdentity');
  if (flags.servicePrincipal !== undefined) {
    const secret = flags.secret ?? process.env.WHARF_CHECK_SECRET;
    if (!secret) throw cliError('servicePrincipalNeedsSecret');
    return { kind: 'service-principal', appId: flags.servicePrincipal, secret, tenant: flags.tenant ?? profile.tenantId };
  }
  if (flags.managedIdentity) return { kind: 'managed-identity', clientId: flags.clientId };
  if (flags.username !== undefined) {
    const password = flags.password ?? process.env.WHARF_CHECK_PASSWORD;
    if (password === undefined) throw cliError('usernameNeedsPassword');
    return { kind: 'token', username: flags.username, password };
  }
  if (flags.secret || flags.clientId || flags.password) throw cliError('identityFlagPairs');
  return { kind: 'profile' };
}

export function registerCheckPullCommand(program: Command): void {
  program
    .command('check-pull')
    .description('checkPull')
    .option('-n, --name <registry>', 'optName')
    .option('-r, --registry <name>', 'optRegistry')
    .requiredOption('--repository <repo>', 'checkPullOptRepository')
    .option('--service-principal <appId>', 'checkPullOptServicePrincipal')
    .option('--secret <secret>', 'checkPullOptSecret')
    .option('--tenant <id>', 'checkPullOptTenant')
    .option('--managed-identity', 'checkPullOptManagedIdentity')
    .option('--client-id <id>', 'checkPullOptClientId')
    .option('--username <token>', 'checkPullOptUsername')
    .option('--password <password>', 'optPassword')
    .option('--address <host[:port]>', 'checkPullOptAddress')
    .option('--timeout <seconds>', 'optTimeout', '5')
    .addHelpText('after', helpText('checkPullHelp'))
    .action(async (flags: CheckPullFlags, command: Command) =>
      runCommand(command, async (context) => {
        const ca = context.profile.caFile ? readFileSync(context.profile.caFile, 'utf8') : undefined;
        const report = await checkPull(context.client, context.profile, {
          registry: flags.name ?? flags.registry ?? context.profile.registry ?? DEFAULT_REGISTRY,
          repository: flags.repository,
          identity: identityOf(flags, context.profile),
          address: flags.address,
          timeoutMs: timeoutOf(flags.timeout),
          language: context.language,
          env: process.env,
          ca,
          caFile: context.profile.caFile,
        });
        printHealthReport(report, context.output, context.language, 'troubleshoot-login.md');
        if (!report.ok) process.exitCode = 1;
      }),
    );
}

/**
 * `wharf diagnose <correlation-id>` and `wharf diagnose -n R --ip IP [--identity ID]
 * --repository REPO --action ACTION`: asks the server to replay a data-plane request through
 * the network gate, authentication and authorization (POST …/diagnose), and prints which rule
 * decided and the command that would change the outcome, in the user's language. Exit code 1
 * when a stage denies (unless --ignore-errors).
 */
import type { Command } from 'commander';
import { diagnoseLabels, diagnoseReport } from '../checks/diagnose.js';
import { renderReportText } from '../checks/report.js';
import type { DiagnoseResult } from '../../management/resources/diagnose-types.js';
import { runCommand } from '../command-context.js';
import { printJson } from '../output.js';
import { registryPathOf, withRegistry, type RegistryFlags } from '../registry-flags.js';
import { examples } from '../localized-command.js';
import { cliError } from '../cli-error.js';

interface DiagnoseFlags extends RegistryFlags {
  ip?: string;
  identity?: string;
  repository?: string;
  action?: string;
  listener?: string;
  ignoreErrors?: boolean;
}

function bodyOf(correlationId: string | undefined, flags: DiagnoseFlags): Record<string, string> {
  const listener: Record<string, string> = flags.listener ? { listener: flags.listener } : {};
  if (correlationId !== undefined) {
    const extra = (['ip', 'identity', 'repository', 'action'] as const).filter((name) => flags[name] !== undefined);
    if (extra.length > 0) throw cliError('correlationIdAlone', { flags: extra.map((name) => `--${name}`).join(', ') });
    return { correlationId, ...listener };
  }
  if (!flags.ip) throw cliError('diagnoseWhat');
  if ((flags.repository === undefined) !== (flags.action === undefined)) throw cliError('repositoryWithAction');
  return {
    ipAddress: flags.ip,
    ...(flags.identity ? { identity: flags.identity } : {}),
    ...(flags.repository ? { repository: flags.repository, action: flags.action! } : {}),
    ...listener,
  };
}

export function registerDiagnoseCommand(program: Command): void {
  withRegistry(program.command('diagnose [correlation-id]').description('diagnose'))
    .option('--ip <address>', 'diagnoseOptIp')
    .option('--identity <id>', 'diagnoseOptIdentity')
    .option('--repository <name>', 'optRepository')
    .option('--action <action>', 'diagnoseOptAction')
    .option('--listener <address:port|endpoint>', 'diagnoseOptListener')
    .option('--ignore-errors', 'diagnoseOptIgnoreErrors')
    .addHelpText('after', examples('diagnoseExamples'))
    .action(async (correlationId: string | undefined, flags: DiagnoseFlags, command: Command) =>
      runCommand(command, async (context) => {
        const body = bodyOf(correlationId, flags);
        const result = await context.client.post<DiagnoseResult>(`${registryPathOf(context, flags)}/diagnose`, body);
        const report = diagnoseReport(result, context.language);
        if (context.output === 'json') printJson(report);
        else process.stdout.write(renderReportText(report, diagnoseLabels(context.language)));
        if (!report.ok && !flags.ignoreErrors) process.exitCode = 1;
      }),
    );
}

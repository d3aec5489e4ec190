/**
 * `wharf diagnose <correlation-id>` and `wharf diagnose -n R --ip IP [--identity ID]
 * --repository REPO --action ACTION`: asks the server to replay a data-plane request through
 * the network gate, authentication and authorization (POST …/diagnose), and prints which rule
 * decided and the command that would change the outcome, in the user's language. Exit code 1
 * when a stage denies (unless --ignore-errors).
 */
import type { Command } from 'commander';
import { diagnoseLabels, diagnoseReport } from '../../health/diagnose.js';
import { renderReportText } from '../../health/report.js';
import type { DiagnoseResult } from '../../management/resources/diagnose-types.js';
import { runCommand } from '../command-context.js';
import { printJson } from '../output.js';
import { registryPathOf, withRegistry, type RegistryFlags } from '../registry-flags.js';

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
    if (extra.length > 0) throw new Error(`a correlation id replays the recorded request: leave out --${extra.join(', --')}`);
    return { correlationId, ...listener };
  }
  if (!flags.ip) throw new Error('give a correlation id (x-ms-correlation-request-id of the response, see wharf logs), or --ip with --repository and --action');
  if ((flags.repository === undefined) !== (flags.action === undefined)) throw new Error('--repository and --action go together');
  return {
    ipAddress: flags.ip,
    ...(flags.identity ? { identity: flags.identity } : {}),
    ...(flags.repository ? { repository: flags.repository, action: flags.action! } : {}),
    ...listener,
  };
}

export function registerDiagnoseCommand(program: Command): void {
  withRegistry(program.command('diagnose [correlation-id]').description('why a registry request was or would be refused: the network gate, authentication and authorization replayed, the deciding rule and the fix'))
    .option('--ip <address>', "the client's IP address")
    .option('--identity <id>', "who: a service principal's app id, a user's sign-in name, an object id, a token name, or the registry name (admin user); default anonymous")
    .option('--repository <name>', 'the repository')
    .option('--action <action>', 'pull, push, delete, metadata_read or metadata_write')
    .option('--listener <address:port|endpoint>', 'where the request arrived: a private endpoint (its name or address:port); default the public endpoint')
    .option('--ignore-errors', 'exit 0 even when a stage denies')
    .addHelpText('after', `
Examples:
  wharf diagnose 0f8fad5b-d9cb-469f-a165-70867728950e -n myregistry     # the x-ms-correlation-request-id of a response (wharf logs)
  wharf diagnose -n myregistry --ip 203.0.113.7 --identity <app id> --repository team/app --action pull
  wharf diagnose -n myregistry --ip 10.1.0.4 --identity ci-token --repository team/app --action push --listener my-endpoint
  wharf --lang fr diagnose <correlation id> -n myregistry`)
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

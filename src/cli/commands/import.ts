/**
 * `wharf import`: copies an image into a registry through the server's importImage (ACR's
 * `az acr import`), with a progress bar. The source is `HOST/REPO:TAG` (any registry the
 * server can reach; `http://HOST/…` for plain HTTP) or, with `--registry`, `REPO:TAG` of a
 * registry of the same Wharf (copied by reference, no bytes move).
 */
import type { ImportResult } from '../../image-import/image-import.js';
import type { Command } from 'commander';
import { runCommand, type CommandContext } from '../command-context.js';
import { printJson } from '../output.js';
import { formatBytes, runWithProgress } from '../progress.js';
import { readSecretFromStdin } from '../stdin-secret.js';
import { examples } from '../localized-command.js';
import { cliError } from '../cli-error.js';
import { cliTranslator } from '../cli-messages.js';

interface ImportFlags {
  name?: string;
  resourceGroup?: string;
  source: string;
  registry?: string;
  image?: string[];
  repository?: string[];
  username?: string;
  password?: string;
  passwordStdin?: boolean;
  force?: boolean;
}

/** What the server's import operation reports: its ImportResult and the source it read. */
type ImportOutcome = ImportResult & { source: string };

/** A registry host is the first component when it has a '.' or ':' or is localhost (Docker's rule). */
function splitSource(source: string): { registryUri: string; image: string } {
  const scheme = /^(https?:\/\/)/i.exec(source)?.[1] ?? '';
  const rest = source.slice(scheme.length);
  const slash = rest.indexOf('/');
  const first = slash < 0 ? '' : rest.slice(0, slash);
  if (!first || !(first.includes('.') || first.includes(':') || first === 'localhost')) {
    throw cliError('sourceNeedsRegistry', { source });
  }
  return { registryUri: scheme + first, image: rest.slice(slash + 1) };
}

function sourceOf(context: CommandContext, flags: ImportFlags): Record<string, unknown> {
  const credentials =
    flags.username !== undefined || flags.password !== undefined ? { username: flags.username ?? '', password: flags.password ?? '' } : undefined;
  if (flags.registry) {
    const resourceId = flags.registry.startsWith('/subscriptions/') ? flags.registry : context.registryId(flags.registry, flags.resourceGroup);
    return { resourceId, sourceImage: flags.source, ...(credentials ? { credentials } : {}) };
  }
  const { registryUri, image } = splitSource(flags.source);
  return { registryUri, sourceImage: image, ...(credentials ? { credentials } : {}) };
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerImportCommands(program: Command): void {
  program
    .command('import')
    .description('import')
    .option('-n, --name <registry>', 'importOptName')
    .option('-g, --resource-group <name>', 'importOptResourceGroup')
    .requiredOption('--source <image>', 'importOptSource')
    .option('-r, --registry <name-or-id>', 'importOptRegistry')
    .option('-t, --image <repo:tag>', 'importOptImage', collect)
    .option('--repository <repo>', 'importOptRepository', collect)
    .option('-u, --username <user>', 'importOptUsername')
    .option('-p, --password <password>', 'importOptPassword')
    .option('--password-stdin', 'importOptPasswordStdin')
    .option('--force', 'importOptForce')
    .addHelpText(
      'after',
      examples(`
  wharf import -n prod --source 127.0.0.1:5000/library/alpine:3.19
  echo "$TOKEN" | wharf import -n prod --source registry.example.com/team/app:1.2 --image app:1.2 --image app:latest -u bot --password-stdin
  wharf import -n prod --registry dev --source app:1.2 --image app:1.2 --force
  wharf import -n prod --source http://127.0.0.1:5000/app@sha256:… --repository app`),
    )
    .action(async (flags: ImportFlags, command: Command) =>
      runCommand(command, async (context) => {
        if (flags.passwordStdin) {
          if (flags.password !== undefined) throw cliError('passwordOnce');
          flags.password = await readSecretFromStdin();
        }
        const target = context.registryId(context.registryName(flags.name), flags.resourceGroup);
        const body = {
          source: sourceOf(context, flags),
          ...(flags.image ? { targetTags: flags.image } : {}),
          ...(flags.repository ? { untaggedTargetRepositories: flags.repository } : {}),
          mode: flags.force ? 'Force' : 'NoForce',
        };
        const status = await runWithProgress(context.client, `${target}/importImage`, body, 'import', context.language);
        const result = status.properties.result as unknown as ImportOutcome;
        if (context.output === 'json') return printJson(result);
        const t = cliTranslator(context.language);
        const counts = {
          source: result.source,
          manifests: t('nManifests', { count: result.manifests }),
          blobs: t('nBlobs', { count: result.blobs }),
          copied: t('nCopied', { count: result.blobsCopied }),
          bytes: formatBytes(result.bytesCopied),
          linked: t('nAlreadyStored', { count: result.blobsLinked }),
          targets: result.targets.join(', '),
        };
        process.stderr.write(`${t('imported', counts)}\n`);
        process.stdout.write(`${result.digest}\n`);
      }),
    );
}

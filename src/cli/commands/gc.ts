/**
 * `wharf gc`: the server's garbage collection of a registry, with a progress bar. Deletes the
 * registry's blob links that no manifest uses and then blobs no repository links; with
 * --delete-untagged also manifests without tags that nothing references. Only what is older
 * than the grace period (default 60 minutes) goes, so pushes in progress are safe. Then the
 * server reconciles its storage: files a crash left without metadata, sessions without a file.
 */
import type { GcResult } from '../../gc/garbage-collector.js';
import type { Command } from 'commander';
import { runCommand } from '../command-context.js';
import { printJson } from '../output.js';
import { outputTranslator } from '../output-messages.js';
import { formatBytes, runWithProgress } from '../progress.js';
import { registryPathOf, withRegistry, type RegistryFlags } from '../registry-flags.js';
import { examples } from '../localized-command.js';
import { cliError } from '../cli-error.js';
import { cliTranslator } from '../cli-messages.js';

interface GcFlags extends RegistryFlags {
  dryRun?: boolean;
  deleteUntagged?: boolean;
  graceMinutes?: string;
}

export function registerGcCommands(program: Command): void {
  withRegistry(program.command('gc').description('gc'))
    .option('--dry-run', 'gcOptDryRun')
    .option('--delete-untagged', 'gcOptDeleteUntagged')
    .option('--grace-minutes <n>', 'gcOptGraceMinutes')
    .addHelpText(
      'after',
      examples(`
  wharf gc -n prod --dry-run
  wharf gc -n prod
  wharf gc -n prod --delete-untagged --grace-minutes 1440`),
    )
    .action(async (flags: GcFlags, command: Command) =>
      runCommand(command, async (context) => {
        let grace: number | undefined;
        if (flags.graceMinutes !== undefined) {
          grace = Number(flags.graceMinutes);
          if (!Number.isFinite(grace) || grace < 0) throw cliError('graceMinutesValue', { value: flags.graceMinutes });
        }
        const target = registryPathOf(context, flags);
        const body = {
          dryRun: flags.dryRun ?? false,
          deleteUntagged: flags.deleteUntagged ?? false,
          ...(grace !== undefined ? { gracePeriodMinutes: grace } : {}),
        };
        const status = await runWithProgress(
          context.client,
          `${target}/garbageCollect`,
          body,
          flags.dryRun ? cliTranslator(context.language)('progressDryRun', { command: 'gc' }) : 'gc',
          context.language,
        );
        const result = status.properties.result as unknown as GcResult;
        if (context.output === 'json') return printJson(result);
        const t = cliTranslator(context.language);
        const counts = {
          registry: result.registry,
          manifests: t('nUntaggedManifests', { count: result.manifestsDeleted }),
          links: t('nUnreferencedLinks', { count: result.blobLinksRemoved }),
          blobs: t('nBlobs', { count: result.blobsDeleted }),
          bytes: formatBytes(result.bytesFreed),
        };
        process.stdout.write(`${t(result.dryRun ? 'gcWouldDelete' : 'gcDeleted', counts)}\n`);
        const listed = outputTranslator(context.language);
        for (const digest of result.manifestDigests) process.stdout.write(`  ${listed('listedManifest', { digest })}\n`);
        for (const digest of result.blobDigests) process.stdout.write(`  ${listed('listedBlob', { digest })}\n`);
        // A delete just made frees nothing yet: say so, rather than a bare 0.
        const kept = result.keptByGrace;
        if (kept && kept.blobs > 0) {
          process.stdout.write(`${t('gcKeptByGrace', { count: kept.blobs, minutes: result.graceMinutes, until: kept.until ?? '' })}\n`);
          process.stdout.write(`${t('gcCollectNow')}\n`);
        }
        const stray = result.reconciled;
        if (stray) {
          const strays = {
            blobFiles: t('nBlobFilesWithoutMetadata', { count: stray.strayBlobFiles }),
            bytes: formatBytes(stray.strayBlobBytes),
            uploadFiles: t('nStrayUploadFiles', { count: stray.strayUploadFiles }),
            sessions: t('nUploadSessionsWithoutFile', { count: stray.uploadSessionsExpired }),
          };
          process.stdout.write(`${t(result.dryRun ? 'gcStorageWouldDelete' : 'gcStorageDeleted', strays)}\n`);
        }
      }),
    );
}

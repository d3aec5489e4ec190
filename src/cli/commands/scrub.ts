/**
 * `wharf scrub`: the server reads back every blob of a registry and checks it against its
 * digest, with a progress bar. Blobs found missing or damaged are listed; damaged files are
 * quarantined (the blob answers 404 until it is pushed again). Exits 1 when it found any.
 */
import type { Command } from 'commander';
import type { BlobProblem, ScrubResult } from '../../gc/blob-scrubber.js';
import { runCommand } from '../command-context.js';
import { printJson } from '../output.js';
import { outputTranslator, type OutputWord } from '../output-messages.js';
import { formatBytes, runWithProgress } from '../progress.js';
import { registryPathOf, type RegistryFlags } from '../registry-flags.js';
import { examples } from '../localized-command.js';
import { cliTranslator } from '../cli-messages.js';

/** What the server found wrong with a blob (a code in the JSON), in words. */
const PROBLEM_WORDS: Record<BlobProblem, OutputWord> = {
  missing: 'blobMissing',
  'size mismatch': 'blobSizeMismatch',
  'digest mismatch': 'blobDigestMismatch',
};

interface ScrubFlags extends RegistryFlags {
  dryRun?: boolean;
}

export function registerScrubCommands(program: Command): void {
  program
    .command('scrub')
    .description('scrub')
    .option('-n, --name <registry>', 'scrubOptName')
    .option('-r, --registry <name>', 'optRegistry')
    .option('-g, --resource-group <name>', 'optResourceGroup')
    .option('--dry-run', 'scrubOptDryRun')
    .addHelpText(
      'after',
      examples(`
  wharf scrub -n prod --dry-run
  wharf scrub -n prod`),
    )
    .action(async (flags: ScrubFlags, command: Command) =>
      runCommand(command, async (context) => {
        const target = registryPathOf(context, flags);
        const status = await runWithProgress(
          context.client,
          `${target}/scrub`,
          { dryRun: flags.dryRun ?? false },
          flags.dryRun ? cliTranslator(context.language)('progressDryRun', { command: 'scrub' }) : 'scrub',
          context.language,
        );
        const result = status.properties.result as unknown as ScrubResult;
        if (result.corruptCount > 0) process.exitCode = 1;
        if (context.output === 'json') return printJson(result);
        const t = cliTranslator(context.language);
        const counts = {
          registry: result.registry,
          blobs: t('nBlobs', { count: result.blobsChecked }),
          bytes: formatBytes(result.bytesChecked),
          damaged: t('nDamaged', { count: result.corruptCount }),
          quarantined: result.quarantined,
        };
        process.stdout.write(`${t('scrubSummary', counts)}\n`);
        const listed = outputTranslator(context.language);
        for (const finding of result.corrupt) {
          process.stdout.write(`  ${listed('listedProblem', { problem: listed(PROBLEM_WORDS[finding.problem]), digest: finding.digest })}\n`);
        }
      }),
    );
}

/**
 * `wharf scrub`: the server reads back every blob of a registry and checks it against its
 * digest, with a progress bar. Blobs found missing or damaged are listed; damaged files are
 * quarantined (the blob answers 404 until it is pushed again). Exits 1 when it found any.
 */
import type { Command } from 'commander';
import type { ScrubResult } from '../../operations/gc/blob-scrubber.js';
import { runCommand } from '../command-context.js';
import { printObject } from '../output.js';
import { formatBytes, runWithProgress } from '../progress.js';
import { registryPathOf, type RegistryFlags } from '../registry-flags.js';

interface ScrubFlags extends RegistryFlags {
  dryRun?: boolean;
}

export function registerScrubCommands(program: Command): void {
  program
    .command('scrub')
    .description("check every blob's bytes against its digest; quarantine damaged ones so they can be pushed again")
    .option('-n, --name <registry>', "the registry; default the profile's, else wharf")
    .option('-r, --registry <name>', 'same as --name')
    .option('-g, --resource-group <name>', "the registry's resource group; default the profile's")
    .option('--dry-run', 'report damaged blobs, quarantine nothing')
    .addHelpText('after', `
Examples:
  wharf scrub -n prod --dry-run
  wharf scrub -n prod`)
    .action(async (flags: ScrubFlags, command: Command) =>
      runCommand(command, async (context) => {
        const target = registryPathOf(context, flags);
        const status = await runWithProgress(context.client, `${target}/scrub`, { dryRun: flags.dryRun ?? false }, flags.dryRun ? 'scrub (dry run)' : 'scrub');
        const result = status.properties.result as unknown as ScrubResult;
        if (result.corruptCount > 0) process.exitCode = 1;
        if (context.output === 'json') return printObject(result, 'json');
        process.stdout.write(
          `${result.registry}: checked ${result.blobsChecked} blob(s) (${formatBytes(result.bytesChecked)}), ` +
            `${result.corruptCount} damaged, ${result.quarantined} quarantined\n`,
        );
        for (const finding of result.corrupt) process.stdout.write(`  ${finding.problem}: ${finding.digest}\n`);
      }),
    );
}

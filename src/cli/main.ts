#!/usr/bin/env node
/** The `wharf` command. */
import { endQuietlyOnBrokenPipe } from './broken-pipe.js';
import { CliError } from './cli-error.js';
import { languageOfCommand } from './localized-command.js';
import { buildProgram } from './program.js';

endQuietlyOnBrokenPipe(process.stdout);
endQuietlyOnBrokenPipe(process.stderr);

const program = buildProgram();
program.parseAsync(process.argv).catch((error: unknown) => {
  const text = error instanceof CliError ? error.text.in(languageOfCommand(program)) : (error as Error).message;
  process.stderr.write(`wharf: ${text}\n`);
  process.exit(1);
});

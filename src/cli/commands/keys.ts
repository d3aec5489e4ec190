/**
 * `wharf keys list|rotate`: the JWT signing keys of the server. Rotating makes a new key sign
 * every token from now on; the old keys keep verifying until their tokens have expired, so
 * nobody is logged out. Needs the Owner role on the subscription.
 */
import type { Command } from 'commander';
import { runCommand, type CommandContext } from '../command-context.js';
import { printList } from '../output.js';
import { examples } from '../localized-command.js';

interface SigningKey {
  kid: string;
  algorithm: string;
  createdAt: string;
  retiredAt: string | null;
  active: boolean;
}

function print(keys: SigningKey[], context: CommandContext): void {
  printList(
    keys,
    [
      { header: 'Key id', value: (k) => k.kid },
      { header: 'Algorithm', value: (k) => k.algorithm },
      { header: 'Created', value: (k) => k.createdAt },
      { header: 'Retired', value: (k) => k.retiredAt ?? '' },
      { header: 'Signs', value: (k) => (k.active ? 'yes' : 'verifies only') },
    ],
    context.output,
  );
}

const keysPath = (context: CommandContext) => `/subscriptions/${context.profile.subscriptionId}/providers/Wharf.Security/signingKeys`;

export function registerKeyCommands(program: Command): void {
  const keys = program
    .command('keys')
    .description('keys')
    .addHelpText(
      'after',
      examples(`
  wharf keys list
  wharf keys rotate`),
    );
  keys
    .command('list')
    .description('keysList')
    .addHelpText(
      'after',
      examples(`
  wharf keys list
  wharf keys list -o json`),
    )
    .action(async (_flags: unknown, command: Command) =>
      runCommand(command, async (context) => {
        print((await context.client.get<{ value: SigningKey[] }>(keysPath(context))).value, context);
      }),
    );
  keys
    .command('rotate')
    .description('keysRotate')
    .addHelpText(
      'after',
      examples(`
  wharf keys rotate`),
    )
    .action(async (_flags: unknown, command: Command) =>
      runCommand(command, async (context) => {
        print((await context.client.post<{ value: SigningKey[] }>(`${keysPath(context)}/rotate`)).value, context);
      }),
    );
}

/**
 * `wharf keys list|rotate`: the JWT signing keys of the server. Rotating makes a new key sign
 * every token from now on; the old keys keep verifying until their tokens have expired, so
 * nobody is logged out. Needs the Owner role on the subscription.
 */
import type { Command } from 'commander';
import { runCommand, type CommandContext } from '../command-context.js';
import { printList } from '../output.js';
import { outputTranslator } from '../output-messages.js';
import { examples } from '../localized-command.js';

interface SigningKey {
  kid: string;
  algorithm: string;
  createdAt: string;
  retiredAt: string | null;
  active: boolean;
}

function print(keys: SigningKey[], context: CommandContext): void {
  const t = outputTranslator(context.language);
  printList(
    keys,
    [
      { header: 'keyId', value: (k) => k.kid },
      { header: 'algorithm', value: (k) => k.algorithm },
      { header: 'created', value: (k) => k.createdAt },
      { header: 'retired', value: (k) => k.retiredAt ?? '' },
      { header: 'signs', value: (k) => t(k.active ? 'signsYes' : 'signsVerifiesOnly') },
    ],
    context,
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

/**
 * What every administration command runs with: the active profile, a signed-in client, the
 * output format, and how `--registry` / `--resource-group` turn into ARM ids. `runCommand`
 * opens the client, runs the command and closes the client whatever happened.
 */
import type { Command } from 'commander';
import { registryId } from './arm-ids.js';
import { ManagementClient } from './management-client.js';
import type { OutputFormat } from './output.js';
import { languageOf, type Language } from '../i18n/index.js';
import { DEFAULT_REGISTRY, activeProfile, type ConnectionOptions, type Profile } from './profile.js';
import { cliError } from './cli-error.js';
import type { MessageValue } from '../i18n/localized.js';

/** Options defined on the program and accepted by every command. */
export interface GlobalOptions extends ConnectionOptions {
  output?: OutputFormat;
  lang?: string;
}

export interface CommandContext {
  profile: Profile;
  client: ManagementClient;
  output: OutputFormat | undefined;
  /** --lang, else the locale (LC_ALL, LC_MESSAGES, LANG), else English. */
  language: Language;
  /** --registry, else the profile's registry, else 'wharf'. */
  registryName(flag?: string): string;
  /** ARM id of a registry in --resource-group (else the profile's resource group). */
  registryId(name: string, resourceGroup?: string): string;
}

export async function runCommand(command: Command, body: (context: CommandContext) => Promise<void>): Promise<void> {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const profile = activeProfile(globals);
  const language = languageOf(globals.lang);
  const client = ManagementClient.fromProfile(profile, language);
  try {
    await body({
      profile,
      client,
      output: globals.output,
      language,
      registryName: (flag) => flag ?? profile.registry ?? DEFAULT_REGISTRY,
      registryId: (name, resourceGroup) => registryId(profile.subscriptionId, resourceGroup ?? profile.resourceGroup, name),
    });
  } finally {
    await client.close();
  }
}

/** Parses an expiry given as days from now or as an ISO date; undefined when neither. */
export function expiryFrom(options: { days?: string; date?: string; what: MessageValue }): string | undefined {
  if (options.days !== undefined && options.date !== undefined) {
    throw cliError('daysOrDate', { what: options.what });
  }
  if (options.days !== undefined) {
    const days = Number(options.days);
    if (!Number.isFinite(days) || days <= 0) throw cliError('notPositiveDays', { value: options.days });
    return new Date(Date.now() + days * 86_400_000).toISOString();
  }
  if (options.date !== undefined) {
    const time = Date.parse(options.date);
    if (Number.isNaN(time)) throw cliError('notIsoDate', { value: options.date });
    return new Date(time).toISOString();
  }
  return undefined;
}

export function parseBooleanFlag(name: string, value: string): boolean {
  const v = value.toLowerCase();
  if (v === 'true' || v === 'yes' || v === '1') return true;
  if (v === 'false' || v === 'no' || v === '0') return false;
  throw cliError('expectsBoolean', { flag: name, value });
}

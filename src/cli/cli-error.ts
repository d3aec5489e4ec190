/**
 * An error of the `wharf` command line, kept as a message key with its values so that it is
 * printed in the user's language (`wharf: …`); its `message` is the English text.
 */
import { localize, LocalizedText, type MessageValue } from '../i18n/localized.js';
import { cliMessages, type CliMessageKey } from './cli-messages.js';

export class CliError extends Error {
  constructor(readonly text: LocalizedText) {
    super(text.toString());
    this.name = 'CliError';
  }
}

export function cliError(key: CliMessageKey, values: Record<string, MessageValue> = {}): CliError {
  return new CliError(localize(cliMessages, key, values));
}

/** `a and b` in whatever language the message is rendered in. */
export function listOf(items: string[]): LocalizedText {
  return new LocalizedText((language) => new Intl.ListFormat(language, { type: 'conjunction' }).format(items));
}

/** A message of the CLI's catalog as a value, rendered in the language of the message it goes into. */
export function cliText(key: CliMessageKey, values: Record<string, MessageValue> = {}): LocalizedText {
  return localize(cliMessages, key, values);
}

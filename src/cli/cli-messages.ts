/**
 * Messages the `wharf` command line prints itself (not the server's errors, which come
 * localized in the server's answer): its errors, confirmations and warnings, one file per
 * language beside this one (src/cli/messages/); the type makes a missing key a compile error.
 */
import { defineCatalog, translator, type Language, type Translate } from '../i18n/index.js';
import { en } from './messages/en.js';
import { fr } from './messages/fr.js';
import { pl } from './messages/pl.js';
import { ptBR } from './messages/pt-br.js';
import { sv } from './messages/sv.js';

export const cliMessages = defineCatalog('cli', en, { fr, sv, pl, 'pt-BR': ptBR });

export type CliMessageKey = Extract<keyof typeof en, string>;

export function cliTranslator(language: Language): Translate<CliMessageKey> {
  return translator(cliMessages, language);
}

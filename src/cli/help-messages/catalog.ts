/**
 * The catalog of the CLI's help: command, option and argument descriptions are keys of it, and
 * commander renders them (and its own headings and parse errors) in the user's language.
 */
import { defineCatalog, translator, type Language, type Translate } from '../../i18n/index.js';
import { en } from './en.js';
import { fr } from './fr.js';
import { pl } from './pl.js';
import { ptBR } from './pt-br.js';
import { sv } from './sv.js';

export const cliHelp = defineCatalog('cli-help', en, { fr, sv, pl, 'pt-BR': ptBR });

export type CliHelpKey = Extract<keyof typeof en, string>;

export function isCliHelpKey(text: string): text is CliHelpKey {
  return Object.hasOwn(en, text);
}

export function cliHelpTranslator(language: Language): Translate<CliHelpKey> {
  return translator(cliHelp, language);
}

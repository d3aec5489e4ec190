/**
 * The catalog of the CLI's help: command, option and argument descriptions are keys of it, and
 * commander renders them (and its own headings and parse errors) in the user's language.
 */
import { defineCatalog, translator, type Language, type Translate } from '../../i18n/index.js';
import en from '../../i18n/locales/en/cli-help.json' with { type: 'json' };
import fr from '../../i18n/locales/fr/cli-help.json' with { type: 'json' };
import sv from '../../i18n/locales/sv/cli-help.json' with { type: 'json' };
import pl from '../../i18n/locales/pl/cli-help.json' with { type: 'json' };
import ptBR from '../../i18n/locales/pt-BR/cli-help.json' with { type: 'json' };

/**
 * @public Exported for the catalog test, which finds every catalog among the exports of the
 * modules that define one (test/unit/catalog-languages.test.ts).
 */
export const cliHelp = defineCatalog('cli-help', en, { fr, sv, pl, 'pt-BR': ptBR });

export type CliHelpKey = Extract<keyof typeof en, string>;

export function isCliHelpKey(text: string): text is CliHelpKey {
  return Object.hasOwn(en, text);
}

export function cliHelpTranslator(language: Language): Translate<CliHelpKey> {
  return translator(cliHelp, language);
}

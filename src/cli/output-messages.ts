/**
 * The words of the results the `wharf` command line prints for people: table headers
 * (`--output table`), the few words inside cells, and the progress line of long operations.
 * `--output json` keeps the API's field names and `--output tsv` prints no header, so scripts
 * read the same in every language.
 */
import { defineCatalog, translator, type CatalogKey, type Language, type Translate } from '../i18n/index.js';
import en from '../i18n/locales/en/cli-output.json' with { type: 'json' };
import fr from '../i18n/locales/fr/cli-output.json' with { type: 'json' };
import sv from '../i18n/locales/sv/cli-output.json' with { type: 'json' };
import pl from '../i18n/locales/pl/cli-output.json' with { type: 'json' };
import ptBR from '../i18n/locales/pt-BR/cli-output.json' with { type: 'json' };

export const outputMessages = defineCatalog('cli-output', en, { fr, sv, pl, 'pt-BR': ptBR });

export type OutputWord = CatalogKey<typeof outputMessages>;

export function outputTranslator(language: Language): Translate<OutputWord> {
  return translator(outputMessages, language);
}

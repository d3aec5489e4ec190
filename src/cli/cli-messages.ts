/**
 * Messages the `wharf` command line prints itself (not the server's errors, which come
 * localized in the server's answer): its errors, confirmations and warnings, one file per
 * language (src/i18n/locales/<language>/cli.json); the type makes a missing key a compile error.
 */
import { defineCatalog, translator, type CatalogKey, type Language, type Translate } from '../i18n/index.js';
import en from '../i18n/locales/en/cli.json' with { type: 'json' };
import fr from '../i18n/locales/fr/cli.json' with { type: 'json' };
import sv from '../i18n/locales/sv/cli.json' with { type: 'json' };
import pl from '../i18n/locales/pl/cli.json' with { type: 'json' };
import ptBR from '../i18n/locales/pt-BR/cli.json' with { type: 'json' };

export const cliMessages = defineCatalog('cli', en, { fr, sv, pl, 'pt-BR': ptBR });

/** A message's key; a plural message by its base name (`nBlobs`, rendered with a `count`). */
export type CliMessageKey = CatalogKey<typeof cliMessages>;

export function cliTranslator(language: Language): Translate<CliMessageKey> {
  return translator(cliMessages, language);
}

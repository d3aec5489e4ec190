/**
 * The import errors' messages (ARM's body and its `details`) in every language. A cause that is
 * free text (a source registry's or a socket's own words) stays English inside a translated frame.
 */
import { defineCatalog } from '../i18n/index.js';
import en from '../i18n/locales/en/import-errors.json' with { type: 'json' };
import fr from '../i18n/locales/fr/import-errors.json' with { type: 'json' };
import sv from '../i18n/locales/sv/import-errors.json' with { type: 'json' };
import pl from '../i18n/locales/pl/import-errors.json' with { type: 'json' };
import ptBR from '../i18n/locales/pt-BR/import-errors.json' with { type: 'json' };

export const importErrorMessages = defineCatalog('import-errors', en, { fr, sv, pl, 'pt-BR': ptBR });

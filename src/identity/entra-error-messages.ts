/**
 * The identity plane's error descriptions (the text after `AADSTSnnnn: `) in every language.
 * English follows Entra's own wording; parameter names, grant types and codes stay as they are.
 */
import { defineCatalog } from '../i18n/index.js';
import en from '../i18n/locales/en/entra-errors.json' with { type: 'json' };
import fr from '../i18n/locales/fr/entra-errors.json' with { type: 'json' };
import sv from '../i18n/locales/sv/entra-errors.json' with { type: 'json' };
import pl from '../i18n/locales/pl/entra-errors.json' with { type: 'json' };
import ptBR from '../i18n/locales/pt-BR/entra-errors.json' with { type: 'json' };

export const entraErrorMessages = defineCatalog('entra-errors', en, { fr, sv, pl, 'pt-BR': ptBR });

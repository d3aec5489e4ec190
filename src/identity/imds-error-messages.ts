/**
 * The managed identity endpoint's (IMDS) error descriptions in every language. Parameter and
 * header names (client_id, Metadata: true, resource=…) stay as they are.
 */
import { defineCatalog } from '../i18n/index.js';
import en from '../i18n/locales/en/imds-errors.json' with { type: 'json' };
import fr from '../i18n/locales/fr/imds-errors.json' with { type: 'json' };
import sv from '../i18n/locales/sv/imds-errors.json' with { type: 'json' };
import pl from '../i18n/locales/pl/imds-errors.json' with { type: 'json' };
import ptBR from '../i18n/locales/pt-BR/imds-errors.json' with { type: 'json' };

export const imdsErrorMessages = defineCatalog('imds-errors', en, { fr, sv, pl, 'pt-BR': ptBR });

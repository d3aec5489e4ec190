/** The /acr/v1 errors' messages in every language; commands, attributes and names stay as they are. */
import { defineCatalog } from '../i18n/index.js';
import en from '../i18n/locales/en/acr-errors.json' with { type: 'json' };
import fr from '../i18n/locales/fr/acr-errors.json' with { type: 'json' };
import sv from '../i18n/locales/sv/acr-errors.json' with { type: 'json' };
import pl from '../i18n/locales/pl/acr-errors.json' with { type: 'json' };
import ptBR from '../i18n/locales/pt-BR/acr-errors.json' with { type: 'json' };

export const acrErrorMessages = defineCatalog('acr-errors', en, { fr, sv, pl, 'pt-BR': ptBR });

/**
 * The management plane's error messages (ARM's `{"error":{"code","message"}}`) in every language.
 * English is ARM's wording, as az and the SDKs show it.
 */
import { defineCatalog } from '../i18n/index.js';
import en from '../i18n/locales/en/arm-errors.json' with { type: 'json' };
import fr from '../i18n/locales/fr/arm-errors.json' with { type: 'json' };
import sv from '../i18n/locales/sv/arm-errors.json' with { type: 'json' };
import pl from '../i18n/locales/pl/arm-errors.json' with { type: 'json' };
import ptBR from '../i18n/locales/pt-BR/arm-errors.json' with { type: 'json' };

export const armErrorMessages = defineCatalog('arm-errors', en, { fr, sv, pl, 'pt-BR': ptBR });

/**
 * Why a request was cut for slowness, in every language: each plane puts the sentence into its
 * own error format (OCI, ARM, Entra) with status 408.
 */
import { defineCatalog } from '../i18n/index.js';
import en from '../i18n/locales/en/request-timeouts.json' with { type: 'json' };
import fr from '../i18n/locales/fr/request-timeouts.json' with { type: 'json' };
import sv from '../i18n/locales/sv/request-timeouts.json' with { type: 'json' };
import pl from '../i18n/locales/pl/request-timeouts.json' with { type: 'json' };
import ptBR from '../i18n/locales/pt-BR/request-timeouts.json' with { type: 'json' };

export const timeoutMessages = defineCatalog('request-timeouts', en, { fr, sv, pl, 'pt-BR': ptBR });

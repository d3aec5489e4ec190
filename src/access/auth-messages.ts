/**
 * The registry's authentication refusals (401/403/429 on /v2, /acr and the token endpoints) in
 * every language. English is ACR's wording; `{{why}}` is the audit's English reason.
 */
import { defineCatalog } from '../i18n/index.js';
import en from '../i18n/locales/en/registry-auth.json' with { type: 'json' };
import fr from '../i18n/locales/fr/registry-auth.json' with { type: 'json' };
import sv from '../i18n/locales/sv/registry-auth.json' with { type: 'json' };
import pl from '../i18n/locales/pl/registry-auth.json' with { type: 'json' };
import ptBR from '../i18n/locales/pt-BR/registry-auth.json' with { type: 'json' };

export const authMessages = defineCatalog('registry-auth', en, { fr, sv, pl, 'pt-BR': ptBR });

/**
 * Why the identity plane refuses a token, a refresh token, a token request or a directory
 * change, in every language: the `why` inside Entra's, ARM's and Graph's errors (and, in
 * English, the audit log's).
 */
import { defineCatalog } from '../i18n/index.js';
import en from '../i18n/locales/en/identity-reasons.json' with { type: 'json' };
import fr from '../i18n/locales/fr/identity-reasons.json' with { type: 'json' };
import sv from '../i18n/locales/sv/identity-reasons.json' with { type: 'json' };
import pl from '../i18n/locales/pl/identity-reasons.json' with { type: 'json' };
import ptBR from '../i18n/locales/pt-BR/identity-reasons.json' with { type: 'json' };

export const identityMessages = defineCatalog('identity-reasons', en, { fr, sv, pl, 'pt-BR': ptBR });

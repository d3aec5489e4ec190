/**
 * Why a request was allowed or refused, as the audit row, `wharf logs` and `wharf diagnose` say
 * it: the reasons of the access decision (access/decision.ts) in every language. The English
 * text is what the audit row's `reason` column keeps; the row also stores the key and its
 * values, so a reader sees the reason in their own language. Names, addresses, commands, codes
 * and scopes are values and stay as they are.
 */
import { defineCatalog } from '../i18n/index.js';
import en from '../i18n/locales/en/decision-reasons.json' with { type: 'json' };
import fr from '../i18n/locales/fr/decision-reasons.json' with { type: 'json' };
import sv from '../i18n/locales/sv/decision-reasons.json' with { type: 'json' };
import pl from '../i18n/locales/pl/decision-reasons.json' with { type: 'json' };
import ptBR from '../i18n/locales/pt-BR/decision-reasons.json' with { type: 'json' };

export const reasonMessages = defineCatalog('decision-reasons', en, { fr, sv, pl, 'pt-BR': ptBR });

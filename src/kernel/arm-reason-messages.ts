/**
 * Why the management plane (ARM and Graph) refuses a request, in every language: the validators'
 * reasons, resource kinds and Premium features that ARM's errors (arm-error-messages) carry as
 * values. English is the wording az and the SDKs have always shown.
 */
import { defineCatalog } from '../i18n/index.js';
import en from '../i18n/locales/en/arm-reasons.json' with { type: 'json' };
import fr from '../i18n/locales/fr/arm-reasons.json' with { type: 'json' };
import sv from '../i18n/locales/sv/arm-reasons.json' with { type: 'json' };
import pl from '../i18n/locales/pl/arm-reasons.json' with { type: 'json' };
import ptBR from '../i18n/locales/pt-BR/arm-reasons.json' with { type: 'json' };

export const armReasonMessages = defineCatalog('arm-reasons', en, { fr, sv, pl, 'pt-BR': ptBR });

/**
 * The network gate's 403 in every language. The English text is ACR's own (check-health and az
 * recognise it); the translations use the wording of ACR's localized troubleshooting guides (« règles de pare-feu », «brandväggsregler»…).
 */
import { defineCatalog } from '../i18n/index.js';
import en from '../i18n/locales/en/network-denial.json' with { type: 'json' };
import fr from '../i18n/locales/fr/network-denial.json' with { type: 'json' };
import sv from '../i18n/locales/sv/network-denial.json' with { type: 'json' };
import pl from '../i18n/locales/pl/network-denial.json' with { type: 'json' };
import ptBR from '../i18n/locales/pt-BR/network-denial.json' with { type: 'json' };

export const denialMessages = defineCatalog('network-denial', en, { fr, sv, pl, 'pt-BR': ptBR });

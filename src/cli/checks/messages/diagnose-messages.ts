/**
 * The words of `wharf diagnose`, in every language Wharf speaks: the report's labels, each
 * stage's result, the cause of each deciding rule, and the fix around its command. Commands,
 * codes, rule names, addresses and identities are placeholders and stay as they are.
 */
import { defineCatalog } from '../../../i18n/index.js';
import en from '../../../i18n/locales/en/diagnose.json' with { type: 'json' };
import fr from '../../../i18n/locales/fr/diagnose.json' with { type: 'json' };
import sv from '../../../i18n/locales/sv/diagnose.json' with { type: 'json' };
import pl from '../../../i18n/locales/pl/diagnose.json' with { type: 'json' };
import ptBR from '../../../i18n/locales/pt-BR/diagnose.json' with { type: 'json' };

export const diagnoseMessages = defineCatalog('diagnose', en, { fr, sv, pl, 'pt-BR': ptBR });

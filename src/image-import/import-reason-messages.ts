/**
 * Why an import failed, in every language: the causes inside import-error-messages' frames
 * (an unreachable, refusing or misbehaving source registry, a source manifest that is not valid).
 */
import { defineCatalog } from '../i18n/index.js';
import en from '../i18n/locales/en/import-reasons.json' with { type: 'json' };
import fr from '../i18n/locales/fr/import-reasons.json' with { type: 'json' };
import sv from '../i18n/locales/sv/import-reasons.json' with { type: 'json' };
import pl from '../i18n/locales/pl/import-reasons.json' with { type: 'json' };
import ptBR from '../i18n/locales/pt-BR/import-reasons.json' with { type: 'json' };

export const importReasonMessages = defineCatalog('import-reasons', en, { fr, sv, pl, 'pt-BR': ptBR });

/**
 * The catalog of check-health and check-pull: every message, cause and fix in English, French,
 * Swedish, Polish and Brazilian Portuguese (the type makes a missing key a compile error).
 * Commands, codes and names stay as they are.
 */
import { defineCatalog, translator, type Language, type Translate } from '../../../i18n/index.js';
import en from '../../../i18n/locales/en/health.json' with { type: 'json' };
import fr from '../../../i18n/locales/fr/health.json' with { type: 'json' };
import sv from '../../../i18n/locales/sv/health.json' with { type: 'json' };
import pl from '../../../i18n/locales/pl/health.json' with { type: 'json' };
import ptBR from '../../../i18n/locales/pt-BR/health.json' with { type: 'json' };

export const healthMessages = defineCatalog('health', en, { fr, sv, pl, 'pt-BR': ptBR });

export type HealthKey = Extract<keyof typeof en, string>;
export type HealthTranslate = Translate<HealthKey>;

export function healthTranslator(language: Language): HealthTranslate {
  return translator(healthMessages, language);
}

/**
 * The catalog of check-health and check-pull: every message, cause and fix in English, French,
 * Swedish, Polish and Brazilian Portuguese (the type makes a missing key a compile error).
 * Commands, codes and names stay as they are.
 */
import { defineCatalog, translator, type Language, type Translate } from '../../../i18n/index.js';
import { en } from './en.js';
import { fr } from './fr.js';
import { pl } from './pl.js';
import { ptBR } from './pt-br.js';
import { sv } from './sv.js';

export const healthMessages = defineCatalog('health', en, { fr, sv, pl, 'pt-BR': ptBR });

export type HealthKey = Extract<keyof typeof en, string>;
export type HealthTranslate = Translate<HealthKey>;

export function healthTranslator(language: Language): HealthTranslate {
  return translator(healthMessages, language);
}

/**
 * The steps a long-running operation (image import, garbage collection, scrub) reports while it
 * runs, in every language: the operation records the step as a key and values, and the
 * operation-status resource renders it in the language of whoever polls (`wharf import` shows it).
 */
import { defineCatalog, type CatalogKey } from '../i18n/index.js';
import en from '../i18n/locales/en/operation-progress.json' with { type: 'json' };
import fr from '../i18n/locales/fr/operation-progress.json' with { type: 'json' };
import sv from '../i18n/locales/sv/operation-progress.json' with { type: 'json' };
import pl from '../i18n/locales/pl/operation-progress.json' with { type: 'json' };
import ptBR from '../i18n/locales/pt-BR/operation-progress.json' with { type: 'json' };

export const operationProgressMessages = defineCatalog('operation-progress', en, { fr, sv, pl, 'pt-BR': ptBR });

export type OperationProgressKey = CatalogKey<typeof operationProgressMessages>;

/** Microsoft Graph errors' messages in every language; the directory's own reasons stay English. */
import { defineCatalog } from '../../i18n/index.js';
import en from '../../i18n/locales/en/graph-errors.json' with { type: 'json' };
import fr from '../../i18n/locales/fr/graph-errors.json' with { type: 'json' };
import sv from '../../i18n/locales/sv/graph-errors.json' with { type: 'json' };
import pl from '../../i18n/locales/pl/graph-errors.json' with { type: 'json' };
import ptBR from '../../i18n/locales/pt-BR/graph-errors.json' with { type: 'json' };

export const graphErrorMessages = defineCatalog('graph-errors', en, { fr, sv, pl, 'pt-BR': ptBR });

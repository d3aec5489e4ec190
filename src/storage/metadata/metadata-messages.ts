/** What the metadata store says when it refuses to open, in every language (it stops `wharf serve`). */
import { defineCatalog } from '../../i18n/index.js';
import en from '../../i18n/locales/en/metadata.json' with { type: 'json' };
import fr from '../../i18n/locales/fr/metadata.json' with { type: 'json' };
import sv from '../../i18n/locales/sv/metadata.json' with { type: 'json' };
import pl from '../../i18n/locales/pl/metadata.json' with { type: 'json' };
import ptBR from '../../i18n/locales/pt-BR/metadata.json' with { type: 'json' };

export const metadataMessages = defineCatalog('metadata', en, { fr, sv, pl, 'pt-BR': ptBR });

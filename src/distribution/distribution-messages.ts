/**
 * The data plane's own reasons for refusing an upload, a manifest or a name, in every language:
 * the `why` inside the registry errors' BLOB_UPLOAD_INVALID, MANIFEST_INVALID, NAME_INVALID…
 */
import { defineCatalog } from '../i18n/index.js';
import en from '../i18n/locales/en/distribution-errors.json' with { type: 'json' };
import fr from '../i18n/locales/fr/distribution-errors.json' with { type: 'json' };
import sv from '../i18n/locales/sv/distribution-errors.json' with { type: 'json' };
import pl from '../i18n/locales/pl/distribution-errors.json' with { type: 'json' };
import ptBR from '../i18n/locales/pt-BR/distribution-errors.json' with { type: 'json' };

export const distributionMessages = defineCatalog('distribution-errors', en, { fr, sv, pl, 'pt-BR': ptBR });

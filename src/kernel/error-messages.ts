/**
 * The data plane's error messages (OCI error JSON), in every language Wharf speaks. The English
 * texts are the messages clients have always seen. `{{why}}`-style values are free text from
 * validators and stay English inside the translated sentence.
 */
import { defineCatalog } from '../i18n/index.js';
import en from '../i18n/locales/en/registry-errors.json' with { type: 'json' };
import fr from '../i18n/locales/fr/registry-errors.json' with { type: 'json' };
import sv from '../i18n/locales/sv/registry-errors.json' with { type: 'json' };
import pl from '../i18n/locales/pl/registry-errors.json' with { type: 'json' };
import ptBR from '../i18n/locales/pt-BR/registry-errors.json' with { type: 'json' };

export const registryErrorMessages = defineCatalog('registry-errors', en, { fr, sv, pl, 'pt-BR': ptBR });

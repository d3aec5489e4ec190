export { LANGUAGES, type Language, matchLanguage, pickLanguage, languageOf, languageOfAcceptLanguage } from './languages.js';
export { defineCatalog, translator, pluralGroups, type Catalog, type CatalogKey, type Messages, type Translate } from './catalog.js';

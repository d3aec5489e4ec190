export { LANGUAGES, DEFAULT_LANGUAGE, type Language, matchLanguage, pickLanguage, languageOf, languageOfAcceptLanguage } from './languages.js';
export { defineCatalog, translator, type Catalog, type Messages, type Translate, type Translations } from './catalog.js';

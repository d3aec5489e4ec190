export { LANGUAGES, DEFAULT_LANGUAGE, type Language, matchLanguage, pickLanguage, languageOf, languageOfAcceptLanguage } from './languages.js';
export {
  defineCatalog,
  translator,
  pluralGroups,
  type Catalog,
  type CatalogKey,
  type MessageKey,
  type Messages,
  type PluralCategory,
  type Translate,
  type Translation,
  type Translations,
} from './catalog.js';

// src/i18n's public surface: the shape of the translation data its Docusaurus plugin publishes,
// which the theme reads in the browser (types only). The plugin itself is loaded by path from
// docusaurus.config.ts; the commands start from cli.mts.
export type {TranslatedPageData, TranslationGlobalData} from './site-data.mts';

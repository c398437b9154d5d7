// src/site-layout's public surface: where English pages and their translations live.
export {FENCE_LINE, splitFrontMatter} from './front-matter.mts';
export {DEFAULT_LOCALE, type Locale, LOCALES, TRANSLATED_LOCALES} from './locales.mts';
export {DOCS_DIR, englishFile, listPages, localeDocsDir, translationDir, translationFile} from './pages.mts';

// src/site-layout's public surface: where English pages and their translations live.
export {DOCS_DIR, englishFile, listPages, translationDir, translationFile} from './pages.mts';

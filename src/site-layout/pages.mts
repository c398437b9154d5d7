// Where the site's pages live: English pages under docs/, each locale's translations under i18n/.
// Docusaurus decides this layout; extraction and translation tracking both read it from here.
import {readdirSync} from 'node:fs';
import {join, posix} from 'node:path';
import {DEFAULT_LOCALE} from './locales.mts';

export const DOCS_DIR = 'docs';

export function translationDir(locale: string): string {
  return `i18n/${locale}/docusaurus-plugin-content-docs/current`;
}

/** A locale's docs folder: `docs` for the default locale, its translation folder for the others. */
export function localeDocsDir(locale: string): string {
  return locale === DEFAULT_LOCALE ? DOCS_DIR : translationDir(locale);
}

export const englishFile = (page: string): string => posix.join(DOCS_DIR, page);
export const translationFile = (locale: string, page: string): string => posix.join(translationDir(locale), page);

/** Docs pages under `dir` (relative, posix), as Docusaurus sees them: .md/.mdx, no `_`-prefixed parts. */
export function listPages(root: string, dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(join(root, dir), {recursive: true, withFileTypes: true});
  } catch {
    return [];
  }
  const base = join(root, dir);
  return entries
    .filter((entry) => entry.isFile() && /\.mdx?$/.test(entry.name))
    .map((entry) => posix.join(...join(entry.parentPath, entry.name).slice(base.length + 1).split(/[\\/]/)))
    .filter((page) => !page.split('/').some((part) => part.startsWith('_')))
    .sort();
}

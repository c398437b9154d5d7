// The site's pages in both locales, and the extraction of all of them.
import {readFileSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import type {RunbookPlan} from '../plan/plan.mts';
import {DEFAULT_LOCALE, LOCALES, type Locale} from '../site-layout/locales.mts';
import {listPages as listLocalePages, localeDocsDir} from '../site-layout/pages.mts';
import {extractPage, type ExtractionError, type PageExtraction} from './extract.mts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Each locale's docs folder (src/site-layout's locales). */
export const LOCALE_DIRS = Object.fromEntries((Object.keys(LOCALES) as Locale[]).map((locale) => [locale, localeDocsDir(locale)])) as Record<Locale, string>;
export type {Locale};

// Page paths end up in comments of the generated scripts, so they are held to a plain alphabet.
const SAFE_PATH = /^[A-Za-z0-9._/-]+$/;

export interface DocPage {
  /** Relative to the repository root, with forward slashes. */
  file: string;
  locale: Locale;
  /** Relative to the locale's docs folder: the same for a page and its translation. */
  page: string;
}

export function listPages(root = REPO_ROOT): DocPage[] {
  return (Object.keys(LOCALE_DIRS) as Locale[]).flatMap((locale) =>
    listLocalePages(root, LOCALE_DIRS[locale]).map((page) => ({file: `${LOCALE_DIRS[locale]}/${page}`, locale, page})));
}

export interface DocsExtraction {
  pages: (PageExtraction & {locale: Locale; page: string})[];
  /** The runbooks generated from the English pages, by name. */
  runbooks: RunbookPlan[];
  errors: ExtractionError[];
}

export function extractDocs(root = REPO_ROOT): DocsExtraction {
  const pages = listPages(root).map((p) => ({
    ...extractPage(p.file, readFileSync(join(root, p.file), 'utf8')),
    locale: p.locale,
    page: p.page,
  }));
  const errors = pages.flatMap((p) => p.errors);
  const runbooks: RunbookPlan[] = [];
  for (const page of pages.filter((p) => p.locale === DEFAULT_LOCALE)) {
    if (page.runbooks.length > 0 && !SAFE_PATH.test(page.file)) {
      errors.push({file: page.file, line: 1, message: 'a page with runbooks needs a file name of letters, digits and ._/-'});
    }
    for (const plan of page.runbooks) {
      const twin = runbooks.find((r) => r.name === plan.name);
      if (twin) errors.push({file: page.file, line: 1, message: `runbook ${plan.name} is also declared in ${twin.source}`});
      else runbooks.push(plan);
    }
  }
  runbooks.sort((a, b) => (a.name < b.name ? -1 : 1));
  return {pages, runbooks, errors};
}

export function formatError(e: ExtractionError): string {
  return `${e.file}:${e.line}: ${e.message}`;
}

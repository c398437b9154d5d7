// Where English pages, translations and the translations config live in the repository.
import {readdirSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import {join, posix} from 'node:path';

export const DOCS_DIR = 'docs';
export const CONFIG_FILE = 'i18n/translations.config.json';

export interface TranslationsConfig {
  /** Locales whose docs are tracked, e.g. ["zh-Hans"]. */
  locales: string[];
  /** Per locale, English pages (docs-relative, e.g. "guides/page.md") allowed to have no translation. */
  allowedMissing: Record<string, string[]>;
}

export class UsageError extends Error {}

export function translationDir(locale: string): string {
  return `i18n/${locale}/docusaurus-plugin-content-docs/current`;
}

export const englishFile = (page: string): string => posix.join(DOCS_DIR, page);
export const translationFile = (locale: string, page: string): string => posix.join(translationDir(locale), page);

export async function readConfig(root: string): Promise<TranslationsConfig> {
  let raw: string;
  try {
    raw = await readFile(join(root, CONFIG_FILE), 'utf8');
  } catch {
    throw new UsageError(`${CONFIG_FILE} not found in ${root}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (error) {
    throw new UsageError(`${CONFIG_FILE} is not valid JSON: ${(error as Error).message}`);
  }
  const config = data as Partial<TranslationsConfig>;
  const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
  if (!isStringList(config.locales) || typeof config.allowedMissing !== 'object' || config.allowedMissing === null
    || !Object.values(config.allowedMissing).every(isStringList)) {
    throw new UsageError(`${CONFIG_FILE} must look like {"locales": ["zh-Hans"], "allowedMissing": {"zh-Hans": []}}`);
  }
  return {locales: config.locales, allowedMissing: config.allowedMissing};
}

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

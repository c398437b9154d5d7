// i18n/translations.config.json: which pages may lack a translation. The locales tracked are every
// locale but the default one, from the site's one list (src/site-layout/locales.mts).
import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {UsageError} from '../io/command-line.mts';
import {TRANSLATED_LOCALES} from '../site-layout/locales.mts';

export const CONFIG_FILE = 'i18n/translations.config.json';

export interface TranslationsConfig {
  /** Locales whose docs are tracked, e.g. ["zh-Hans"] (src/site-layout/locales.mts). */
  locales: string[];
  /** Per locale, English pages (docs-relative, e.g. "guides/page.md") allowed to have no translation. */
  allowedMissing: Record<string, string[]>;
}

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
  if (typeof config !== 'object' || config === null || 'locales' in config) {
    throw new UsageError(`${CONFIG_FILE}: the locales are src/site-layout/locales.mts's list; the file holds only {"allowedMissing": {"zh-Hans": []}}`);
  }
  if (typeof config.allowedMissing !== 'object' || config.allowedMissing === null || !Object.values(config.allowedMissing).every(isStringList)) {
    throw new UsageError(`${CONFIG_FILE} must look like {"allowedMissing": {"zh-Hans": []}}`);
  }
  return {locales: [...TRANSLATED_LOCALES], allowedMissing: config.allowedMissing};
}

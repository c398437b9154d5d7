// `i18n:sync`: makes `outdated:` flags tell the truth, and records fresh translations (`--accept`).
import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {setTranslationFields} from './front-matter-edit.mts';
import {readTranslationMeta, type TranslationMeta} from './front-matter.mts';
import {hasUncommittedChanges, lastCommitOf, UsageError} from '../io/index.mts';
import {englishFile, translationFile, translationDir} from '../site-layout/index.mts';
import {readConfig} from './config.mts';
import {newBackupRun, replaceFile} from './file-write.mts';
import type {PageStatus} from './status.mts';

export interface SyncResult {
  /** Translation files whose `outdated:` line was rewritten, with the new value. */
  rewritten: {file: string; outdated: boolean}[];
  /** Translation files that could not be rewritten, and why. */
  failed: {file: string; error: string}[];
  /** Where the originals were saved (undefined when nothing was written). */
  backupRun?: string;
}

/** Rewrites the `outdated:` line of every translation whose flag lies; other bytes stay as they were. */
export async function syncOutdatedFlags(root: string, statuses: PageStatus[]): Promise<SyncResult> {
  const lying = statuses.filter((s) => s.problems.some((p) => p.code === 'outdated-flag-lies'));
  const result: SyncResult = {rewritten: [], failed: []};
  if (lying.length === 0) return result;
  const backupRun = newBackupRun(root);
  for (const status of lying) {
    const outdated = status.outdated as boolean;
    const bytes = await readFile(join(root, status.translationFile));
    let edited: Buffer;
    try {
      edited = setTranslationFields(bytes, {outdated});
    } catch (error) {
      result.failed.push({file: status.translationFile, error: (error as Error).message});
      continue;
    }
    await replaceFile(root, backupRun, status.translationFile, edited);
    result.rewritten.push({file: status.translationFile, outdated});
    result.backupRun = backupRun;
  }
  return result;
}

/**
 * Finds the translation file a `--accept` argument names: a translation path, an English path
 * ("docs/guides/page.md") or a docs-relative page ("guides/page.md"), in the only locale or `locale`.
 */
export async function resolveAcceptTarget(root: string, arg: string, locale?: string): Promise<{locale: string; page: string}> {
  const {locales} = await readConfig(root);
  for (const candidate of locales) {
    const prefix = translationDir(candidate) + '/';
    if (arg.startsWith(prefix)) return {locale: candidate, page: arg.slice(prefix.length)};
  }
  const page = arg.startsWith('docs/') ? arg.slice('docs/'.length) : arg;
  if (locale !== undefined && !locales.includes(locale)) throw new UsageError(`unknown locale ${locale} (tracked: ${locales.join(', ')})`);
  if (locale === undefined && locales.length !== 1) {
    throw new UsageError(`${arg}: more than one locale is tracked; pass the translation's path or --locale`);
  }
  return {locale: locale ?? locales[0], page};
}

/** Records that the translation of `page` is fresh: source_commit = the English file's last commit. */
export async function acceptTranslation(root: string, locale: string, page: string): Promise<{file: string; commit: string; backupRun?: string}> {
  const source = englishFile(page);
  const file = translationFile(locale, page);
  const bytes = await readFile(join(root, file)).catch(() => {
    throw new UsageError(`${file} does not exist: translate the page there first`);
  });
  if (await hasUncommittedChanges(root, source)) {
    throw new UsageError(`${source} has uncommitted changes: commit the English page first, then accept its translation`);
  }
  const commit = await lastCommitOf(root, source);
  if (commit === null) throw new UsageError(`${source} is not committed, so there is no source commit to record`);
  const wanted: TranslationMeta = {source_commit: commit, source_file: source, outdated: false};
  const current = readTranslationMeta(bytes.toString('utf8'));
  // Only fields that differ are written, so an accepted page is left byte-for-byte as it was.
  const fields = Object.fromEntries(Object.entries(wanted).filter(
    ([key, value]) => !current.ok || current.meta[key as keyof TranslationMeta] !== value));
  if (Object.keys(fields).length === 0) return {file, commit};
  const backupRun = newBackupRun(root);
  await replaceFile(root, backupRun, file, setTranslationFields(bytes, fields));
  return {file, commit, backupRun};
}

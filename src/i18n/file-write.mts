// Safe edits of users' files: a backup of each run in one folder, then the safe writer's atomic
// replace (src/io/safe-write.mts); the last run can be undone.
import {copyFile, mkdir, readFile, readdir, rm} from 'node:fs/promises';
import {dirname, join, relative} from 'node:path';
import {writeFileSafely} from '../io/index.mts';

export const BACKUP_DIR = '.i18n-sync-backup';

/** Where one sync run keeps its backups: `.i18n-sync-backup/<UTC timestamp>/`. */
export function newBackupRun(root: string): string {
  return join(root, BACKUP_DIR, new Date().toISOString().replace(/[:.]/g, '-'));
}

/** Backs `file` (relative to root) up into `backupRun`, then replaces it atomically with `bytes`. */
export async function replaceFile(root: string, backupRun: string, file: string, bytes: Buffer): Promise<void> {
  const target = join(root, file);
  const backup = join(backupRun, file);
  await mkdir(dirname(backup), {recursive: true});
  await copyFile(target, backup);
  writeFileSafely(target, bytes);
}

/** Restores every file of the newest backup run and deletes that run; returns the restored paths. */
export async function undoLastRun(root: string): Promise<string[]> {
  const runs = (await readdir(join(root, BACKUP_DIR)).catch(() => [] as string[])).sort();
  const last = runs.at(-1);
  if (last === undefined) return [];
  const run = join(root, BACKUP_DIR, last);
  const files = (await readdir(run, {recursive: true, withFileTypes: true}))
    .filter((entry) => entry.isFile())
    .map((entry) => relative(run, join(entry.parentPath, entry.name)));
  for (const file of files) writeFileSafely(join(root, file), await readFile(join(run, file)));
  await rm(run, {recursive: true});
  return files;
}

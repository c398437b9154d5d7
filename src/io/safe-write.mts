// The one way this project replaces a user's file: the path is followed through symlinks (the
// link stays a link), the old content is copied to a backup first, the new content goes to a
// temporary file in the same directory, is fsynced and renamed over the target, so that the file
// is always either the old or the new content, never partial. Mode (and, as root, owner) are kept.
// Errors are one line: "cannot edit FILE: reason".
import * as fs from 'node:fs';
import * as path from 'node:path';
import {RefusedError} from './command-line.mts';
import {escapeRegex} from './text.mts';

const MAX_SYMLINKS = 40;

export interface SafeWriteOptions {
  /**
   * Where to copy the old content before replacing it: the name's stem (e.g. `FILE.bak-<stamp>`);
   * `-1`, `-2`, … is added when that name is taken. No backup when absent.
   */
  backupStem?: (target: string) => string;
  /** The written file's permission bits, replacing the old file's (`0o600` for a report that
   *  could name private hosts); the old file's mode is kept when absent. */
  mode?: number;
}

export interface SafeWrite {
  /** The file finally written (the symlink's target when `file` is a link). */
  target: string;
  backup?: string;
}

/**
 * The project's one backup name: FILE.bak-YYYYmmddHHMMSS (UTC) beside the real file, `-N` added by
 * the writer when that name is taken. Startup files and a runbook's `file` steps both use it.
 */
export function timestampedBackup(target: string): string {
  return `${target}.bak-${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`;
}

/** The file a path finally names, following symlinks, so that the link itself stays a link. */
export function resolveTarget(file: string): string {
  let current = path.resolve(file);
  for (let hops = 0; hops <= MAX_SYMLINKS; hops++) {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(current);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return current;
      throw cannotEdit(file, error);
    }
    if (!stat.isSymbolicLink()) {
      if (stat.isDirectory()) throw new RefusedError(`cannot edit ${file}: it is a directory, not a file`);
      if (!stat.isFile()) throw new RefusedError(`cannot edit ${file}: it is not a regular file`);
      return current;
    }
    current = path.resolve(path.dirname(current), fs.readlinkSync(current));
  }
  throw new RefusedError(`cannot edit ${file}: too many levels of symbolic links (a symlink loop?)`);
}

/** The file's bytes, or undefined when it does not exist. */
export function readIfExists(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(resolveTarget(file));
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    if (error instanceof Error && error.message.startsWith('cannot edit ')) throw error;
    throw cannotEdit(file, error);
  }
}

export function writeFileSafely(file: string, content: string | Buffer, options: SafeWriteOptions = {}): SafeWrite {
  const target = resolveTarget(file);
  const dir = path.dirname(target);
  const stat = statIfExists(file, target);
  // Root may write anything, so a file nobody may write is refused by its mode, not by EACCES.
  if (stat && (stat.mode & 0o222) === 0) {
    throw new RefusedError(`cannot edit ${file}: it is read-only (mode ${(stat.mode & 0o777).toString(8)}); make it writable or choose another file`);
  }
  try {
    if (!stat) fs.mkdirSync(dir, {recursive: true});
    if (stat) fs.accessSync(target, fs.constants.W_OK);
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (error) {
    throw cannotEdit(file, error);
  }
  removeLeftovers(file);
  const backup = stat && options.backupStem ? copyToFreeName(file, target, options.backupStem(target), stat) : undefined;
  const temp = path.join(dir, `.${path.basename(target)}.tmp-${process.pid}-${Date.now()}`);
  let renamed = false;
  try {
    const mode = options.mode ?? (stat ? stat.mode & 0o7777 : 0o666);
    const fd = fs.openSync(temp, 'wx', mode);
    try {
      fs.writeFileSync(fd, content);
      if (stat || options.mode !== undefined) fs.fchmodSync(fd, mode);
      if (stat && process.getuid?.() === 0) fs.fchownSync(fd, stat.uid, stat.gid);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, target);
    renamed = true;
    syncDirectory(dir);
  } catch (error) {
    // The file is unchanged, so the backup made for this write (a disk that filled up after it)
    // would only be an orphan.
    fs.rmSync(temp, {force: true});
    if (backup && !renamed) fs.rmSync(backup, {force: true});
    throw cannotEdit(file, error);
  }
  return backup ? {target, backup} : {target};
}

function statIfExists(file: string, target: string): fs.Stats | undefined {
  try {
    return fs.statSync(target);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw cannotEdit(file, error);
  }
}

/** The rename itself survives a power cut only once the directory is synced. */
function syncDirectory(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Copies the old content to the first free name from `stem`. The copy is made under a temporary
 * name and then hard-linked to its final name (atomic, and refused if the name is taken), so a
 * backup is never a partial copy, even when the process is killed mid-copy.
 */
function copyToFreeName(file: string, target: string, stem: string, original: fs.Stats): string {
  const partial = `${stem}.partial-${process.pid}`;
  try {
    fs.copyFileSync(target, partial);
    // Root editing another user's file: the backup is that user's, so their own --undo can use it.
    if (process.getuid?.() === 0) fs.chownSync(partial, original.uid, original.gid);
    for (let n = nextSuffix(stem); ; n++) {
      const backup = n === 0 ? stem : `${stem}-${n}`;
      try {
        fs.linkSync(partial, backup);
        return backup;
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') throw error;
      }
    }
  } catch (error) {
    throw cannotEdit(file, error);
  } finally {
    fs.rmSync(partial, {force: true});
  }
}

/** 0 when no name from `stem` exists yet, else one more than the highest `-N` in use: backup
 * names keep growing, so they sort in the order they were made even after old ones are pruned. */
function nextSuffix(stem: string): number {
  const base = path.basename(stem);
  const pattern = new RegExp(`^${escapeRegex(base)}(?:-(\\d+))?$`);
  let next = 0;
  for (const entry of fs.readdirSync(path.dirname(stem))) {
    const match = pattern.exec(entry);
    if (match) next = Math.max(next, Number(match[1] ?? 0) + 1);
  }
  return next;
}

/** Temporary files a killed writer left beside the file (their pid is gone): removed. */
export function removeLeftovers(file: string): void {
  const target = resolveTarget(file);
  const dir = path.dirname(target);
  const base = path.basename(target);
  const pattern = new RegExp(`^(?:\\.${escapeRegex(base)}\\.tmp|${escapeRegex(base)}\\..*\\.partial)-(\\d+)(?:-\\d+)?$`);
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    const pid = Number(pattern.exec(entry)?.[1]);
    if (pid && pid !== process.pid && !processExists(pid)) fs.rmSync(path.join(dir, entry), {force: true});
  }
}

/** Whether a process with this pid exists (EPERM: it does, as another user). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

export function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  ENOENT: 'no such file or directory',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ELOOP: 'too many levels of symbolic links (a symlink loop?)',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory, not a file',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
};

// What the user's file or its directory refuses: exit 2 ("refused"), not a failure of the run.
const REFUSALS = new Set(['EACCES', 'EPERM', 'EROFS', 'ELOOP', 'ENOTDIR', 'EISDIR', 'ENOENT']);

export function cannotEdit(file: string, error: unknown): Error {
  if (error instanceof Error && error.message.startsWith('cannot edit ')) return error;
  return fileSystemError(`cannot edit ${file}`, error);
}

/** `SUBJECT: reason[; advice]` in words: a RefusedError (exit 2) when the file system refused, else an Error. */
export function fileSystemError(subject: string, error: unknown, advice?: string): Error {
  const code = errorCode(error);
  const reason = (code && REASONS[code]) ?? (error instanceof Error ? error.message : String(error));
  const message = `${subject}: ${reason}${advice ? `; ${advice}` : ''}`;
  return code && REFUSALS.has(code) ? new RefusedError(message) : new Error(message);
}

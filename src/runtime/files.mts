// `file` steps: write a file only when absent or identical (or with --force, after a backup),
// atomically; remember what was written so that --undo can take it back when still unchanged.
import {createHash} from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface WrittenFile {
  /** Absolute path. */
  file: string;
  sha256: string;
  /** Where the previous content went, when --force replaced it. */
  backup: string | null;
}

export type WriteOutcome =
  | {status: 'unchanged'}
  | {status: 'written'; record: WrittenFile}
  | {status: 'differs'};

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

function readIfExists(file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export function writeAtomically(file: string, content: string, mode?: number): void {
  fs.mkdirSync(path.dirname(file), {recursive: true});
  const temp = `${file}.tmp-${process.pid}`;
  try {
    fs.writeFileSync(temp, content, {mode});
    fs.renameSync(temp, file);
  } finally {
    fs.rmSync(temp, {force: true});
  }
}

function freeBackupName(file: string): string {
  for (let n = 0; ; n++) {
    const candidate = `${file}.runbook-backup${n === 0 ? '' : `-${n}`}`;
    if (!fs.existsSync(candidate)) return candidate;
  }
}

export function writeStepFile(file: string, content: string, force: boolean): WriteOutcome {
  const old = readIfExists(file);
  if (old !== null && old.toString('utf8') === content) return {status: 'unchanged'};
  if (old !== null && !force) return {status: 'differs'};
  let backup: string | null = null;
  if (old !== null) {
    backup = freeBackupName(file);
    fs.copyFileSync(file, backup, fs.constants.COPYFILE_EXCL);
  }
  writeAtomically(file, content, old === null ? undefined : fs.statSync(file).mode & 0o7777);
  return {status: 'written', record: {file, sha256: sha256(content), backup}};
}

export type UndoFileOutcome = 'removed' | 'restored' | 'changed' | 'absent';

/** Takes back a written file if it still holds what the runbook wrote. */
export function undoStepFile(record: WrittenFile): UndoFileOutcome {
  const current = readIfExists(record.file);
  if (current === null) return 'absent';
  if (sha256(current) !== record.sha256) return 'changed';
  if (record.backup && fs.existsSync(record.backup)) {
    fs.renameSync(record.backup, record.file);
    return 'restored';
  }
  fs.rmSync(record.file);
  return 'removed';
}

// `file` steps: write a file only when absent or identical (or with --force, after a backup),
// through the one safe writer (src/io/safe-write.mts); remember what was written so that --undo
// can take it back when still unchanged.
import * as fs from 'node:fs';
import {sha256} from '../io/hash.mts';
import {readIfExists, timestampedBackup, writeFileSafely} from '../io/safe-write.mts';

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

export function writeStepFile(file: string, content: string, force: boolean): WriteOutcome {
  const old = readIfExists(file);
  if (old !== undefined && old.toString('utf8') === content) return {status: 'unchanged'};
  if (old !== undefined && !force) return {status: 'differs'};
  const {backup} = writeFileSafely(file, content, {backupStem: timestampedBackup});
  return {status: 'written', record: {file, sha256: sha256(content), backup: backup ?? null}};
}

export type UndoFileOutcome = 'removed' | 'restored' | 'changed' | 'absent';

/** Takes back a written file if it still holds what the runbook wrote. */
export function undoStepFile(record: WrittenFile): UndoFileOutcome {
  const current = readIfExists(record.file);
  if (current === undefined) return 'absent';
  if (sha256(current) !== record.sha256) return 'changed';
  const backup = record.backup ? readIfExists(record.backup) : undefined;
  if (backup !== undefined) {
    // Through the safe writer like every write: the file is the current or the restored content, never partial.
    writeFileSafely(record.file, backup);
    fs.rmSync(record.backup!);
    return 'restored';
  }
  fs.rmSync(record.file);
  return 'removed';
}

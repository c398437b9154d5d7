// What `env-holders fix` changed, for `--undo` from a later run: the tmux variables as they were
// before the first change (set, unset or removed) and as written, and the files written with
// their backup (none: the file did not exist) and the sha256 of what was written, so that a
// hand edit since is noticed. No file content is kept here: ~/.docker/config.json holds logins.
import * as path from 'node:path';
import type {Env} from '../io/env.mts';
import {readStateFile, stateDir, writeStateFile} from '../io/state-dir.mts';
import type {TmuxValue} from './tmux.mts';

export interface TmuxRecord {
  socket: string;
  name: string;
  before: TmuxValue;
  written: string;
}

export interface FileRecord {
  file: string;
  /** The copy of the file before the first change; null when the runbook created it. */
  backup: string | null;
  sha256: string;
}

export interface HoldersState {
  tmux: TmuxRecord[];
  files: FileRecord[];
}

export function holdersStateFile(env: Env): string | null {
  const dir = stateDir(env);
  return dir ? path.join(dir, 'env-holders.json') : null;
}

export function readHoldersState(file: string | null): HoldersState {
  const parsed = readStateFile(file) as Partial<HoldersState> | null;
  return {tmux: parsed?.tmux ?? [], files: parsed?.files ?? []};
}

export function writeHoldersState(file: string | null, state: HoldersState): void {
  writeStateFile(file, state, state.tmux.length === 0 && state.files.length === 0);
}

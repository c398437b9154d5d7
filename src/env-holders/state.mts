// What `env-holders fix` changed, for `--undo` from a later run: the tmux variables as they were
// before the first change (set, unset or removed) and as written, and the files written with
// their backup (none: the file did not exist) and the sha256 of what was written, so that a
// hand edit since is noticed. No file content is kept here: ~/.docker/config.json holds logins.
import {createHash} from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type {Env} from '../io/env.mts';
import {writeFileSafely} from '../io/safe-write.mts';
import {stateDir} from '../io/state-dir.mts';
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
  if (file === null || !fs.existsSync(file)) return {tmux: [], files: []};
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<HoldersState>;
  return {tmux: parsed.tmux ?? [], files: parsed.files ?? []};
}

export function writeHoldersState(file: string | null, state: HoldersState): void {
  if (file === null) return;
  if (state.tmux.length === 0 && state.files.length === 0) {
    fs.rmSync(file, {force: true});
    return;
  }
  writeFileSafely(file, `${JSON.stringify(state, null, 2)}\n`);
}

export function sha256(bytes: string | Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

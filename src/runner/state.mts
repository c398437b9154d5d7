// What a runbook changed on this machine, kept so that --undo works from a later run:
// $XDG_STATE_HOME/llm-network-runbooks/<runbook>.json (default ~/.local/state/…).
import * as fs from 'node:fs';
import * as path from 'node:path';
import {writeFileSafely} from '../io/safe-write.mts';
import {stateDir} from '../io/state-dir.mts';
import type {WrittenFile} from './files.mts';

export interface RunbookState {
  files: WrittenFile[];
  rcBlocks: WrittenBlock[];
}

export interface WrittenBlock {
  file: string;
  id: string;
  /** The block's lines as the runbook last wrote them (credentials redacted), to notice hand edits. */
  body?: string;
  /** The backup taken before that write. */
  backup?: string;
}

export function stateFile(runbook: string, env: Record<string, string | undefined>): string | null {
  const dir = stateDir(env);
  return dir ? path.join(dir, `${runbook}.json`) : null;
}

export function readState(file: string | null): RunbookState {
  if (file === null || !fs.existsSync(file)) return {files: [], rcBlocks: []};
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<RunbookState>;
  return {files: parsed.files ?? [], rcBlocks: parsed.rcBlocks ?? []};
}

export function writeState(file: string | null, state: RunbookState): void {
  if (file === null) return;
  if (state.files.length === 0 && state.rcBlocks.length === 0) {
    fs.rmSync(file, {force: true});
    return;
  }
  writeFileSafely(file, `${JSON.stringify(state, null, 2)}\n`);
}

// What a runbook changed on this machine, kept so that --undo works from a later run:
// $XDG_STATE_HOME/llm-network-runbooks/<runbook>.json (default ~/.local/state/…).
import * as path from 'node:path';
import {readStateFile, stateDir, writeStateFile} from '../io/state-dir.mts';
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
  const parsed = readStateFile(file) as Partial<RunbookState> | null;
  return {files: parsed?.files ?? [], rcBlocks: parsed?.rcBlocks ?? []};
}

export function writeState(file: string | null, state: RunbookState): void {
  writeStateFile(file, state, state.files.length === 0 && state.rcBlocks.length === 0);
}

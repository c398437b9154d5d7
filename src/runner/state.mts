// What a runbook changed on this machine, kept so that --undo works from a later run:
// $XDG_STATE_HOME/llm-network-runbooks/<runbook>.json (default ~/.local/state/…).
import * as fs from 'node:fs';
import * as path from 'node:path';
import {writeFileSafely} from '../io/safe-write.mts';
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
  const base = env.XDG_STATE_HOME || (env.HOME ? path.join(env.HOME, '.local', 'state') : null);
  return base ? path.join(base, 'llm-network-runbooks', `${runbook}.json`) : null;
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
  if (process.getuid?.() === 0) giveToOwner(file);
}

/**
 * Root running for another user (HOME is theirs): the state is that user's, so their own --undo
 * can read and rewrite it. The file and the root-owned directories above it that this run may have
 * created (`llm-network-runbooks`, `state`, `.local`) take the owner of the first directory above
 * them that root does not own; nothing changes when there is none.
 */
function giveToOwner(file: string): void {
  const created = [file];
  let dir = path.dirname(file);
  for (let level = 0; level < 3 && fs.statSync(dir).uid === 0 && path.dirname(dir) !== dir; level++) {
    created.push(dir);
    dir = path.dirname(dir);
  }
  const owner = fs.statSync(dir);
  if (owner.uid === 0) return;
  for (const entry of created) fs.chownSync(entry, owner.uid, owner.gid);
}

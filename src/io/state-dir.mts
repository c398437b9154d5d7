// Where the runbooks remember what they changed on this machine, for --undo from a later run:
// $XDG_STATE_HOME/llm-network-runbooks (default ~/.local/state/llm-network-runbooks), one JSON
// file per owner, removed when there is nothing left to undo.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type {Env} from './env.mts';
import {writeFileSafely} from './safe-write.mts';

export function stateDir(env: Env): string | null {
  const base = env.XDG_STATE_HOME || (env.HOME ? path.join(env.HOME, '.local', 'state') : null);
  return base ? path.join(base, 'llm-network-runbooks') : null;
}

/** The parsed JSON of a state file, or null when there is none (or no file name). */
export function readStateFile(file: string | null): unknown {
  if (file === null || !fs.existsSync(file)) return null;
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Writes `state` (safely), or removes the file when there is nothing left to undo. */
export function writeStateFile(file: string | null, state: unknown, empty: boolean): void {
  if (file === null) return;
  if (empty) return void fs.rmSync(file, {force: true});
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

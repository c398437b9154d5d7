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
  if (empty) fs.rmSync(file, {force: true});
  else writeFileSafely(file, `${JSON.stringify(state, null, 2)}\n`);
}

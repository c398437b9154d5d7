// Where the runbooks remember what they changed on this machine, for --undo from a later run:
// $XDG_STATE_HOME/llm-network-runbooks (default ~/.local/state/llm-network-runbooks).
import * as path from 'node:path';
import type {Env} from './env.mts';

export function stateDir(env: Env): string | null {
  const base = env.XDG_STATE_HOME || (env.HOME ? path.join(env.HOME, '.local', 'state') : null);
  return base ? path.join(base, 'llm-network-runbooks') : null;
}

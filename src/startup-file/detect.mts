// Which startup file a new terminal reads, and which shell reads it: from $SHELL (and HOME,
// ZDOTDIR), or the file --rc names (its name tells the shell: *.fish is fish, *zsh* is zsh).
import * as path from 'node:path';
import {RefusedError, shownValue} from '../io/command-line.mts';
import type {Env} from '../io/env.mts';

export type Shell = 'bash' | 'zsh' | 'fish';

export interface StartupFile {
  shell: Shell;
  file: string;
  /** Set when $SHELL was missing or unknown and bash was assumed. */
  reason?: string;
}

export function detectStartupFile(env: {SHELL?: string; HOME?: string; ZDOTDIR?: string}): StartupFile {
  const home = env.HOME;
  if (!home) throw new RefusedError('cannot find the shell startup file: HOME is not set (pass --rc FILE)');
  // A relative HOME names a different file from every directory a shell starts in.
  if (!path.isAbsolute(home)) throw new RefusedError(`cannot find the shell startup file: HOME=${shownValue(home)} is not an absolute path (pass --rc FILE)`);
  const name = path.basename(env.SHELL ?? '');
  if (name === 'zsh') return {shell: 'zsh', file: path.join(env.ZDOTDIR || home, '.zshrc')};
  if (name === 'fish') return {shell: 'fish', file: path.join(home, '.config', 'fish', 'config.fish')};
  const file = path.join(home, '.bashrc');
  if (name === 'bash') return {shell: 'bash', file};
  const reason = env.SHELL ? `SHELL=${env.SHELL} is not bash, zsh or fish` : 'SHELL is not set';
  return {shell: 'bash', file, reason: `${reason}; assuming bash (pass --rc FILE to choose)`};
}

/** The startup file --rc names, or the detected one when --rc was not given. */
export function rcTarget(env: Env, rc: string | null): StartupFile {
  if (rc === null) return detectStartupFile(env);
  const shell: Shell = rc.endsWith('.fish') ? 'fish' : /zsh/.test(path.basename(rc)) ? 'zsh' : 'bash';
  return {file: path.resolve(rc), shell};
}

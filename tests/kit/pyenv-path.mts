// The suite starts Python (`python3` from PATH: the runbooks' client detection, the guides' snippets,
// the client matrix) a few hundred times. Where PATH reaches Python through pyenv's shims, as on this
// machine, each start runs pyenv's shell scripts first: about 40 processes and 0.18 s of CPU before
// the interpreter, against 0.02 s for the interpreter itself. `pyenvDirectPath` puts the bin folder
// of the version pyenv selects right before the shims: the same interpreter, with the same packages,
// that the shim would have started (`pyenv exec` prepends that folder too), minus the scripts.
import {execFileSync} from 'node:child_process';
import {basename, delimiter, join} from 'node:path';

/** PATH with the selected pyenv versions' bin folders before pyenv's shims; PATH unchanged when no
 *  shims are on it, pyenv is missing, or the selection is the system Python (`pyenv exec` then
 *  runs what follows the shims on PATH anyway). */
export function pyenvDirectPath(path: string, env: NodeJS.ProcessEnv): string {
  const entries = path.split(delimiter);
  const shims = entries.findIndex((entry) => basename(entry) === 'shims' && entry.includes('pyenv'));
  if (shims < 0) return path;
  let prefixes: string[];
  try {
    // One line per selected version; fails when the selection names a version that is not installed.
    const names = execFileSync('pyenv', ['version-name'], {env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']}).trim().split(':');
    if (names.includes('system')) return path;
    prefixes = execFileSync('pyenv', ['prefix'], {env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']}).trim().split(delimiter);
  } catch {
    return path;
  }
  const direct = prefixes.filter(Boolean).map((prefix) => join(prefix, 'bin'));
  return [...entries.slice(0, shims), ...direct, ...entries.slice(shims)].join(delimiter);
}

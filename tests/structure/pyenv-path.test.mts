// vitest.config.mts runs the suite with pyenvDirectPath's PATH: the interpreter pyenv's shim would
// start, without the shim. Checked against a stand-in pyenv in a temp dir, and, where this machine
// has pyenv, against the real one: both PATHs start the same Python.
import {execFileSync} from 'node:child_process';
import {chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {delimiter, join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {pyenvDirectPath} from '../kit/pyenv-path.mts';

const root = mkdtempSync(join(tmpdir(), 'pyenv-path-'));
afterAll(() => rmSync(root, {recursive: true, force: true}));

/** A pyenv root whose `pyenv` answers version-name and prefix as the real one does. */
function standIn(name: string, versionNames: string, prefixes: string): {bin: string; shims: string} {
  const base = join(root, name);
  const bin = join(base, 'bin');
  const shims = join(base, 'shims');
  mkdirSync(bin, {recursive: true});
  mkdirSync(shims, {recursive: true});
  const pyenv = join(bin, 'pyenv');
  writeFileSync(pyenv, `#!/bin/sh\ncase "$1" in\n  version-name) echo '${versionNames}' ;;\n  prefix) echo '${prefixes}' ;;\n  *) exit 1 ;;\nesac\n`);
  chmodSync(pyenv, 0o755);
  return {bin, shims};
}

describe('pyenvDirectPath', () => {
  it('puts the selected versions\' bin folders right before the shims', () => {
    const {bin, shims} = standIn('two', '3.11.7:3.10.1', `/v/3.11.7${delimiter}/v/3.10.1`);
    const path = [bin, shims, '/usr/bin'].join(delimiter);
    expect(pyenvDirectPath(path, {PATH: path})).toBe([bin, '/v/3.11.7/bin', '/v/3.10.1/bin', shims, '/usr/bin'].join(delimiter));
  });

  it('leaves PATH alone for the system Python, a version that is not installed, or no shims', () => {
    const system = standIn('system', 'system', '/usr');
    const systemPath = [system.bin, system.shims, '/usr/bin'].join(delimiter);
    expect(pyenvDirectPath(systemPath, {PATH: systemPath})).toBe(systemPath);
    const broken = standIn('broken', '3.9.0', '');
    writeFileSync(join(broken.bin, 'pyenv'), '#!/bin/sh\necho "pyenv: version \\`3.9.0\' is not installed" >&2\nexit 1\n');
    const brokenPath = [broken.bin, broken.shims, '/usr/bin'].join(delimiter);
    expect(pyenvDirectPath(brokenPath, {PATH: brokenPath})).toBe(brokenPath);
    expect(pyenvDirectPath('/usr/local/bin:/usr/bin', {PATH: '/usr/local/bin:/usr/bin'})).toBe('/usr/local/bin:/usr/bin');
  });

  // The suite's own PATH is already rewritten by vitest.config.mts; the shims are still on it.
  const shimmed = (process.env.PATH ?? '').split(delimiter).some((entry) => entry.endsWith(`${join('pyenv', 'shims')}`));
  it.skipIf(!shimmed)('with this machine\'s pyenv, python3 is the interpreter the shim starts', () => {
    const shimOnly = (process.env.PATH ?? '').split(delimiter).filter((entry) => !entry.includes(`${join('.pyenv', 'versions')}`)).join(delimiter);
    const executable = (path: string) =>
      realpathSync(execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], {env: {...process.env, PATH: path}, encoding: 'utf8'}).trim());
    const direct = pyenvDirectPath(shimOnly, {...process.env, PATH: shimOnly});
    expect(direct).not.toBe(shimOnly);
    expect(executable(direct)).toBe(executable(shimOnly));
  });
});

// Which Python interpreters detection asks (src/netcheck/installed.mts): each file once, since every
// interpreter asked is a Python start in every run; a venv's python3, a link to the system's with
// packages of its own, is a file of its own.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {commandPath} from '../../src/io/index.mts';
import {pythonCandidates} from '../../src/netcheck/installed.mts';

const SYSTEM_PYTHON = '/usr/bin/python3';
const describeIf = fs.existsSync(SYSTEM_PYTHON) ? describe : describe.skip;

describeIf('pythonCandidates', () => {
  let venvBin: string;
  beforeAll(() => {
    venvBin = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'python-candidates-')), 'bin');
    fs.mkdirSync(venvBin);
    fs.symlinkSync(SYSTEM_PYTHON, path.join(venvBin, 'python3'));
  });
  afterAll(() => fs.rmSync(path.dirname(venvBin), {recursive: true, force: true}));

  it('asks /usr/bin/python3 once when it is the python3 PATH finds', () => {
    expect(commandPath('python3', {PATH: '/usr/bin:/bin'})).toBe(SYSTEM_PYTHON);
    expect(pythonCandidates({PATH: '/usr/bin:/bin'})).toEqual(['python3']);
    expect(pythonCandidates({PATH: '/usr/bin:/bin', RUNBOOK_PYTHON: SYSTEM_PYTHON})).toEqual([SYSTEM_PYTHON]);
  });

  it('keeps a venv\'s python3 beside the system one, though it links to it', () => {
    const env = {PATH: `${venvBin}:/usr/bin:/bin`};
    expect(commandPath('python3', env)).toBe(path.join(venvBin, 'python3'));
    expect(pythonCandidates(env)).toEqual(['python3', SYSTEM_PYTHON]);
    expect(pythonCandidates({...env, RUNBOOK_PYTHON: path.join(venvBin, 'python3')})).toEqual([path.join(venvBin, 'python3'), SYSTEM_PYTHON]);
  });

  it('keeps a name PATH does not find (its run then says so)', () => {
    expect(commandPath('python3', {PATH: venvBin + '-absent'})).toBeUndefined();
    expect(pythonCandidates({PATH: venvBin + '-absent'})).toEqual(['python3', SYSTEM_PYTHON]);
  });
});

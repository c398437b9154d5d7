// On a terminal (a pseudo-terminal from util-linux `script`): zx's spinner shows progress, and a
// step that changes the machine is asked about instead of refused.
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {makeSandbox, type RunbookSandbox} from '../kit/runbooks.mts';

let box: RunbookSandbox;
const SPINNER_FRAMES = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] \[1\/2\] probe \(check\)/;

beforeAll(async () => {
  box = await makeSandbox(readFileSync('tests/runner/fixtures/terminal.md', 'utf8'));
});
afterAll(() => box?.cleanup());

describe('on a terminal', () => {
  const rc = () => join(box.home, '.bashrc');

  it('spins while a step runs and asks before the change; "n" leaves the startup file alone', async () => {
    const result = await box.run('ask', ['--rc', rc()], {via: 'terminal', env: {CI: ''}, input: 'n\n'});
    expect(result.stdout).toMatch(SPINNER_FRAMES);
    expect(result.stdout).toContain('[2/2] persist (rc-block) changes this machine');
    expect(result.stdout).toContain('skipped: declined');
    expect(existsSync(rc())).toBe(false);
  });

  it('"y" applies the change', async () => {
    const result = await box.run('ask', ['--rc', rc()], {via: 'terminal', env: {CI: ''}, input: 'y\n'});
    expect(result.code).toBe(0);
    expect(readFileSync(rc(), 'utf8')).toContain('export NO_PROXY=localhost,127.0.0.1');
  });

  it('prints plain progress lines without a spinner when CI is set', async () => {
    const result = await box.run('ask', ['--rc', rc(), '--yes'], {via: 'terminal'});
    expect(result.stdout).not.toMatch(SPINNER_FRAMES);
    expect(result.stdout).toMatch(/^\[1\/2\] probe \(check\) …\r?$/m);
  });
});

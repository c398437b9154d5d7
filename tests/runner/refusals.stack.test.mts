// Anticipated refusals are one line and exit code 2 ("refused", runner README), never exit 1 with
// "(unexpected error)" or a stack: a startup file that is a directory, a device or read-only, a
// directory the user may not write (run as nobody), a relative HOME, a 10 kB --url (cut in the
// message), a blank or newline inside --also, a TMPDIR that is missing or may not be written. Run as root for another user's HOME, the backups and
// the state directory belong to that user. No refusal leaves a file in TMPDIR.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runClient} from '../kit/processes.mts';
import {runRunbook, runbookPath, tempHome, type Home} from '../kit/runbooks.mts';

const RUNBOOK = await runbookPath('fix-noproxy');
const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;

let home: Home;
/** The runs' TMPDIR (sticky and world-writable, as /tmp is, for the runs as nobody). */
let tmp: string;
beforeAll(() => {
  home = tempHome({});
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-refusals-tmp-'));
  fs.chmodSync(tmp, 0o1777);
  home.env.TMPDIR = tmp;
});
afterAll(() => {
  home?.remove();
  if (tmp) fs.rmSync(tmp, {recursive: true, force: true});
});

/** Nothing left in the runs' TMPDIR (emptied again, so one leak fails one test). */
function expectTmpEmpty(): void {
  const left = fs.readdirSync(tmp);
  for (const name of left) fs.rmSync(path.join(tmp, name), {recursive: true, force: true});
  expect(left, 'left in TMPDIR').toEqual([]);
}

/** Exit code 2 and one line; the run's temporary files are gone with it. */
function expectRefusal(ran: {code: number; stdout: string; stderr: string}, message: RegExp): void {
  expectTmpEmpty();
  expect(ran.code, ran.stderr).toBe(2);
  const lines = ran.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(message);
  expect(ran.stderr).not.toMatch(/unexpected error|    at /);
}

/** node ARGS as the user nobody, with `env` (runuser would set its own HOME). */
function asNobody(args: string[], env: NodeJS.ProcessEnv) {
  return runClient('runuser', ['-u', 'nobody', '--', 'env', `HOME=${env.HOME}`, `XDG_STATE_HOME=${env.XDG_STATE_HOME ?? ''}`, process.execPath, ...args], env, 120_000, os.tmpdir());
}

describe('refusals: one line, exit code 2', () => {
  it('a startup file that is a directory, a device, or read-only', async () => {
    const dir = path.join(home.dir, 'rc-dir');
    fs.mkdirSync(dir);
    expectRefusal(await runRunbook('fix-noproxy', ['--yes', '--rc', dir], home.env), /^fix-noproxy\.mjs: cannot edit .*rc-dir: it is a directory, not a file$/);
    expectRefusal(await runRunbook('fix-noproxy', ['--yes', '--rc', '/dev/null'], home.env), /cannot edit \/dev\/null: it is not a regular file$/);
    // Read-only is found by the step that writes it: its line, and the run's exit code is 2.
    const readOnly = path.join(home.dir, 'read-only.bashrc');
    fs.writeFileSync(readOnly, 'export A=1\n', {mode: 0o444});
    const ran = await runRunbook('fix-noproxy', ['--yes', '--rc', readOnly], home.env);
    expect(ran.code, ran.stderr).toBe(2);
    expect(ran.stdout).toMatch(/FAILED .*: cannot edit .*read-only\.bashrc: it is read-only \(mode 444\)/);
    expect(ran.stdout).toMatch(/^refused: problem remains: persist failed/m);
    expect(fs.readFileSync(readOnly, 'utf8')).toBe('export A=1\n');
    expectTmpEmpty();
  }, 120_000);

  it.skipIf(!isRoot)('a directory the user may not write (as nobody): permission denied, no EACCES stack', async () => {
    const locked = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-locked-'));
    const state = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-state-'));
    try {
      fs.chmodSync(locked, 0o755);
      fs.chownSync(state, NOBODY, NOBODY);
      const env = {...home.env, HOME: locked, XDG_STATE_HOME: state};
      const ran = await asNobody([RUNBOOK, '--yes'], env);
      expectRefusal(ran, new RegExp(`^fix-noproxy\\.mjs: cannot edit ${locked}/\\.bashrc: permission denied$`));
      expect(fs.readdirSync(locked)).toEqual([]);
    } finally {
      fs.rmSync(state, {recursive: true, force: true});
      fs.rmSync(locked, {recursive: true, force: true});
    }
  }, 120_000);

  it('a TMPDIR that does not exist, or (as nobody) that the user may not write', async () => {
    const missing = path.join(tmp, 'no-such-dir');
    expectRefusal(await runRunbook('fix-noproxy', ['--check'], {...home.env, TMPDIR: missing}),
      new RegExp(`^fix-noproxy\\.mjs: cannot make a temporary directory in TMPDIR \\(${missing}\\): no such file or directory; set TMPDIR to a directory you can write$`));
    if (!isRoot) return;
    const closed = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-closed-'));
    try {
      const ran = await asNobody([RUNBOOK, '--check'], {...home.env, TMPDIR: closed});
      expectRefusal(ran, /cannot make a temporary directory in TMPDIR \(.*closed-\w+\): permission denied; set TMPDIR/);
    } finally {
      fs.rmSync(closed, {recursive: true, force: true});
    }
  }, 60_000);

  it('a relative HOME', async () => {
    expectRefusal(await runRunbook('fix-noproxy', ['--yes'], {...home.env, HOME: 'relative/home'}), /HOME="relative\/home" is not an absolute path \(pass --rc FILE\)$/);
  }, 60_000);

  it('a 10 kB --url is cut in the message', async () => {
    const ran = await runRunbook('fix-noproxy', ['--check', '--url', `http://127.0.0.1:8000/${'a'.repeat(10_000)}`], home.env);
    expectRefusal(ran, /^fix-noproxy\.mjs: --url "http:\/\/127\.0\.0\.1:8000\/a+"… \(10022 characters\): longer than 4096 characters$/);
    expect(ran.stderr.length).toBeLessThan(300);
  }, 60_000);

  it.each([['a newline', 'gpu01\n10.0.0.5'], ['a blank', 'gpu01 10.0.0.5'], ['a blank after a comma', 'gpu01, 10.0.0.5']])('%s inside --also', async (_name, also) => {
    expectRefusal(await runRunbook('fix-noproxy', ['--yes', '--also', also], home.env), /^fix-noproxy\.mjs: --also ".*": ".*": a host may only contain letters, digits and \.\*:_\/\[\]-$/);
    expect(fs.readFileSync(home.rc, 'utf8')).not.toContain('gpu01');
  }, 60_000);
});

describe.skipIf(!isRoot)('root editing another user\'s startup file', () => {
  it('leaves the backups and the state directory to that user', async () => {
    const theirs = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-other-user-'));
    try {
      fs.writeFileSync(path.join(theirs, '.bashrc'), 'export A=1\n');
      for (const entry of [theirs, path.join(theirs, '.bashrc')]) fs.chownSync(entry, NOBODY, NOBODY);
      const env = {...home.env, HOME: theirs, XDG_STATE_HOME: ''};
      const ran = await runRunbook('fix-noproxy', ['--yes', '--url', 'http://127.0.0.1:9'], env);
      expect(ran.stdout).toContain('updated block fix-noproxy-persist');
      const owned = (file: string) => fs.statSync(path.join(theirs, file)).uid;
      const backups = fs.readdirSync(theirs).filter((name) => name.startsWith('.bashrc.bak-'));
      expect(backups).toHaveLength(1);
      for (const file of ['.bashrc', backups[0]!, '.local', '.local/state', '.local/state/llm-network-runbooks', '.local/state/llm-network-runbooks/fix-noproxy.json']) {
        expect([file, owned(file)]).toEqual([file, NOBODY]);
      }
      // That user's own --undo works with what root left.
      const undo = await asNobody([RUNBOOK, '--undo', '--yes'], env);
      expect(undo.code, undo.stderr).toBe(0);
      expect(fs.readFileSync(path.join(theirs, '.bashrc'), 'utf8')).toBe('export A=1\n');
    } finally {
      fs.rmSync(theirs, {recursive: true, force: true});
    }
  }, 120_000);
});

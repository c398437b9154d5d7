// A run interrupted by Ctrl-C (SIGINT), TERM or HUP while a step runs ends by that signal and leaves
// nothing behind (src/runner/interrupt.mts):
// - no temporary file: no runbook-step-* script, no runbook-netcheck-* shim with its copy of the
//   runbook (each run gets a TMPDIR of its own here, which must be empty afterwards);
// - no copy of the runbook in the reader's folder when it was run as `zx https://SITE/…/NAME.mjs`
//   (zx downloads it there and removes it only on a normal exit), while a file the reader saved stays,
//   also when the signal comes while the file is still loading its runtime;
// - no process of the step: TERM or HUP sent to the runner alone is forwarded to the step, and
//   Ctrl-C in a terminal reaches the step through the process group.
import {spawn, type ChildProcess} from 'node:child_process';
import * as fs from 'node:fs';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {LOADER_HELD_SIGNALS} from '../../src/plan/index.mts';
import {servedRunbook} from '../../src/site-runbooks/published.mts';
import {startBlackhole, type Blackhole} from '../../src/stack/blackhole.mts';
import {currentRunbooks, makeSandbox, REPO, runbookPath, tempHome, type RunbookSandbox} from '../kit/runbooks.mts';
import {waitFor} from '../kit/wait.mts';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const ZX = path.join(REPO, 'node_modules/.bin/zx');

// A proxy that accepts and never answers: a probe waits on it, so there is time to interrupt.
let proxy: Blackhole;
// The served fix-noproxy.mjs (runtime inlined), at `runbookUrl` on a loopback server.
let served: Buffer;
let site: Server;
let runbookUrl: string;
// A runbook whose one step waits ten minutes on the proxy (tests/runner/fixtures/long-step.md).
let box: RunbookSandbox;
// One whose step ignores TERM and HUP (fixtures/stubborn-step.md).
let stubborn: RunbookSandbox;
// One whose step starts a process as it is stopped (fixtures/late-child-step.md).
let lateChild: RunbookSandbox;

beforeAll(async () => {
  proxy = await startBlackhole();
  served = servedRunbook(await currentRunbooks(), 'fix-noproxy');
  site = createServer((req, res) => {
    if (req.url === '/runbooks/fix-noproxy.mjs') res.writeHead(200, {'Content-Type': 'text/javascript'}).end(served);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  runbookUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/runbooks/fix-noproxy.mjs`;
  box = await makeSandbox(fs.readFileSync(path.join(import.meta.dirname, 'fixtures/long-step.md'), 'utf8'));
  stubborn = await makeSandbox(fs.readFileSync(path.join(import.meta.dirname, 'fixtures/stubborn-step.md'), 'utf8'));
  lateChild = await makeSandbox(fs.readFileSync(path.join(import.meta.dirname, 'fixtures/late-child-step.md'), 'utf8'));
});
afterAll(async () => {
  box?.cleanup();
  stubborn?.cleanup();
  lateChild?.cleanup();
  site?.closeAllConnections();
  await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)));
  await proxy?.close();
});

/** Every path under dir, relative. */
function under(dir: string): string[] {
  for (let attempt = 1; ; attempt++) {
    try {
      return fs.readdirSync(dir, {recursive: true, encoding: 'utf8'});
    } catch (error) {
      // A folder under dir (a step's own temp folder) was removed while it was being read: read again.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt === 10 || !fs.existsSync(dir)) throw error;
    }
  }
}

/** How the process ended: the signal, or the exit code. */
const ending = (child: ChildProcess) => new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));

async function until(what: string, condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  if (!(await waitFor(condition, (met) => met, timeoutMs)).met) throw new Error(`not within ${timeoutMs / 1000} s: ${what}`);
}

/** A step runs: its script and the netcheck shim are in the run's directory under `tmp`. */
const stepRuns = (tmp: string) => under(tmp).some((p) => /runbook-step-/.test(p)) && under(tmp).some((p) => /runbook-netcheck-/.test(p));

/** An empty folder and a TMPDIR for one run, a HOME whose proxy never answers; removed by `remove`. */
function runPlace() {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'interrupted-cwd-'));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'interrupted-tmp-'));
  const home = tempHome({http_proxy: proxy.url, HTTP_PROXY: proxy.url});
  return {
    folder,
    tmp,
    env: {...home.env, TMPDIR: tmp},
    remove() {
      home.remove();
      for (const dir of [folder, tmp]) fs.rmSync(dir, {recursive: true, force: true});
    },
  };
}

/** The processes (pid and name) whose environment holds `mark`, a VAR=value line. */
function marked(mark: string): string[] {
  return fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).flatMap((pid) => {
    try {
      if (!fs.readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(mark)) return [];
      return [`${pid} ${fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim()}`];
    } catch {
      return []; // gone meanwhile
    }
  });
}

/** Whether the runbook-netcheck helper a step started has started its curl (the runner's own
 *  detection of the clients' releases runs a `curl --version` too). */
function helperCurlRuns(mark: string): boolean {
  return marked(mark).some((p) => {
    const [pid, comm] = p.split(' ');
    if (comm !== 'curl') return false;
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const parent = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
      return fs.readFileSync(`/proc/${parent}/cmdline`, 'utf8').split('\0').includes('--runbook-netcheck');
    } catch {
      return false; // gone meanwhile
    }
  });
}

/** Ends what a failed test left running. */
function killMarked(mark: string): void {
  for (const p of marked(mark)) {
    try {
      process.kill(Number(p.split(' ')[0]), 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}

describe('an interrupted run leaves no temporary file', () => {
  it.each(SIGNALS)('%s during a step', async (signal) => {
    const place = runPlace();
    try {
      const child = spawn(process.execPath, [await runbookPath('fix-noproxy'), '--check'], {env: place.env, stdio: 'ignore'});
      const ended = ending(child);
      await until('a step runs', () => stepRuns(place.tmp));
      child.kill(signal);
      expect(await ended).toBe(signal);
      // An INT sent to the runner alone (not from a terminal) is not forwarded: the step's own
      // processes (bash, a runbook-netcheck run with its own temp files) end on their own, and clean up.
      await until('the run\'s temp files are gone', () => under(place.tmp).length === 0, 30_000);
    } finally {
      place.remove();
    }
  }, 120_000);
});

describe('`zx URL` downloads the runbook into the working directory: an interrupted run removes that copy', () => {
  it.each(SIGNALS)('%s during a step: the folder is empty afterwards', async (signal) => {
    const place = runPlace();
    try {
      const child = spawn(ZX, [runbookUrl, '--check'], {env: place.env, cwd: place.folder, stdio: 'ignore'});
      const ended = ending(child);
      await until('a step runs', () => stepRuns(place.tmp));
      expect(fs.readdirSync(place.folder)).toEqual(['fix-noproxy.mjs']);
      child.kill(signal);
      // It ends by the signal (a shell shows 128+N), and the copy is gone by then.
      expect(await ended).toBe(signal);
      expect(fs.readdirSync(place.folder)).toEqual([]);
      await until('the run\'s temp files are gone', () => under(place.tmp).length === 0, 30_000);
    } finally {
      place.remove();
    }
  }, 120_000);

  // ./children/loader-signal-preload.mjs, preloaded into zx's process, acts the moment the served
  // file's loader starts holding signals, before it has checked the bytes and loaded the runtime: a
  // TERM sent then (dispatched once the event loop turns, to whichever handlers are there by then),
  // or a HUP the loader reports having held (one dispatched to it while it was loading).
  it.each([
    ['TERM', 'SIGTERM', 'send-term'],
    ['HUP', 'SIGHUP', 'report-hup'],
  ])('%s while the file is still loading its runtime: the runtime acts on it, the copy is removed', async (_name, signal, action) => {
    const place = runPlace();
    try {
      const env = {
        ...place.env,
        NODE_OPTIONS: `--import=${path.join(import.meta.dirname, 'children/loader-signal-preload.mjs')}`,
        PRELOAD_ACTION: action,
        LOADER_HELD_SIGNALS_KEY: LOADER_HELD_SIGNALS,
      };
      const child = spawn(ZX, [runbookUrl, '--check'], {env, cwd: place.folder, stdio: 'ignore'});
      expect(await ending(child)).toBe(signal);
      expect(fs.readdirSync(place.folder)).toEqual([]);
      expect(under(place.tmp)).toEqual([]);
    } finally {
      place.remove();
    }
  }, 120_000);

  it('a fix-noproxy.mjs the reader saved in that folder stays (zx names its own copy otherwise)', async () => {
    const place = runPlace();
    try {
      const saved = path.join(place.folder, 'fix-noproxy.mjs');
      fs.writeFileSync(saved, served);
      const child = spawn(ZX, [runbookUrl, '--check'], {env: place.env, cwd: place.folder, stdio: 'ignore'});
      const ended = ending(child);
      await until('a step runs', () => stepRuns(place.tmp));
      expect(fs.readdirSync(place.folder)).toEqual([expect.stringMatching(/^fix-noproxy-[0-9a-z]+\.mjs$/), 'fix-noproxy.mjs']);
      child.kill('SIGTERM');
      expect(await ended).toBe('SIGTERM');
      expect(fs.readdirSync(place.folder)).toEqual(['fix-noproxy.mjs']);
      expect(fs.readFileSync(saved).equals(served)).toBe(true);
    } finally {
      place.remove();
    }
  }, 120_000);

  it.each([['node', process.execPath], ['zx', ZX]])('a saved file run with %s stays', async (_via, command) => {
    const place = runPlace();
    try {
      fs.writeFileSync(path.join(place.folder, 'fix-noproxy.mjs'), served);
      const child = spawn(command, ['./fix-noproxy.mjs', '--check'], {env: place.env, cwd: place.folder, stdio: 'ignore'});
      const ended = ending(child);
      await until('a step runs', () => stepRuns(place.tmp));
      child.kill('SIGTERM');
      expect(await ended).toBe('SIGTERM');
      expect(fs.readdirSync(place.folder)).toEqual(['fix-noproxy.mjs']);
    } finally {
      place.remove();
    }
  }, 120_000);
});

describe('no process of the running step outlives the run', () => {
  // A TERM or HUP sent to the runner alone is forwarded; Ctrl-C in a terminal sends INT to the
  // foreground job's whole process group (here a group of its own: `detached`).
  it.each([
    ['SIGTERM', 'the runner alone'],
    ['SIGHUP', 'the runner alone'],
    ['SIGINT', 'the whole process group, as Ctrl-C in a terminal'],
  ] as const)('%s sent to %s stops the step at once', async (signal, _to) => {
    const place = runPlace();
    const mark = `RUNBOOK_INTERRUPT_TEST=${signal}-${process.pid}-${Date.now()}`;
    const group = signal === 'SIGINT';
    try {
      const [name, value] = mark.split('=');
      const child = spawn(process.execPath, [path.join(box.dir, 'runbooks/long-step.mjs'), '--url', proxy.url], {env: {...place.env, [name]: value}, cwd: place.folder, stdio: 'ignore', detached: group});
      const ended = ending(child);
      await until('the step\'s curl runs', () => helperCurlRuns(mark));
      // The runner, the step's bash, the runbook-netcheck helper and its curl processes.
      expect(marked(mark).length).toBeGreaterThanOrEqual(4);
      process.kill(group ? -child.pid! : child.pid!, signal);
      expect(await ended).toBe(signal);
      // Left alone, the step would run ten minutes.
      await until(`the step's processes end (left: ${marked(mark).join(', ')})`, () => marked(mark).length === 0, 20_000);
      await until('the run\'s temp files are gone', () => under(place.tmp).length === 0, 20_000);
    } finally {
      killMarked(mark);
      place.remove();
    }
  }, 120_000);

  // - stubborn-step ignores the signal: only the runner's SIGKILL after its grace ends it (else ten
  //   minutes);
  // - late-child-step: the step's tree is read, then signalled; a process started in between (here,
  //   on purpose, by the inner shell's trap) is in neither, and once that shell has exited it is
  //   init's child, outside the tree. It carries the step's mark (src/io's stopRunningTrees).
  it.each([
    ['SIGTERM', 'a step that ignores it is killed after a grace period', 'stubborn-step'],
    ['SIGHUP', 'a step that ignores it is killed after a grace period', 'stubborn-step'],
    ['SIGTERM', 'a process the step starts as it stops is stopped too', 'late-child-step'],
    ['SIGHUP', 'a process the step starts as it stops is stopped too', 'late-child-step'],
  ] as const)('%s to the runner: %s', async (signal, _what, runbook) => {
    const place = runPlace();
    const mark = `RUNBOOK_INTERRUPT_TEST=${runbook}-${signal}-${process.pid}-${Date.now()}`;
    const sandbox = runbook === 'stubborn-step' ? stubborn : lateChild;
    try {
      const [name, value] = mark.split('=');
      const child = spawn(process.execPath, [path.join(sandbox.dir, `runbooks/${runbook}.mjs`)], {env: {...place.env, [name]: value}, cwd: place.folder, stdio: 'ignore'});
      const ended = ending(child);
      await until('the step\'s sleep runs', () => marked(mark).some((p) => p.endsWith(' sleep')));
      process.kill(child.pid!, signal);
      expect(await ended).toBe(signal);
      await until(`the step's processes end (left: ${marked(mark).join(', ')})`, () => marked(mark).length === 0, 20_000);
    } finally {
      killMarked(mark);
      place.remove();
    }
  }, 120_000);
});

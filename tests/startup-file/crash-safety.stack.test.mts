// Crash safety, measured: a writer is killed with SIGKILL at random points while it rewrites a
// startup-file block (rc-block steps) or a file (`file` steps with --force), over and over; the
// file must always be the old content or one of the new ones, never partial, never empty. A full
// file system gives a one-line error and leaves the original intact.
import {spawn, spawnSync} from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {applyBlock} from '../../src/startup-file/edit.mts';
import {bundledEntry} from '../kit/bundled.mts';

const ID = 'fix-noproxy-persist';
const bodies = ['export NO_PROXY="localhost,127.0.0.1,::1,0.0.0.0,alpha"', 'export NO_PROXY="localhost,127.0.0.1,::1,0.0.0.0,beta"'];

// The writer and the one-shot applyBlock child, bundled (tests/kit/bundled.mts; the writer as
// CommonJS, which starts faster): a start costs node's bare start-up, which is most of what 200
// kills cost.
const WRITER = await bundledEntry('tests/startup-file/children/crash-writer.mts', {format: 'cjs'});
const APPLY_BLOCK = await bundledEntry('tests/startup-file/children/apply-block.mts');

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crash-safety-'));
});
afterAll(() => fs.rmSync(dir, {recursive: true, force: true}));

/** Starts the writer, lets it write for `delayMs` once it is ready, then SIGKILLs it. */
function killWhileWriting(mode: 'rc' | 'file', file: string, contents: string[], delayMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, mode, file, ID, ...contents], {stdio: ['pipe', 'pipe', 'pipe']});
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.once('data', () => {
      child.stdin.write('go\n');
      setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer ended by itself (${code}): ${stderr}`))));
  });
}

const rcBlock = (body: string) => `# >>> llm-network-runbooks:${ID} >>>\n${body}\n# <<< llm-network-runbooks:${ID} <<<\n`;

describe('SIGKILL during persist and file steps', () => {
  let cases = 0;
  afterAll(() => console.log(`crash safety: ${cases} writers killed with SIGKILL at random points`));

  /** One kill during one writer's loop, and what the file holds afterwards. */
  async function killAndCheck(mode: 'rc' | 'file', delayMs: number, kilobytes: number): Promise<void> {
    const caseDir = fs.mkdtempSync(path.join(dir, 'case-'));
    const file = path.join(caseDir, mode === 'rc' ? '.bashrc' : 'compose.override.yaml');
    // A large user file makes each write take long enough to be interrupted in the middle.
    const original = `# the user's file\n${'x'.repeat(kilobytes * 1024)}\n`;
    fs.writeFileSync(file, original);
    const contents = mode === 'rc' ? bodies : bodies.map((b) => `${original}${b}\n`);
    await killWhileWriting(mode, file, contents, delayMs);
    cases++;
    const after = fs.readFileSync(file, 'utf8');
    const allowed = mode === 'rc' ? [original, ...bodies.map((b) => original + rcBlock(b))] : [original, ...contents];
    expect(allowed).toContain(after);
    // The next run is not blocked by what the killed one left (lock, temp file, partial backup).
    if (mode === 'rc') {
      applyBlock(file, ID, bodies[0]!, 'bash');
      expect(fs.readFileSync(file, 'utf8')).toBe(original + rcBlock(bodies[0]!));
      expect(fs.readdirSync(caseDir).filter((n) => /\.tmp-|\.partial-|\.lock(\.\d+)?$/.test(n))).toEqual([]);
    }
    fs.rmSync(caseDir, {recursive: true, force: true});
  }

  it('the file is always the old or a new content, never partial or empty (≥ 200 kills)', async () => {
    const kill = fc.record({delayMs: fc.integer({min: 0, max: 40}), kilobytes: fc.integer({min: 0, max: 64})});
    // Each case kills a persist writer and a file-step writer side by side.
    await fc.assert(
      fc.asyncProperty(kill, kill, async (rc, file) => {
        await Promise.all([killAndCheck('rc', rc.delayMs, rc.kilobytes), killAndCheck('file', file.delayMs, file.kilobytes)]);
      }),
      {numRuns: 100},
    );
    expect(cases).toBeGreaterThanOrEqual(200);
  }, 480_000);
});

const isRoot = process.getuid?.() === 0;
const canMount = isRoot && spawnSync('unshare', ['-m', 'true']).status === 0;

/**
 * The block applied to a .bashrc on a 64 KiB tmpfs filled up (then `freeing` commands run), in a
 * private mount namespace, so the tmpfs disappears with the process whatever happens. Prints the
 * applier's message, the file, then the folder's listing.
 */
function applyOnFullTmpfs(freeing: string[]) {
  const mount = fs.mkdtempSync(path.join(os.tmpdir(), 'full-fs-'));
  const shell = [
    'set -e',
    'mount -t tmpfs -o size=64k tmpfs "$1"',
    'printf "export EDITOR=vi\\n" > "$1/.bashrc"',
    'head -c 200000 /dev/zero > "$1/filler" 2>/dev/null || true',
    ...freeing,
    'node "$2" "$1/.bashrc" "$3" "$4"',
    'cat "$1/.bashrc"',
    'ls -A "$1"',
  ].join('\n');
  const ran = spawnSync('unshare', ['-m', 'sh', '-c', shell, 'full-fs', mount, APPLY_BLOCK, ID, bodies[0]!], {encoding: 'utf8'});
  fs.rmSync(mount, {recursive: true, force: true});
  return {ran, mount};
}

describe('a full file system', () => {
  it.skipIf(!canMount)('gives a one-line error and leaves the original intact (a 64 KiB tmpfs, filled up)', () => {
    const {ran, mount} = applyOnFullTmpfs([]);
    expect(ran.status, ran.stderr).toBe(0);
    const [message, original, ...files] = ran.stdout.split('\n');
    expect(message).toBe(`cannot edit ${mount}/.bashrc: no space left on the device`);
    expect(original).toBe('export EDITOR=vi');
    expect(files.filter(Boolean).sort()).toEqual(['.bashrc', 'filler']);
  });

  it.skipIf(!canMount)('full once the backup fit: the error, the original intact, and no orphan backup', () => {
    // Two free 4 KiB pages: the lock file and the backup fit, the new content's temp file does not.
    const {ran, mount} = applyOnFullTmpfs(['truncate -s -8192 "$1/filler"']);
    expect(ran.status, ran.stderr).toBe(0);
    const [message, original, ...files] = ran.stdout.split('\n');
    expect(message).toBe(`cannot edit ${mount}/.bashrc: no space left on the device`);
    expect(original).toBe('export EDITOR=vi');
    expect(files.filter(Boolean).sort()).toEqual(['.bashrc', 'filler']);
  });
});

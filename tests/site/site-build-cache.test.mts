// The shared site build's cache (tests/kit/site-build.mts over tests/kit/build-cache.mts), on a real git repository and real
// folders: the key changes with any input, never with what git ignores; concurrent callers build once;
// a failed build leaves nothing behind; a dead builder's lock and leftovers do not block the next one.
import {execFile} from 'node:child_process';
import {mkdir, mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {lockPath} from '../../src/io/file-lock.mts';
import {buildLockTarget, cachedBuild} from '../kit/build-cache.mts';
import {inputsHash} from '../kit/site-build.mts';
import {createRepo, type TestRepo} from '../i18n/git-repo.mts';

let repo: TestRepo;
let cacheDir: string;
const INPUTS = ['docs', 'docusaurus.config.ts'];
const hash = () => inputsHash(repo.dir, INPUTS, ['docs'], 'recipe');

beforeAll(async () => {
  repo = await createRepo();
  await repo.write('.gitignore', 'build/\n*.log\n');
  await repo.write('docs/intro.md', '# Intro\n');
  await repo.write('docusaurus.config.ts', 'export default {};\n');
  await repo.write('README.md', 'not an input\n');
  await repo.commit('site');
  cacheDir = await mkdtemp(join(tmpdir(), 'site-build-cache-'));
});

afterAll(async () => {
  await repo?.remove();
  if (cacheDir) await rm(cacheDir, {recursive: true, force: true});
});

/** A pid that is certainly not running: a process that has exited. */
async function deadPid(): Promise<number> {
  const child = execFile('true');
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

describe('inputsHash', () => {
  test('follows the content, the untracked pages and the pages\' history; not ignored or other files', async () => {
    const first = await hash();
    expect(await hash()).toBe(first);
    expect(await inputsHash(repo.dir, INPUTS, ['docs'], 'another recipe')).not.toBe(first);

    await repo.write('docs/intro.md', '# Intro, edited\n');
    const edited = await hash();
    expect(edited).not.toBe(first);
    await repo.write('docs/intro.md', '# Intro\n');
    expect(await hash()).toBe(first);

    await repo.write('README.md', 'still not an input\n');
    await repo.write('docs/build/page.md', 'ignored\n');
    await repo.write('docs/debug.log', 'ignored\n');
    expect(await hash()).toBe(first);

    await repo.write('docs/new.md', '# New\n');
    const untracked = await hash();
    expect(untracked).not.toBe(first);
    await repo.git('add', 'docs/new.md');
    expect(await hash(), 'staging changes nothing the build reads').toBe(untracked);
    await repo.commit('a new page');
    expect(await hash(), 'a commit touching the pages changes their history').not.toBe(untracked);

    const committed = await hash();
    await rm(join(repo.dir, 'docs/new.md'));
    expect(await hash(), 'a tracked page deleted from the work tree').not.toBe(committed);
  });
});

describe('cachedBuild', () => {
  test('concurrent callers share one build; later calls reuse it', async () => {
    let builds = 0;
    const build = async (outDir: string) => {
      builds++;
      await mkdir(outDir);
      await writeFile(join(outDir, 'index.html'), 'built');
    };
    const dirs = await Promise.all([1, 2, 3].map(() => cachedBuild({cacheDir, key: 'a'.repeat(32), build})));
    expect(new Set(dirs).size).toBe(1);
    expect(builds).toBe(1);
    expect(await readFile(join(dirs[0]!, 'index.html'), 'utf8')).toBe('built');
    expect(await cachedBuild({cacheDir, key: 'a'.repeat(32), build})).toBe(dirs[0]);
    expect(builds).toBe(1);
    expect(await readdir(cacheDir), 'no lock or partial folder left').toEqual(['a'.repeat(32)]);
  });

  test('a failed build leaves no cache entry and no lock: the next call builds again', async () => {
    const key = 'b'.repeat(32);
    const failing = async (outDir: string) => {
      await mkdir(outDir);
      await writeFile(join(outDir, 'half.html'), 'half');
      throw new Error('build broke');
    };
    await expect(cachedBuild({cacheDir, key, build: failing})).rejects.toThrow('build broke');
    expect((await readdir(cacheDir)).filter((entry) => entry.includes(key))).toEqual([]);
    const dir = await cachedBuild({cacheDir, key, build: (outDir) => mkdir(outDir).then(() => undefined)});
    expect(dir).toBe(join(cacheDir, key));
  });

  test('a dead builder\'s lock is broken and its partial folder removed', async () => {
    const key = 'c'.repeat(32);
    const dead = await deadPid();
    await writeFile(lockPath(buildLockTarget(join(cacheDir, key))), String(dead));
    await mkdir(join(cacheDir, `${key}.partial-${dead}`));
    const dir = await cachedBuild({cacheDir, key, build: (outDir) => mkdir(outDir).then(() => undefined)});
    expect(dir).toBe(join(cacheDir, key));
    expect((await readdir(cacheDir)).filter((entry) => entry.includes(key))).toEqual([key]);
  });

  test('an abort while waiting for another builder\'s lock rejects', async () => {
    const key = 'd'.repeat(32);
    // This process holds it: a live holder.
    await writeFile(lockPath(buildLockTarget(join(cacheDir, key))), String(process.pid));
    const aborter = new AbortController();
    const waiting = cachedBuild({cacheDir, key, signal: aborter.signal, build: () => Promise.reject(new Error('must not build'))});
    aborter.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    await rm(lockPath(buildLockTarget(join(cacheDir, key))));
  });
});

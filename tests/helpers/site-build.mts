// The production build of this checkout's site, shared by the tests that need it: built once, then
// reused from a cache folder for as long as a hash of everything that feeds the build is unchanged.
// The key covers the content of every git-tracked or untracked-but-not-ignored file under the build's
// inputs (docs, translations, src, static, runbooks, config, lockfile), the git history of the pages
// (the translation banner reads it) and the Node version; change any of them and the next run builds
// afresh. Concurrent runs neither race nor build twice: one holds a lock while it builds into a
// private folder, which it renames into place only once complete (rename is atomic), and the others
// wait for that folder.
import {execFile} from 'node:child_process';
import {createHash} from 'node:crypto';
import {link, mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';

const run = promisify(execFile);
const REPO_ROOT = join(import.meta.dirname, '..', '..');

/** What `docusaurus build` reads from the checkout (node_modules through package-lock.json). */
export const SITE_INPUTS = [
  'docs', 'i18n', 'src', 'static', 'runbooks',
  'docusaurus.config.ts', 'sidebars.ts', 'tsconfig.json', 'package.json', 'package-lock.json',
];

/** Bump when the way the build is made changes (its command line, its environment). */
const RECIPE = 'docusaurus build, both locales, v1';
/** A cached build nobody used for this long is deleted when another one is made. */
const UNUSED_FOR_MS = 60 * 60 * 1000;
const LOCK_POLL_MS = 250;

/**
 * Hex digest of the inputs of a build of the git work tree `root`: every file git lists under
 * `inputs` (tracked, or untracked and not ignored) by path and content, the last commit touching
 * `historyPaths` (and whether the clone is shallow), and `recipe`.
 */
export async function inputsHash(root: string, inputs: string[], historyPaths: string[], recipe: string): Promise<string> {
  const git = async (...args: string[]) => (await run('git', args, {cwd: root, maxBuffer: 64 * 1024 * 1024})).stdout;
  const files = [...new Set((await git('ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', ...inputs)).split('\0').filter(Boolean))].sort();
  const hash = createHash('sha256').update(`${recipe}\0${process.version}\0`);
  for (const file of files) {
    // A tracked file deleted from the work tree is not part of the build: its absence is hashed.
    const content = await readFile(join(root, file)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    hash.update(`${file}\0${content === null ? 'absent' : createHash('sha256').update(content).digest('hex')}\0`);
  }
  hash.update(await git('log', '-1', '--format=%H', '--', ...historyPaths));
  hash.update(await git('rev-parse', '--is-shallow-repository'));
  return hash.digest('hex').slice(0, 32);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const exists = (path: string) => stat(path).then(() => true, () => false);

/** Takes the lock file `path` (holding our pid); false if a live process holds it. A dead holder's lock is broken. */
async function tryLock(path: string): Promise<boolean> {
  // The pid goes in first and the lock appears complete: link() fails atomically if it exists.
  const mine = `${path}.${process.pid}`;
  await writeFile(mine, String(process.pid));
  try {
    await link(mine, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await rm(mine, {force: true});
  }
  const holder = Number(await readFile(path, 'utf8').catch(() => '0'));
  if (holder && isRunning(holder)) return false;
  // Released meanwhile, or its holder died. A dead holder's lock is moved aside before it is
  // deleted, so that a lock another waiter has just taken in its place is put back, not lost.
  const aside = `${path}.stale-${process.pid}`;
  if (await rename(path, aside).then(() => true, () => false)) {
    const moved = Number(await readFile(aside, 'utf8').catch(() => '0'));
    if (moved !== holder && moved && isRunning(moved)) await link(aside, path).catch(() => undefined);
    await rm(aside, {force: true});
  }
  return tryLock(path);
}

/** Deletes the builds unused for UNUSED_FOR_MS, and what killed builders left behind. */
async function pruneUnused(cacheDir: string, keep: string): Promise<void> {
  for (const entry of await readdir(cacheDir)) {
    const path = join(cacheDir, entry);
    const builder = /\.partial-(\d+)$/.exec(entry)?.[1];
    if (builder !== undefined) {
      if (!isRunning(Number(builder))) await rm(path, {recursive: true, force: true});
      continue;
    }
    if (entry === keep || !/^[0-9a-f]{32}$/.test(entry)) continue;
    const info = await stat(path).catch(() => null);
    if (info && Date.now() - info.mtimeMs > UNUSED_FOR_MS) await rm(path, {recursive: true, force: true});
  }
}

export interface CachedBuildOptions {
  /** Folder of the cached builds, one sub-folder per key. */
  cacheDir: string;
  key: string;
  /** Makes the build into `outDir` (an empty folder's path). */
  build(outDir: string): Promise<void>;
  signal?: AbortSignal;
}

/** The folder of the complete build for `key`: reused if there, else built once (see the top comment). */
export async function cachedBuild({cacheDir, key, build, signal}: CachedBuildOptions): Promise<string> {
  const done = join(cacheDir, key);
  const lock = `${done}.lock`;
  await mkdir(cacheDir, {recursive: true});
  for (;;) {
    signal?.throwIfAborted();
    if (await exists(done)) {
      // Its modification time says when it was last used (pruneUnused).
      const now = new Date();
      await utimes(done, now, now);
      return done;
    }
    if (await tryLock(lock)) break;
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
  const partial = `${done}.partial-${process.pid}`;
  try {
    // Built while we waited for the lock?
    if (await exists(done)) return done;
    await rm(partial, {recursive: true, force: true});
    await build(partial);
    await rename(partial, done);
    await pruneUnused(cacheDir, key);
    return done;
  } finally {
    await rm(partial, {recursive: true, force: true});
    await rm(lock, {force: true});
  }
}

/**
 * This checkout's production site (`docusaurus build`, both locales): the folder it is in. Do not
 * write into it; other runs may serve it. SITE_BUILD_CACHE=<folder> moves the cache from the system's
 * temp folder.
 */
export async function builtSite(signal?: AbortSignal): Promise<string> {
  const key = await inputsHash(REPO_ROOT, SITE_INPUTS, ['docs', 'i18n'], RECIPE);
  const cacheDir = process.env.SITE_BUILD_CACHE ?? join(tmpdir(), 'llm-network-runbooks-site-builds');
  return cachedBuild({
    cacheDir,
    key,
    signal,
    async build(outDir) {
      const docusaurus = join(REPO_ROOT, 'node_modules', '@docusaurus', 'core', 'bin', 'docusaurus.mjs');
      await run(process.execPath, [docusaurus, 'build', '--out-dir', outDir], {
        cwd: REPO_ROOT,
        maxBuffer: 64 * 1024 * 1024,
        signal,
      }).catch((error: {stdout?: string; stderr?: string; message?: string}) => {
        throw new Error(`docusaurus build failed: ${error.message ?? ''}\n${error.stderr ?? ''}\n${(error.stdout ?? '').slice(-4000)}`);
      });
    },
  });
}

// A folder built once per key and then reused, shared by concurrent test runs and parallel vitest
// workers: one caller holds a lock file while it builds into a private folder, which it renames into
// place only once complete (rename is atomic); the others wait for that folder. Builds nobody used for
// an hour are deleted when a new one is made, as is what a killed builder left behind. The callers
// decide the key (a content hash of everything that feeds the build).
import {link, mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {processExists} from '../../src/io/safe-write.mts';

/** A cached build nobody used for this long is deleted when another one is made. */
const UNUSED_FOR_MS = 60 * 60 * 1000;
const LOCK_POLL_MS = 250;

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
  if (holder && processExists(holder)) return false;
  // Released meanwhile, or its holder died. A dead holder's lock is moved aside before it is
  // deleted, so that a lock another waiter has just taken in its place is put back, not lost.
  const aside = `${path}.stale-${process.pid}`;
  if (await rename(path, aside).then(() => true, () => false)) {
    const moved = Number(await readFile(aside, 'utf8').catch(() => '0'));
    if (moved !== holder && moved && processExists(moved)) await link(aside, path).catch(() => undefined);
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
      if (!processExists(Number(builder))) await rm(path, {recursive: true, force: true});
      continue;
    }
    if (entry === keep || /\.(lock|stale-\d+|lock\.\d+)$/.test(entry)) continue;
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

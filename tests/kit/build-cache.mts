// A folder built once per key and then reused, shared by concurrent test runs and parallel vitest
// workers: one caller holds src/io's file lock while it builds into a private folder, which it renames
// into place only once complete (rename is atomic); the others wait for that folder (callers in one
// process share the same promise). Builds nobody used for an hour are deleted when a new one is
// made, as is what a killed builder left behind. The callers decide the key (a content hash of
// everything that feeds the build).
import {mkdir, readdir, rename, rm, stat, utimes} from 'node:fs/promises';
import {join} from 'node:path';
import {tryAcquireLock, type Release} from '../../src/io/file-lock.mts';
import {processExists} from '../../src/io/safe-write.mts';
import {waitFor} from './wait.mts';

/** A cached build nobody used for this long is deleted when another one is made. */
const UNUSED_FOR_MS = 60 * 60 * 1000;
const LOCK_POLL_MS = 250;

const exists = (path: string) => stat(path).then(() => true, () => false);

/** The file the build of `done` is locked by (never created itself; src/io's lock sits beside it, hidden). */
export const buildLockTarget = (done: string) => `${done}.build`;

/** The build's lock, or undefined while a live process holds it (a dead holder's lock is taken over). */
const tryLock = (done: string): Release | undefined => tryAcquireLock(buildLockTarget(done));

/** Deletes the builds unused for UNUSED_FOR_MS, and what killed builders left behind. */
async function pruneUnused(cacheDir: string, keep: string): Promise<void> {
  for (const entry of await readdir(cacheDir)) {
    const path = join(cacheDir, entry);
    const builder = /\.partial-(\d+)$/.exec(entry)?.[1];
    if (builder !== undefined) {
      if (!processExists(Number(builder))) await rm(path, {recursive: true, force: true});
      continue;
    }
    // Hidden entries are src/io's lock files, which clean up after themselves.
    if (entry === keep || entry.startsWith('.')) continue;
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

const inFlight = new Map<string, Promise<string>>();

/** The folder of the complete build for `key`: reused if there, else built once (see the top comment). */
export function cachedBuild(options: CachedBuildOptions): Promise<string> {
  const done = join(options.cacheDir, options.key);
  let pending = inFlight.get(done);
  if (!pending) {
    pending = reusedOrBuilt(done, options).finally(() => inFlight.delete(done));
    inFlight.set(done, pending);
  }
  return pending;
}

async function reusedOrBuilt(done: string, {cacheDir, key, build, signal}: CachedBuildOptions): Promise<string> {
  await mkdir(cacheDir, {recursive: true});
  const {value: lock} = await waitFor(async () => {
    signal?.throwIfAborted();
    return (await exists(done)) ? 'built' : tryLock(done);
  }, (found) => found !== undefined, Infinity, LOCK_POLL_MS);
  if (lock === 'built') {
    // Its modification time says when it was last used (pruneUnused).
    const now = new Date();
    await utimes(done, now, now);
    return done;
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
    lock!();
  }
}

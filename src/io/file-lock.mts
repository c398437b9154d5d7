// A lock around a read-modify-write of one file (a startup file, a state file), between processes:
// `FILE.lock` beside the real file, created exclusively and holding the owner's pid. A lock whose
// owner is gone (killed, crashed) is taken over; a live owner is waited for, up to a bound, then the
// caller gets a LockTimeoutError naming the owner. Locks are re-entrant within one process.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {sleepSync} from './sleep-sync.mts';
import {cannotEdit, errorCode, processExists, removeLeftovers, resolveTarget} from './safe-write.mts';

export class LockTimeoutError extends Error {}

export interface LockOptions {
  /** How long to wait for another process's lock, in ms (default 30 s). */
  waitMs?: number;
}

export type Release = () => void;

const held = new Map<string, number>();
const POLL_MS = 20;

/** The lock file for `file`: beside the file a symlink finally names, hidden (`~/.bashrc.llm-network-runbooks.lock`). */
export function lockPath(file: string): string {
  const target = resolveTarget(file);
  const name = path.basename(target);
  return path.join(path.dirname(target), `${name.startsWith('.') ? '' : '.'}${name}.llm-network-runbooks.lock`);
}

/** The lock's release, or undefined while a live process holds it (a dead holder's is taken over). */
export function tryAcquireLock(file: string): Release | undefined {
  try {
    return acquireLock(file, {waitMs: 0});
  } catch (error) {
    if (error instanceof LockTimeoutError) return undefined;
    throw error;
  }
}

/** Takes the lock (waiting for another process at most `waitMs`) and returns its release. */
export function acquireLock(file: string, options: LockOptions = {}): Release {
  const lock = lockPath(file);
  const count = held.get(lock) ?? 0;
  if (count > 0) {
    held.set(lock, count + 1);
    return releaser(lock);
  }
  const waitMs = options.waitMs ?? 30_000;
  const deadline = Date.now() + waitMs;
  let created: string | undefined;
  try {
    created = fs.mkdirSync(path.dirname(lock), {recursive: true});
  } catch (error) {
    throw cannotEdit(file, error);
  }
  for (;;) {
    if (createLock(file, lock)) {
      held.set(lock, 1);
      return releaser(lock, created);
    }
    const owner = ownerOf(lock);
    if (owner !== null && !processExists(owner)) {
      takeOverStale(lock, owner);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new LockTimeoutError(`${file} is being changed by another run (pid ${owner ?? '?'}, lock ${lock}); waited ${Math.round(waitMs / 1000)} s: try again when it has finished`);
    }
    sleepSync(POLL_MS);
  }
}

/** Runs `work` holding the lock on `file`. */
export function withLock<T>(file: string, work: () => T, options?: LockOptions): T {
  const release = acquireLock(file, options);
  try {
    return work();
  } finally {
    release();
  }
}

/**
 * Creates the lock file holding our pid; false when another process holds it. The pid is written
 * to a file of our own first and hard-linked to the lock's name (atomic, refused when it exists),
 * so a lock file always names its owner, even when its creator was killed a moment later.
 */
function createLock(file: string, lock: string): boolean {
  removeOwnLeftovers(lock);
  const mine = `${lock}.${process.pid}`;
  try {
    fs.writeFileSync(mine, `${process.pid}\n`);
    fs.linkSync(mine, lock);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw cannotEdit(file, error);
  } finally {
    fs.rmSync(mine, {force: true});
  }
  removeLeftovers(file);
  return true;
}

/** `LOCK.<pid>` files of killed processes. */
function removeOwnLeftovers(lock: string): void {
  const prefix = `${path.basename(lock)}.`;
  for (const entry of fs.readdirSync(path.dirname(lock))) {
    const pid = entry.startsWith(prefix) ? Number(entry.slice(prefix.length)) : NaN;
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !processExists(pid)) fs.rmSync(path.join(path.dirname(lock), entry), {force: true});
  }
}

/** `createdDir`: the first directory taking the lock had to create; removed again if still empty. */
function releaser(lock: string, createdDir?: string): Release {
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const count = (held.get(lock) ?? 1) - 1;
    if (count > 0) {
      held.set(lock, count);
      return;
    }
    held.delete(lock);
    fs.rmSync(lock, {force: true});
    if (createdDir) removeEmptyDirs(path.dirname(lock), createdDir);
  };
}

function removeEmptyDirs(from: string, upTo: string): void {
  for (let dir = from; dir.startsWith(upTo); dir = path.dirname(dir)) {
    try {
      fs.rmdirSync(dir);
    } catch {
      return;
    }
    if (dir === upTo) return;
  }
}

function ownerOf(lock: string): number | null {
  try {
    const pid = Number(fs.readFileSync(lock, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Removes a lock whose owner is dead. Renaming it away first makes the removal atomic; if what was
 * renamed turns out to be a fresh lock another process took meanwhile, it is put back.
 */
function takeOverStale(lock: string, deadOwner: number): void {
  const aside = `${lock}.stale-${process.pid}`;
  try {
    fs.renameSync(lock, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw error;
  }
  if (ownerOf(aside) !== deadOwner) {
    try {
      fs.linkSync(aside, lock);
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
  }
  fs.rmSync(aside, {force: true});
}

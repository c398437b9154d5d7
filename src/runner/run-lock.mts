// One run at a time per startup file and per runbook state file: a run that writes them holds
// their locks from before it reads them (the startup file's values, the state) until it has
// written them, so concurrent runs cannot lose each other's entries. Another run waits up to
// RUNBOOK_LOCK_WAIT seconds (default 30), then this one is refused (exit 2).
import {UsageError, type Env, LockTimeoutError, acquireLock, type Release} from '../io/index.mts';

const DEFAULT_WAIT_S = 30;

export function lockWaitMs(env: Env): number {
  const seconds = Number(env.RUNBOOK_LOCK_WAIT ?? DEFAULT_WAIT_S);
  return (Number.isFinite(seconds) && seconds >= 0 ? seconds : DEFAULT_WAIT_S) * 1000;
}

/** Locks every file in order (the caller passes them in a fixed order), or refuses. */
export function lockFiles(files: string[], env: Env): Release {
  const releases: Release[] = [];
  const releaseAll = () => releases.splice(0).reverse().forEach((release) => release());
  try {
    for (const file of files) releases.push(acquireLock(file, {waitMs: lockWaitMs(env)}));
  } catch (error) {
    releaseAll();
    if (error instanceof LockTimeoutError) throw new UsageError(`refused: ${error.message}`);
    throw error;
  }
  return releaseAll;
}

// Every temporary file a run makes (step scripts, the netcheck shim with its copy of the runbook,
// env dumps, probe bodies) lives under one directory, removed when the run ends however it ends:
// normally, on an error, on `process.exit`, or on Ctrl-C, TERM or HUP (interrupt.mts calls the
// remover then). The steps themselves see the user's own TMPDIR.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

let userTmpdir: string | undefined;

/** TMPDIR as the user had it (undefined when unset), for the steps' environment. */
export function userTmpdirValue(): string | undefined {
  return userTmpdir;
}

/** Points os.tmpdir() at a fresh directory of this run; returns how to remove it (idempotent). A
 *  TMPDIR that cannot take it leaves things as they were: the run's first temp file (the netcheck
 *  shim's) then refuses, naming TMPDIR; --help and --version need none. */
export function useRunTempDir(): () => void {
  userTmpdir = process.env.TMPDIR;
  let dir: string;
  try {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-run-'));
  } catch {
    return () => {};
  }
  process.env.TMPDIR = dir;
  const remove = () => {
    fs.rmSync(dir, {recursive: true, force: true});
    if (userTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = userTmpdir;
    process.removeListener('exit', remove);
  };
  // process.exit() (a closed pipe ends the run that way) skips finally blocks, not this.
  process.once('exit', remove);
  return remove;
}

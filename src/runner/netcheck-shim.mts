// Steps call `runbook-netcheck` by name. A generated runbook carries it as a helper mode
// (`node FILE --runbook-netcheck …`), so for one run a temp dir holds a copy of the runbook file
// (and of the runtime it imports, when the runtime is not inlined) and a `runbook-netcheck` script
// that runs it in that mode; the runner puts the dir first on the steps' PATH and removes it when
// the run ends. A copy, because `zx https://…/x.mjs` deletes the downloaded file as soon as the run
// is over, and a step may still be calling the helper. The script also hands the dir to the helper
// as its detection cache, so the clients' releases are detected once per run, not once per check
// (src/netcheck/installed.mts).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {fileURLToPath} from 'node:url';
import {DETECTED_CACHE} from '../netcheck/index.mts';
import {fileSystemError, shellQuote} from '../io/index.mts';
import {RUNTIME_BESIDE_SCRIPT} from '../plan/index.mts';

export const NETCHECK_MODE = '--runbook-netcheck';

/** This module's file: runbooks/lib/runtime.mjs, or the runbook itself when the runtime is inlined. */
const RUNTIME_PATH = fileURLToPath(import.meta.url);

export interface NetcheckShim {
  /** The folder to put first on PATH. */
  dir: string;
  remove(): void;
}

export function createNetcheckShim(scriptPath: string): NetcheckShim {
  let dir: string;
  try {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-netcheck-'));
  } catch (error) {
    // TMPDIR names a directory this user cannot write (or none): a refusal in one line, not a stack.
    const where = process.env.TMPDIR ? `TMPDIR (${process.env.TMPDIR})` : os.tmpdir();
    throw fileSystemError(`cannot make a temporary directory in ${where}`, error, 'set TMPDIR to a directory you can write');
  }
  const remove = () => fs.rmSync(dir, {recursive: true, force: true});
  process.once('exit', remove);
  const copy = path.join(dir, 'runbook.mjs');
  fs.copyFileSync(scriptPath, copy);
  if (RUNTIME_PATH !== scriptPath) {
    fs.mkdirSync(path.dirname(path.join(dir, RUNTIME_BESIDE_SCRIPT)), {recursive: true});
    fs.copyFileSync(RUNTIME_PATH, path.join(dir, RUNTIME_BESIDE_SCRIPT));
  }
  const shim = [
    '#!/bin/sh',
    `${DETECTED_CACHE}=${shellQuote(dir)}; export ${DETECTED_CACHE}`,
    // Node reads and parses NODE_EXTRA_CA_CERTS at every start (~60 ms; the setup for a
    // TLS-inspecting proxy sets it). The helper opens no TLS connection of its own: curl and the
    // Python clients make the requests, and they keep it.
    'unset NODE_EXTRA_CA_CERTS',
    `exec ${shellQuote(process.execPath)} ${shellQuote(copy)} ${NETCHECK_MODE} "$@"`,
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'runbook-netcheck'), `${shim}\n`, {mode: 0o755});
  return {dir, remove};
}

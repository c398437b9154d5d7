// Steps call `runbook-netcheck` by name. A generated runbook carries it as a helper mode
// (`node FILE --runbook-netcheck …`), so for one run a temp dir holds a copy of the runbook file
// and a two-line `runbook-netcheck` script that runs it in that mode; the runner puts the dir first
// on the steps' PATH and removes it when the run ends. A copy, because `zx https://…/x.mjs` deletes
// the downloaded file as soon as the run is over, and a step may still be calling the helper.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const NETCHECK_MODE = '--runbook-netcheck';

export interface NetcheckShim {
  /** The folder to put first on PATH. */
  dir: string;
  remove(): void;
}

const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

export function createNetcheckShim(scriptPath: string): NetcheckShim {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-netcheck-'));
  const remove = () => fs.rmSync(dir, {recursive: true, force: true});
  process.once('exit', remove);
  const copy = path.join(dir, 'runbook.mjs');
  fs.copyFileSync(scriptPath, copy);
  const shim = `#!/bin/sh\nexec ${shellQuote(process.execPath)} ${shellQuote(copy)} ${NETCHECK_MODE} "$@"\n`;
  fs.writeFileSync(path.join(dir, 'runbook-netcheck'), shim, {mode: 0o755});
  return {dir, remove};
}

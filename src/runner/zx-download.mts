// `npx zx https://SITE/runbooks/NAME.mjs` downloads the runbook into the working directory as NAME.mjs
// (NAME-<random>.mjs when that name is taken), imports it, and deletes it in a `finally` and on
// `exit` (zx 8's cli). A signal that ends the process runs neither, so the run deletes that copy
// itself then (interrupt.mts). Only that copy: never a file the reader saved and runs themselves.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {performance} from 'node:perf_hooks';
import {escapeRegex} from '../io/index.mts';
import {scriptArgIndex} from './flags.mts';

/** What zx names a download whose URL path has no extension. */
const ZX_DEFAULT_EXT = '.mjs';

/**
 * `scriptPath` when it is zx's download of this runbook, else undefined: where the script stands on
 * the command line is an http(s) URL, the file has the name zx makes from that URL, and it was
 * written after this process started (a file the reader saved was there before).
 */
export function zxDownloadedCopy(scriptPath: string, argv: readonly string[] = process.argv): string | undefined {
  const at = scriptArgIndex(scriptPath, argv);
  if (at < 0 || !/^https?:\/\//.test(argv[at])) return undefined;
  let url: URL;
  try {
    url = new URL(argv[at]);
  } catch {
    return undefined;
  }
  const {name, ext} = path.parse(url.pathname);
  const zxName = new RegExp(`^${escapeRegex(name)}(?:-[0-9a-z]+)?${escapeRegex(ext || ZX_DEFAULT_EXT)}$`);
  if (!zxName.test(path.basename(scriptPath))) return undefined;
  try {
    return fs.statSync(scriptPath).mtimeMs >= performance.timeOrigin ? scriptPath : undefined;
  } catch {
    return undefined;
  }
}

// The proxy password never appears on a command line, which every user of the machine can read in
// /proc/PID/cmdline: while fix-noproxy runs (--check's probes through a proxy that holds the
// connection open, then --yes with its fresh-shell verification and Python clients), every
// process's command line is sampled, and none holds the password in any form.
import * as fs from 'node:fs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startBlackhole, type Blackhole} from '../../src/stack/blackhole.mts';
import {runRunbook, tempHome} from '../kit/runbooks.mts';

const PASSWORD = 'Qz7/s3c#r"et@x';
// Whole and in parts, raw and encoded; each part holds a character no temporary file's name has (a
// bare 'Qz7' once matched a random mkdtemp suffix).
const FORMS = [PASSWORD, encodeURIComponent(PASSWORD), 'Qz7/', 'Qz7%2F', 's3c#r', 's3c%23r'];

/** Every process's command line now, arguments joined by spaces (processes that ended are skipped). */
function commandLines(): string[] {
  return fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).flatMap((pid) => {
    try {
      return [fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')];
    } catch {
      return [];
    }
  });
}

/** Samples every command line until `work` settles. */
async function sampleWhile<T>(work: Promise<T>): Promise<{result: T; seen: Set<string>}> {
  const seen = new Set<string>();
  let done = false;
  const settled = work.finally(() => (done = true));
  while (!done) {
    for (const line of commandLines()) seen.add(line);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return {result: await settled, seen};
}

// A proxy that accepts and never answers: curl's probe through it lives until its time limit.
let proxy: Blackhole;
beforeAll(async () => {
  proxy = await startBlackhole();
});
afterAll(() => proxy?.close());

describe('no proxy password on any command line', () => {
  it('while fix-noproxy probes, fixes and verifies', async () => {
    const value = `http://alice:${encodeURIComponent(PASSWORD)}@127.0.0.1:${proxy.port}`;
    const home = tempHome({http_proxy: value, HTTP_PROXY: value, https_proxy: value, HTTPS_PROXY: value});
    try {
      const check = await sampleWhile(runRunbook('fix-noproxy', ['--check'], home.env, 120_000));
      expect(check.result.code, check.result.stderr).toBe(1);
      const fix = await sampleWhile(runRunbook('fix-noproxy', ['--yes'], home.env, 120_000));
      const seen = [...check.seen, ...fix.seen];
      // The sampling saw the probes' curl and the verification's fresh shell.
      expect(seen.some((line) => /^curl .*--max-time 1 /.test(line))).toBe(true);
      expect(seen.some((line) => /^bash --rcfile /.test(line))).toBe(true);
      expect(seen.filter((line) => FORMS.some((form) => line.includes(form)))).toEqual([]);
      const output = `${check.result.stdout}${check.result.stderr}${fix.result.stdout}${fix.result.stderr}`;
      expect(FORMS.filter((form) => output.includes(form))).toEqual([]);
    } finally {
      home.remove();
    }
  }, 300_000);
});

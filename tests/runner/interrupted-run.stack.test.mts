// A run interrupted by Ctrl-C (SIGINT), TERM or HUP while a step runs leaves no temporary file
// behind: no runbook-step-* script, no runbook-netcheck-* shim with its copy of the runbook. The run
// gets a TMPDIR of its own here, which must be empty once the runbook has exited by the signal.
import {spawn} from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startBlackhole, type Blackhole} from '../../src/stack/blackhole.mts';
import {runbookPath, tempHome} from '../kit/runbooks.mts';

// A proxy that accepts and never answers: the probe step waits on it, so there is time to interrupt.
let proxy: Blackhole;
beforeAll(async () => {
  proxy = await startBlackhole();
});
afterAll(() => proxy?.close());

/** Every path under dir, relative. */
const under = (dir: string) => fs.readdirSync(dir, {recursive: true, encoding: 'utf8'});

describe('an interrupted run leaves nothing behind', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('%s during a step', async (signal) => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'interrupted-run-'));
    const proxyUrl = `http://127.0.0.1:${proxy.port}`;
    const home = tempHome({http_proxy: proxyUrl, HTTP_PROXY: proxyUrl});
    try {
      const child = spawn(process.execPath, [await runbookPath('fix-noproxy'), '--check'], {env: {...home.env, TMPDIR: tmp}, stdio: 'ignore'});
      const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, sig) => resolve(sig ?? code)));
      // Wait until a step runs: its script and the netcheck shim are in the run's directory.
      const deadline = Date.now() + 60_000;
      while (!(under(tmp).some((p) => /runbook-step-/.test(p)) && under(tmp).some((p) => /runbook-netcheck-/.test(p)))) {
        if (Date.now() > deadline) throw new Error(`no step started within 60 s: ${under(tmp).join(', ')}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      child.kill(signal);
      expect(await exited).toBe(signal);
      // A TERM or HUP sent to the runner alone leaves the step's own processes (bash, a
      // runbook-netcheck run with its own temp files) to finish; they clean up after themselves.
      const settled = Date.now() + 30_000;
      while (under(tmp).length > 0 && Date.now() < settled) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(under(tmp)).toEqual([]);
    } finally {
      home.remove();
      fs.rmSync(tmp, {recursive: true, force: true});
    }
  }, 120_000);
});

// A runbook cut short (a download that stopped, a chunked response closed early) runs whole or not
// at all: cut at sampled byte offsets, the served fix-noproxy.mjs (runtime inlined) exits non-zero
// with our one line (a cut between statements or in the comments) or Node's syntax error (a cut
// inside a statement, before anything runs), never exit 0 having done nothing. The whole file runs.
// Only a cut within the shebang line leaves an empty program, which exits 0: no file can object.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {servedRunbook} from '../../src/site-runbooks/published.mts';
import {runClient, type Ran} from '../kit/processes.mts';
import {REPO, currentRunbooks} from '../kit/runbooks.mts';

const ONE_LINE = 'fix-noproxy.mjs: this file is incomplete (its last line is missing; a download cut short?): download it again\n';
let dir: string;
let served: Buffer;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cut-runbook-'));
  served = servedRunbook(await currentRunbooks(), 'fix-noproxy');
});
afterAll(() => dir && fs.rmSync(dir, {recursive: true, force: true}));

/** Runs the first `length` bytes of the served file as fix-noproxy.mjs in an empty folder. */
async function runCut(length: number, via: 'node' | 'zx' = 'node'): Promise<Ran> {
  const file = path.join(dir, `${via}-${length}`, 'fix-noproxy.mjs');
  fs.mkdirSync(path.dirname(file));
  fs.writeFileSync(file, served.subarray(0, length));
  const [command, ...args] = via === 'node' ? [process.execPath, file] : [path.join(REPO, 'node_modules/.bin/zx'), file];
  return runClient(command, [...args, '--version'], {PATH: process.env.PATH, HOME: dir, CI: 'true'}, 60_000, path.dirname(file));
}

function expectRefused(ran: Ran, length: number): void {
  expect(ran.code, `cut at ${length}: ${ran.stdout}${ran.stderr}`).not.toBe(0);
  expect(ran.stdout, `cut at ${length}`).toBe('');
  // Node's own error: the cut left a statement in two (at offset 21 of line 2, `i` is a whole one).
  if (ran.stderr !== ONE_LINE) expect(ran.stderr, `cut at ${length}`).toMatch(/^(SyntaxError|ReferenceError): /m);
}

/** Offsets past the first line (a file cut inside or right after `#!/usr/bin/env node` is empty: nothing can object). */
function sampledOffsets(size: number, count: number): number[] {
  const first = served.indexOf('\n') + 2;
  const readableEnd = served.indexOf('\n// ═══════ RUNTIME BELOW');
  const lastLine = served.lastIndexOf('\n', size - 2) + 1;
  const spread = Array.from({length: count}, (_, i) => first + Math.floor(((size - first) * (i * 7919 % count)) / count));
  return [...new Set([first, first + 1, readableEnd, readableEnd + 1, lastLine, lastLine + 10, size - 1, ...spread])].sort((a, b) => a - b);
}

describe('a served runbook cut short', () => {
  it('refuses to run at every sampled offset, with one line or a syntax error', {timeout: 300_000}, async () => {
    const offsets = sampledOffsets(served.length, 24);
    const results = await Promise.all(offsets.map(async (length) => [length, await runCut(length)] as const));
    // Once the last line's declaration is in, all the code is: only its comment is missing.
    const codeEnd = served.lastIndexOf('function runbookFileEnd() {}') + 'function runbookFileEnd() {}'.length;
    for (const [length, ran] of results) {
      if (length < codeEnd) expectRefused(ran, length);
      else expect(ran.code, `cut at ${length} (only the last comment is missing): ${ran.stderr}`).toBe(0);
    }
    // A cut in the readable comments runs nothing but the guard: the one line, exit 2.
    const inComments = results.find(([length]) => length === served.indexOf('\n// ═══════ RUNTIME BELOW'))![1];
    expect(inComments).toEqual({code: 2, stdout: '', stderr: ONE_LINE});
  });

  it('zx too: the one line, exit 2', async () => {
    const ran = await runCut(served.indexOf('\n// ═══════ RUNTIME BELOW'), 'zx');
    expect(ran).toEqual({code: 2, stdout: '', stderr: ONE_LINE});
  });

  it('the whole file runs', async () => {
    const ran = await runCut(served.length);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(/^fix-noproxy: generated from docs\/guides\/local-service-proxy\.md/);
  });
});

// A runbook cut short (a download that stopped, a chunked response closed early) runs whole or not
// at all: cut at sampled byte offsets past its loader (line 1), the served fix-noproxy.mjs exits 2
// with one line, under node and zx; the whole file runs. The served code is one line comment
// (src/plan/whole-file.mts), so a cut leaves valid JavaScript, except where no file can avoid it: a
// cut within the loader line, or between the two slashes that open a readable comment line (a lone
// `/`), is Node's syntax error (exit 1, before anything runs); those offsets are all before the code
// line. No cut but the empty file exits 0: the served file has no shebang, which a cut would leave
// as a comment that runs nothing.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {servedRunbook} from '../../src/site-runbooks/published.mts';
import {runClient, type Ran} from '../kit/processes.mts';
import {REPO, currentRunbooks} from '../kit/runbooks.mts';

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

const oneLine = (length: number) => `fix-noproxy.mjs is incomplete (${length} of ${served.length} bytes; a download cut short?): download it again\n`;

/** A cut that leaves a lone `/` at the start of the last line (the two slashes opening a comment split). */
const splitsCommentStart = (length: number) => served[length - 1] === 0x2f && served[length - 2] === 0x0a && served[length] === 0x2f;

/** The loader line (line 1, without its line end), and where its block statement ends in it. */
const loaderLine = () => served.subarray(0, served.indexOf('\n'));
const loaderStatementEnd = () => loaderLine().lastIndexOf('}') + 1;

/** Offsets from the end of the loader (line 1) to the last byte, spread over the file, and its edges. */
function sampledOffsets(count: number): number[] {
  const first = served.indexOf('\n') + 1;
  const codeStart = served.indexOf('\n//▌') + 1;
  const size = served.length;
  const spread = Array.from({length: count}, (_, i) => first + Math.floor(((size - first) * (i * 7919 % count)) / count));
  return [...new Set([loaderStatementEnd(), first - 1, first, first + 1, first + 2, first + 3, codeStart, codeStart + 1, codeStart + 3, size - 2, size - 1, ...spread])]
    .filter((length) => !splitsCommentStart(length)).sort((a, b) => a - b);
}

describe('a served runbook cut short', () => {
  it('refuses at every sampled offset from the end of the loader line on with one line, exit 2', {timeout: 300_000}, async () => {
    for (const length of sampledOffsets(40)) {
      expect(await runCut(length), `cut at ${length}`).toEqual({code: 2, stdout: '', stderr: oneLine(length)});
    }
  });

  it('under zx too', {timeout: 120_000}, async () => {
    for (const length of [served.indexOf('\n') + 1, Math.floor(served.length / 2), served.length - 1]) {
      expect(await runCut(length, 'zx'), `cut at ${length}`).toEqual({code: 2, stdout: '', stderr: oneLine(length)});
    }
  });

  it('only a readable line\'s two opening slashes split leave a lone `/`: Node\'s syntax error, before anything runs', async () => {
    const codeLine = served.indexOf('\n//▌') + 1;
    const lone = Array.from({length: served.length + 1}, (_, length) => length).filter(splitsCommentStart);
    expect(lone.length).toBeGreaterThan(0);
    expect(lone.every((length) => length <= codeLine + 1)).toBe(true);
    expect(served.indexOf('\n', codeLine)).toBe(served.length - 1);
    const length = lone[0];
    const ran = await runCut(length);
    expect(ran.code).toBe(1);
    expect(ran.stdout).toBe('');
    expect(ran.stderr).toMatch(/^SyntaxError: /m);
  });

  it('a cut within the loader statement does not parse (V8, every byte offset), so it runs nothing: Node\'s syntax error, exit 1', async () => {
    const line = loaderLine();
    const statementEnd = loaderStatementEnd();
    // One process parses every prefix of the loader line as a module, as Node would the cut file.
    const parses = `const vm = require('node:vm'); const line = require('node:fs').readFileSync(0); const ok = [];
      for (let length = 1; length <= line.length; length++) { try { new vm.SourceTextModule(line.subarray(0, length).toString('utf8')); ok.push(length); } catch {} }
      process.stdout.write(JSON.stringify(ok));`;
    const ran = await runClient(process.execPath, ['--experimental-vm-modules', '--no-warnings', '-e', parses], {PATH: process.env.PATH}, 60_000, dir, line.toString('utf8'));
    expect(ran.code, ran.stderr).toBe(0);
    const parsing: number[] = JSON.parse(ran.stdout);
    // From its closing brace on, the loader is whole (but where its comment's slashes are split).
    expect(parsing[0]).toBe(statementEnd);
    expect(parsing.length).toBe(line.length - statementEnd);
    for (const length of [1, 20, Math.floor(statementEnd / 2), statementEnd - 1]) {
      const cut = await runCut(length);
      expect(cut.code, `cut at ${length}`).toBe(1);
      expect(cut.stdout).toBe('');
      expect(cut.stderr, `cut at ${length}`).toMatch(/^SyntaxError: /m);
    }
  });

  it.each([
    ['a changed byte', (bytes: Buffer) => {
      const damaged = Buffer.from(bytes);
      damaged[bytes.lastIndexOf('"format"') + 1] = 'F'.charCodeAt(0);
      return damaged;
    }],
    ['a byte too many', (bytes: Buffer) => Buffer.concat([bytes, Buffer.from('\n')])],
  ])('a whole file with %s is refused too: one line, exit 2', async (name, damage) => {
    const file = path.join(dir, name.replaceAll(' ', '-'), 'fix-noproxy.mjs');
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, damage(served));
    const ran = await runClient(process.execPath, [file, '--version'], {PATH: process.env.PATH, HOME: dir, CI: 'true'}, 60_000, path.dirname(file));
    expect(ran).toEqual({code: 2, stdout: '', stderr: 'fix-noproxy.mjs is damaged (its sha256 differs from the one on line 1): download it again\n'});
  });

  it('the whole file runs, under node and zx', async () => {
    for (const via of ['node', 'zx'] as const) {
      const ran = await runCut(served.length, via);
      expect(ran.code, ran.stderr).toBe(0);
      expect(ran.stdout).toMatch(/^fix-noproxy: generated from docs\/guides\/local-service-proxy\.md/);
    }
  });
});

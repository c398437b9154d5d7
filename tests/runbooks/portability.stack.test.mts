// runbooks/ (as the current docs and src/ make it) copied alone into an empty directory, with no
// node_modules anywhere above it: Node alone runs every runbook, and so does zx.
import {copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runClient} from '../kit/processes.mts';
import {REPO, currentRunbooks} from '../kit/runbooks.mts';

let dir: string;
const runbooks = readdirSync(join(REPO, 'runbooks')).filter((f) => f.endsWith('.mjs'));
const env = () => ({PATH: process.env.PATH, HOME: dir, CI: 'true'});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'runbooks-copy-'));
  cpSync(join(await currentRunbooks(), 'runbooks'), join(dir, 'runbooks'), {recursive: true});
});

afterAll(() => dir && rmSync(dir, {recursive: true, force: true}));

describe('runbooks/ copied alone, no node_modules', () => {
  it('has runbooks to check, and nothing to import them from', () => {
    expect(runbooks.length).toBeGreaterThan(0);
    expect(readdirSync(dir).filter((f) => f !== 'alone')).toEqual(['runbooks']);
  });

  it.each(runbooks)('node runbooks/%s --help and --dry-run work', async (script) => {
    const help = await runClient(process.execPath, [join('runbooks', script), '--help'], env(), 60_000, dir);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain('Exit codes:');
    const dry = await runClient(process.execPath, [join('runbooks', script), '--dry-run'], env(), 60_000, dir);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^\[1\/\d+\] /m);
  });

  it('node runs the steps: fix-noproxy --check, with runbook-netcheck on the steps\' PATH', async () => {
    const ran = await runClient(process.execPath, [join('runbooks', 'fix-noproxy.mjs'), '--check', '--url', 'http://127.0.0.1:9', '--json'], env(), 90_000, dir);
    const report = JSON.parse(ran.stdout);
    expect(report.steps.map((s: {id: string; status: string}) => [s.id, s.status])).toEqual([['variables', 'ok'], ['clients', 'ok'], ['probe', 'failed'], ['processes', 'ok']]);
    expect(report.steps[1].output).toContain('every client connects directly');
    expect(ran.code).toBe(1);
  });

  it('zx runbooks/<name>.mjs works too', async () => {
    const zx = join(REPO, 'node_modules/.bin/zx');
    const result = await runClient(zx, [join('runbooks', runbooks[0]), '--dry-run', '--json'], env(), 60_000, dir);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).mode).toBe('dry-run');
  });

  it('one runbook copied without lib/runtime.mjs says so in one line (exit 2)', async () => {
    const alone = join(dir, 'alone');
    mkdirSync(alone);
    copyFileSync(join(dir, 'runbooks', 'fix-noproxy.mjs'), join(alone, 'fix-noproxy.mjs'));
    const ran = await runClient(process.execPath, ['fix-noproxy.mjs', '--help'], env(), 60_000, alone);
    expect(ran).toEqual({code: 2, stdout: '', stderr: expect.stringMatching(/^this runbook needs lib\/runtime\.mjs beside it \(ERR_MODULE_NOT_FOUND\): copy the whole runbooks\/ folder, or download the runbook from the site, which has the runtime inside\n$/)});
  });

  it('runbook-netcheck in runbooks/lib/bin runs the runtime\'s checks', async () => {
    const ran = await runClient(join(dir, 'runbooks/lib/bin/runbook-netcheck'), ['--help'], env(), 60_000, dir);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(/^usage: runbook-netcheck /);
  });
});

// The committed runbooks/ folder, copied alone into an empty directory with only zx installed,
// runs under node and under zx.
import {cpSync, mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {REPO_ROOT} from '../../src/extraction/docs.mts';
import {runClient} from '../kit/processes.mts';

let dir: string;
const runbooks = readdirSync(join(REPO_ROOT, 'runbooks')).filter((f) => f.endsWith('.mjs'));
const env = () => ({PATH: process.env.PATH, HOME: dir, CI: 'true'});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'runbooks-copy-'));
  cpSync(join(REPO_ROOT, 'runbooks'), join(dir, 'runbooks'), {recursive: true});
  const install = await runClient('npm', ['install', 'zx@8.8', '--prefer-offline', '--no-audit', '--no-fund', '--no-save'], {...process.env, npm_config_loglevel: 'error'}, 120_000, dir);
  expect(install.code, install.stderr).toBe(0);
  expect(readdirSync(join(dir, 'node_modules'))).toContain('zx');
}, 120_000);

afterAll(() => dir && rmSync(dir, {recursive: true, force: true}));

describe('runbooks/ copied alone with only zx installed', () => {
  it('has runbooks to check', () => {
    expect(runbooks.length).toBeGreaterThan(0);
  });

  it.each(runbooks)('node runbooks/%s --help and --dry-run work', async (script) => {
    const help = await runClient(process.execPath, [join('runbooks', script), '--help'], env(), 60_000, dir);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain('Exit codes:');
    const dry = await runClient(process.execPath, [join('runbooks', script), '--dry-run'], env(), 60_000, dir);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^\[1\/\d+\] /m);
  });

  it('zx runbooks/<name>.mjs works with the zx installed beside it', async () => {
    const zx = join(dir, 'node_modules/.bin/zx');
    const result = await runClient(zx, [join('runbooks', runbooks[0]), '--dry-run', '--json'], env(), 60_000, dir);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).mode).toBe('dry-run');
  });
});

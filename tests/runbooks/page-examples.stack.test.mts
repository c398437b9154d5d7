// The usage examples of the Runbooks page (runbook-examples) and the translation commands of the
// contributor page (translation-commands) run as a reader runs them: from a checkout, with `npx zx`
// or `npm run`, against the mock vLLM. The examples that change things (fix-noproxy --yes,
// setup-mirrors --yes) are followed on the page by their --undo, so the reader's shell config file
// and checkout end as they began; the translation commands change nothing in an up-to-date clone.
import {execFileSync} from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runClient} from '../kit/processes.mts';
import {stackInfo} from '../kit/stack.mts';
import {REPO, currentRunbooks, jsonReport, tempHome, type Home} from '../kit/runbooks.mts';
import {listTree, tempCheckout, type Checkout} from './mirrors-workdir.mts';

/** A checkout as a reader has it: the repository's files, its runbooks/ (as the current docs and src/ make them) and installed node_modules. */
async function readerCheckout(): Promise<Checkout> {
  const checkout = tempCheckout();
  fs.symlinkSync(path.join(await currentRunbooks(), 'runbooks'), path.join(checkout.dir, 'runbooks'));
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(checkout.dir, 'node_modules'));
  return checkout;
}


describe('the Runbooks page\'s usage examples', () => {
  let home: Home;
  let checkout: Checkout;
  let bashrcBefore: string;
  let treeBefore: string[];
  beforeAll(async () => {
    home = tempHome({});
    checkout = await readerCheckout();
    bashrcBefore = fs.readFileSync(home.rc, 'utf8');
    treeBefore = listTree(checkout.dir);
  });
  afterAll(() => {
    home?.remove();
    checkout?.remove();
  });

  it('each example block runs against the mock vLLM; the changes they make are undone by the page\'s own --undo lines', async () => {
    const ran = await runClient('node', [path.join(checkout.dir, 'runbooks', 'runbook-examples.mjs'), '--url', stackInfo().mockVllm.url, '--json'], home.env, 600_000, checkout.dir);
    const report = jsonReport(ran);
    expect(report.steps.map((s) => [s.id, s.status]), report.steps.map((s) => `${s.id}: ${s.output.slice(-1500)}`).join('\n')).toEqual(
      ['running', 'fix-noproxy', 'check-service', 'proxy-quick-fixes', 'local-proxy', 'check-mirrors', 'setup-mirrors', 'host-mirrors', 'download-model'].map((id) => [id, 'ok']));
    const steps = Object.fromEntries(report.steps.map((s) => [s.id, s]));
    expect(steps.running.output).toContain('Usage');
    expect(steps['fix-noproxy'].output).toMatch(/fixed|all steps passed/);
    expect(steps['check-service'].output).toContain('"exitCode": 0');
    expect(steps['setup-mirrors'].output).toContain('docker-compose.override.yml');
    expect(fs.readFileSync(home.rc, 'utf8')).toBe(bashrcBefore);
    expect(listTree(checkout.dir)).toEqual(treeBefore);
  }, 620_000);
});

describe('the contributor page\'s translation commands', () => {
  let clone: string;
  beforeAll(() => {
    clone = fs.mkdtempSync(path.join(os.tmpdir(), 'translation-clone-'));
    execFileSync('git', ['clone', '-q', REPO, clone]);
    fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(clone, 'node_modules'));
  });
  afterAll(() => {
    if (clone) fs.rmSync(clone, {recursive: true, force: true});
  });

  it('accept, status and sync run in an up-to-date clone and change no tracked file', async () => {
    const home = tempHome({});
    try {
      const ran = await runClient('node', [path.join(clone, 'runbooks', 'translation-commands.mjs'), '--yes', '--json'], home.env, 300_000, clone);
      const report = jsonReport(ran);
      expect(report.steps.map((s) => [s.id, s.status]), ran.stdout.slice(-3000)).toEqual([['accept', 'ok'], ['status', 'ok'], ['sync', 'ok']]);
      expect(report.steps[1].output).toContain('guides/local-service-proxy.md');
      expect(execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {cwd: clone, encoding: 'utf8'})).toBe('');
    } finally {
      home.remove();
    }
  }, 320_000);
});

// The generated scripts as files: every runbook in runbooks/ shows each step's commands verbatim
// before its one runtime marker and names the commit of its page's last change; the adversarial
// fixture (backticks, ${, */, U+2028/U+2029, lone backslashes in page text) becomes a script that
// parses and runs, printing those characters back unharmed.
import {execFileSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {REPO_ROOT, extractDocs} from '../../src/extraction/docs.mts';
import {renderRunbooks} from '../../src/extraction/emit.mts';
import {planFile, scriptFile} from '../../src/plan/files.mts';
import {extractPage} from '../../src/extraction/extract.mts';
import {CODE_GUTTER, RUNTIME_MARKER} from '../../src/extraction/readable.mts';
import type {RunbookPlan} from '../../src/plan/plan.mts';
import {runClient} from '../kit/processes.mts';
import {runbookPath} from '../kit/runbooks.mts';

const plans = extractDocs().runbooks;
const dir = mkdtempSync(join(tmpdir(), 'runbook-script-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe('generated runbooks', () => {
  it.each(plans.map((p) => p.name))('%s shows every command verbatim before its one runtime marker', (name) => {
    const text = readFileSync(join(REPO_ROOT, scriptFile(name)), 'utf8');
    const plan = JSON.parse(readFileSync(join(REPO_ROOT, planFile(name)), 'utf8')) as RunbookPlan;
    const parts = text.split(`\n${RUNTIME_MARKER}\n`);
    expect(parts).toHaveLength(2);
    const shown = parts[0].split('\n').filter((line) => line.startsWith(CODE_GUTTER)).map((line) => line.slice(CODE_GUTTER.length));
    // The code lines of all steps, in run order, are exactly the plan's.
    expect(shown).toEqual(plan.steps.flatMap((step) => step.code.split('\n')));
    for (const step of plan.steps) {
      expect(parts[0]).toContain(`  ${step.id}  (${step.kind}, `);
      expect(parts[0]).toContain(`${plan.source}:${step.line}`);
    }
  });

  it.each(plans.map((p) => [p.name, p.source]))('%s --version names the last commit of %s', async (name, source) => {
    const commit = execFileSync('git', ['log', '-1', '--format=%H', '--', source], {cwd: REPO_ROOT, encoding: 'utf8'}).trim();
    const version = execFileSync(process.execPath, [await runbookPath(name), '--version'], {cwd: REPO_ROOT, encoding: 'utf8'});
    expect(version).toContain(`docs commit ${commit}`);
  });
});

describe('the adversarial fixture', () => {
  it('generates a script that parses and runs, with the page text intact', async () => {
    const input = 'tests/extraction/fixtures/adversarial/input.md';
    const [plan] = extractPage(input, readFileSync(input, 'utf8')).runbooks;
    for (const [file, text] of await renderRunbooks([plan], dir)) {
      mkdirSync(join(dir, file, '..'), {recursive: true});
      writeFileSync(join(dir, file), text);
    }
    const script = join(dir, scriptFile(plan.name));
    const ran = await runClient(process.execPath, [script], {PATH: process.env.PATH, HOME: dir, CI: 'true'}, 60_000, dir);
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain('line\u2028separator|paragraph\u2029separator');
    expect(ran.stdout).toContain('a lone backslash ends this line and bash continues it');
    expect(ran.stdout).toContain('ends in a backslash \\');
    expect(ran.stdout).toContain('*/ /* `${oops}` </script> \\u2028');
    const help = await runClient(process.execPath, [script, '--help'], {PATH: process.env.PATH, HOME: dir}, 60_000, dir);
    expect(help.stdout).toContain('Adversarial blocks: `backticks`, ${x}, */ and a\u2028line separator in a title');
  });
});

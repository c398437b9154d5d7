// Fixture tests: tests/extraction/fixtures/<case>/input.md(x) → plan.json (runbooks, classified
// blocks, errors) and <runbook>.mjs. Regenerate the expected files after an intended change with
//   UPDATE_FIXTURES=1 npx vitest run tests/extraction
import {existsSync, readFileSync, readdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {extractPage} from '../../src/extraction/extract.mts';
import {renderPlan, renderScript} from '../../src/extraction/emit.mts';

const FIXTURES = 'tests/extraction/fixtures';
const update = process.env.UPDATE_FIXTURES === '1';
const cases = readdirSync(FIXTURES, {withFileTypes: true}).filter((d) => d.isDirectory()).map((d) => d.name);

function expectFile(path: string, actual: string): void {
  if (update) writeFileSync(path, actual);
  expect(existsSync(path), `${path} is missing: run UPDATE_FIXTURES=1 npx vitest run tests/extraction`).toBe(true);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe('extraction fixtures', () => {
  it.each(cases)('%s', (name) => {
    const dir = join(FIXTURES, name);
    const input = readdirSync(dir).find((f) => /^input\.mdx?$/.test(f))!;
    const page = extractPage(`${dir}/${input}`, readFileSync(join(dir, input), 'utf8'));
    // An error case must fail and only an error case may: an update cannot silently flip this.
    if (name.startsWith('error-')) expect(page.errors.length).toBeGreaterThan(0);
    else expect(page.errors).toEqual([]);
    expectFile(join(dir, 'plan.json'), renderPlan(page));
    for (const plan of page.runbooks) expectFile(join(dir, `${plan.name}.mjs`), renderScript(plan));
  });

  it('keeps doc text out of every generated script', () => {
    for (const name of cases) {
      const dir = join(FIXTURES, name);
      for (const script of readdirSync(dir).filter((f) => f.endsWith('.mjs'))) {
        const text = readFileSync(join(dir, script), 'utf8');
        const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8'));
        const runbook = plan.runbooks.find((r: {name: string}) => `${r.name}.mjs` === script);
        for (const step of runbook.steps) {
          for (const line of step.code.split('\n').filter((l: string) => l.trim().length > 3)) {
            expect(text).not.toContain(line.trim());
          }
        }
        if (runbook.title.length > 3) expect(text).not.toContain(runbook.title);
      }
    }
  });
});

// Fixture tests: tests/extraction/fixtures/<case>/input.md(x) → plan.json (runbooks, classified
// blocks, errors) and <runbook>.head.txt, the readable part of the generated script. Regenerate the expected files after an intended change with
//   UPDATE_FIXTURES=1 npx vitest run tests/extraction
import {existsSync, readFileSync, readdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {extractPage} from '../../src/extraction/extract.mts';
import {renderPlan} from '../../src/extraction/emit.mts';
import {CODE_GUTTER, RUNTIME_MARKER, renderReadable} from '../../src/extraction/readable.mts';
import type {RunbookOrigin} from '../../src/plan/plan.mts';

const FIXTURES = 'tests/extraction/fixtures';
const update = process.env.UPDATE_FIXTURES === '1';
// A fixed origin: fixtures do not depend on this repository's history.
export const FIXTURE_ORIGIN: RunbookOrigin = {commit: '0123456789abcdef0123456789abcdef01234567', date: '2026-01-01', modified: false};
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
    for (const plan of page.runbooks) expectFile(join(dir, `${plan.name}.head.txt`), renderReadable(plan, FIXTURE_ORIGIN));
  });

  it('shows every command line verbatim in the readable part, and nothing after the marker', () => {
    for (const name of cases) {
      const dir = join(FIXTURES, name);
      const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8'));
      for (const runbook of plan.runbooks) {
        const head = readFileSync(join(dir, `${runbook.name}.head.txt`), 'utf8');
        expect(head.endsWith(`${RUNTIME_MARKER}\n`)).toBe(true);
        const shown = head.split('\n');
        for (const step of runbook.steps) {
          const lines = step.code.split('\n').map((line: string) => `${CODE_GUTTER}${line}`);
          // A run of lines, in order: the block as the page shows it.
          const at = shown.indexOf(lines[0]);
          const terminators = /[\r\u2028\u2029]/.test(step.code);
          if (!terminators) expect(shown.slice(at, at + lines.length * 2).filter((l) => l.startsWith(CODE_GUTTER)).slice(0, lines.length), `${name}/${step.id}`).toEqual(lines);
        }
      }
    }
  });
});

// The annotation table (src/extraction/annotations.mts) is the one place the fence attributes are
// defined: the README shows it verbatim, and extraction accepts an attribute on exactly the kinds
// the table allows and demands it on the kinds that require it.
import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {ANNOTATIONS, renderAnnotationTable} from '../../src/extraction/annotations.mts';
import {extractPage} from '../../src/extraction/extract.mts';
import {STEP_KINDS, type StepKind} from '../../src/plan/plan.mts';

// A valid value for each attribute, and a block body every kind accepts.
const SAMPLE: Record<string, string> = {
  timeout: '5s', 'expect-exit': '0', 'expect-output': 'ok', 'expect-match': '/ok/', requires: 'sh',
  platform: 'linux', reason: 'shown only', params: 'port', path: 'out.txt',
};
const LANG: Record<StepKind, string> = {run: 'bash', check: 'bash', env: 'bash', 'rc-block': 'bash', file: 'text', undo: 'bash', manual: 'text'};

function page(kind: StepKind, extra: string[]): string {
  const required = ANNOTATIONS.filter((a) => a.requiredFor.includes(kind) && !extra.includes(a.name));
  const meta = [...extra, ...required.map((a) => a.name)].map((name) => (SAMPLE[name] ? `${name}="${SAMPLE[name]}"` : name));
  return [
    '---', 'runbooks:', '  r:', '    title: T', '    params:', '      port: {default: "8000", type: int}', '---',
    `\`\`\`${LANG[kind]} runbook=r step=s kind=${kind} ${meta.join(' ')}`, 'echo 8000', '```', '',
  ].join('\n');
}

describe('annotation table', () => {
  it('is the attribute table of src/extraction/README.md', () => {
    const readme = readFileSync('src/extraction/README.md', 'utf8');
    const section = /<!-- annotation table:[^\n]*\n([\s\S]*?)\n<!-- end of annotation table -->/.exec(readme);
    expect(section, 'README lost its annotation table markers').not.toBeNull();
    expect(section![1]).toBe(renderAnnotationTable());
  });

  const optional = ANNOTATIONS.filter((a) => !['runbook', 'step', 'kind'].includes(a.name));
  const cases = optional.flatMap((rule) => STEP_KINDS.map((kind) => [rule.name, kind] as const));
  it.each(cases)('%s on kind=%s is accepted exactly when the table allows it', (name, kind) => {
    const rule = ANNOTATIONS.find((a) => a.name === name)!;
    const errors = extractPage('p.md', page(kind, [name])).errors.map((e) => e.message);
    if (rule.kinds.includes(kind)) expect(errors).toEqual([]);
    else expect(errors).toContain(`${rule.takes === 'value' ? `${name}=` : name} does not apply to kind=${kind} (only to ${rule.kinds.join(', ')})`);
  });

  it.each(ANNOTATIONS.flatMap((rule) => rule.requiredFor.map((kind) => [rule.name, kind] as const)))(
    '%s is required on kind=%s', (name, kind) => {
      const body = page(kind, []).replace(new RegExp(` ${name}(="[^"]*")?`), '');
      expect(extractPage('p.md', body).errors.map((e) => e.message)).toContain(`kind=${kind} needs ${ANNOTATIONS.find((a) => a.name === name)!.usage}`);
    });
});

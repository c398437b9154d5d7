// The extractor under fuzz (issue 15): generated pages (fences of random characters and lengths,
// closed, unclosed or closed short; meta strings with valid, invalid and garbled annotations; front
// matter valid and broken; nested JSX and admonitions; CRLF, lone CR and a BOM) never crash it.
// Each page yields its plans or errors naming the file and a line of the page, and every plan
// renders to a script that is valid JavaScript holding no page text. Half the pages are well
// formed (valid steps in tricky places): those must yield exactly their steps and no error.
import {describe, expect, it} from 'vitest';
import fc from 'fast-check';
import {transformSync} from 'esbuild';
import {extractPage, type PageExtraction} from '../../src/extraction/extract.mts';
import {renderPlan, renderScript} from '../../src/extraction/emit.mts';
import {CODE_GUTTER, RUNTIME_MARKER} from '../../src/extraction/readable.mts';
import {RUNTIME_EXPORT, inlineRuntime} from '../../src/plan/files.mts';

const FILE = 'docs/fuzz/page.md';
const NUM_RUNS = 1000;

const word = fc.constantFrom(
  'probe', 'curl', 'NO_PROXY', '模型', 'naïve', '$HOME', '${x}', '`tick`', '~~~', '```', '{x}', '{', '}', '<b>', '</div>',
  '<br/>', '*', '#', '\\', '"', "'", ':::', '&amp;', '<!-- c -->', '{/* c */}', '\u2028', '\t', '*/', '</script>', '8000',
);
const text = fc.array(word, {minLength: 1, maxLength: 8}).map((words) => words.join(' '));

const attribute = fc.oneof(
  fc.constantFrom(
    'runbook=fuzz', 'runbook=fuzz', 'runbook=other', 'runbook=Bad_Name', 'step=a', 'step=b', 'step=c', 'step=-x',
    'kind=run', 'kind=check', 'kind=env', 'kind=rc-block', 'kind=file', 'kind=manual', 'kind=bogus',
    'timeout=5s', 'timeout=fast', 'expect-exit=0,1', 'expect-exit=x', 'expect-match="/a(b/"', 'expect-match="/ok/i"',
    'params=url', 'params=nope', 'path=out.txt', 'path=../../etc/passwd', 'requires=curl', 'platform=linux',
    'platform=windows', 'changes', 'changes=yes', 'comments-may-differ', 'showLineNumbers', '{1,3-4}', '{1',
    'title="a b"', 'title="unterminated', 'reason="why not"', "reason='single'", 'timeot=3s', '=', 'a=b=c', '"',
  ),
  text.map((t) => `expect-output=${JSON.stringify(t)}`),
  text.map((t) => `reason=${JSON.stringify(t)}`),
);
const meta = fc.array(attribute, {maxLength: 6}).map((attributes) => attributes.join(' '));
const lang = fc.constantFrom('bash', 'bash', 'sh', 'shell', 'python', 'zsh', 'fish', 'mermaid', 'js', '', 'runbook=fuzz', '{1}');

/** A line that may look like a fence of its own (and close or reopen the enclosing one). */
const bodyLine = fc.oneof(
  text,
  fc.tuple(fc.constantFrom('`', '~'), fc.integer({min: 2, max: 7}), fc.constantFrom('', 'bash', ' ')).map(([c, n, info]) => c.repeat(n) + info),
  fc.constantFrom('curl --noproxy "*" -sS http://127.0.0.1:8000/v1/models', 'export NO_PROXY=localhost,127.0.0.1', '', '   '),
);

const fence = fc
  .record({
    char: fc.constantFrom('`', '~'),
    length: fc.integer({min: 3, max: 6}),
    close: fc.constantFrom('same', 'same', 'same', 'longer', 'shorter', 'none'),
    indent: fc.constantFrom('', '', '  ', '   ', '    '),
    lang,
    meta,
    body: fc.array(bodyLine, {maxLength: 4}),
  })
  .map(({char, length, close, indent, lang, meta, body}) => {
    const closeLength = {same: length, longer: length + 1, shorter: length - 1, none: 0}[close];
    return [`${indent}${char.repeat(length)}${lang}${meta ? ` ${meta}` : ''}`, ...body, ...(closeLength ? [indent + char.repeat(closeLength)] : [])].join('\n');
  });

const inline = fc.oneof(
  text,
  fc.constantFrom('import Tabs from \'@theme/Tabs\';', 'export const x = 1;', '{1 + }', '<Unclosed>', '<a href="x">link</a>', '- item\n- item', '> quote'),
);

const FRONT_MATTER = [
  '---\nruntime: none\n---',
  '---\nrunbooks:\n  fuzz:\n    title: Fuzz\n    params:\n      url: {default: "http://127.0.0.1:8000", type: url}\n---',
  '---\nrunbooks:\n  fuzz:\n    title: Fuzz\n    order: [a, b, zzz]\n---',
  '---\nrunbooks:\n  fuzz:\n    title: Fuzz\n  other:\n    title: Other\n    params:\n      url: {default: 8000, type: nope, flag: --help}\n---',
  '---\nrunbooks: [\n---',
  '---\nrunbooks:\n  fuzz:\n\ttitle: tab\n---',
  '---\nrunbooks:\n  fuzz:\n    title: Fuzz\n  fuzz:\n    title: Twice\n---',
  '---\nrunbooks:\n  fuzz:\n    title: Fuzz\n',
  '---\n---',
  '---\ntitle: "unterminated\n---',
];
const frontMatter = fc.option(fc.constantFrom(...FRONT_MATTER), {nil: ''});

/** Blocks, JSX and admonitions nested a few levels deep, separated by blank lines or not. */
const {blocks} = fc.letrec<{block: string; container: string; blocks: string}>((tie) => ({
  block: fc.oneof({depthSize: 'small', withCrossShrink: true}, fence, inline, tie('container')),
  container: fc.oneof(
    fc.tuple(tie('blocks'), fc.boolean()).map(([inner, closed]) => `<Tabs>\n<TabItem value="a" label="A">\n${inner}\n${closed ? '</TabItem>\n</Tabs>' : ''}`),
    fc.tuple(tie('blocks'), fc.constantFrom('', '\n')).map(([inner, gap]) => `<details>\n<summary>More</summary>${gap}\n${inner}\n\n</details>`),
    fc.tuple(fc.constantFrom('note', 'warning', 'tip[Title]', 'danger'), tie('blocks'), fc.boolean()).map(([type, inner, closed]) => `:::${type}\n${inner}\n${closed ? ':::' : ''}`),
    tie('blocks').map((inner) => `::::info\n:::tip\n${inner}\n:::\n::::`),
    tie('blocks').map((inner) => `1. item\n\n   ${inner.split('\n').join('\n   ')}`),
  ),
  blocks: fc.array(fc.tuple(tie('block'), fc.constantFrom('\n\n', '\n', '\n\n\n')), {minLength: 1, maxLength: 4})
    .map((parts) => parts.map(([block, separator]) => block + separator).join('').trimEnd()),
}));

/** Chaos: anything above, in any order and nesting. Most such pages are errors. */
const chaoticBody = blocks;

/**
 * Well-formed pages: a valid declaration and valid steps (unique ids) in tricky places: fences of
 * either character and any length holding shorter fences, inside tabs, admonitions and lists.
 * Most yield plans; they keep the fuzz from only ever exercising the error paths.
 */
const safeText = fc.array(fc.constantFrom('probe', 'NO_PROXY', '模型', 'naïve', 'then', '8000', '`code`', '**bold**', '*'), {minLength: 1, maxLength: 6}).map((w) => w.join(' '));
const stepBody = fc.array(
  fc.oneof(
    fc.constantFrom('curl --noproxy "*" -sS http://127.0.0.1:8000/v1/models', 'echo "`date`" \'${HOME}\' */ </script>', 'printf \'%s\\n\' "模型 ✓"', 'cat <<\'EOF\'', 'EOF', '~~~', '```', '{x} <b> :::'),
    safeText,
  ),
  {minLength: 1, maxLength: 4},
);
const wellFormedStep = fc.record({
  kind: fc.constantFrom('run', 'check', 'manual'),
  lang: fc.constantFrom('bash', 'sh', 'shell'),
  extra: fc.constantFrom('', 'timeout=5s', 'expect-exit=0,1', 'title="a title" {1}', 'showLineNumbers', 'requires=curl platform=linux', 'params=url', 'comments-may-differ'),
  char: fc.constantFrom('`', '~'),
  length: fc.integer({min: 3, max: 6}),
  body: stepBody,
  place: fc.constantFrom('top', 'top', 'tabs', 'tabs-tight', 'admonition', 'list', 'details'),
});
const wellFormedBody = fc.array(fc.tuple(wellFormedStep, safeText), {minLength: 1, maxLength: 5}).map((steps) => ({
  steps: steps.length,
  text: steps.map(([step, prose], i) => {
    // A fence must be longer than any run of its own character inside it.
    const longest = Math.max(0, ...step.body.flatMap((line) => (line.match(new RegExp(`\\${step.char}+`, 'g')) ?? []).map((run) => run.length)));
    const fenceText = step.char.repeat(Math.max(step.length, longest + 1));
    const extra = step.kind === 'manual' ? 'reason="shown only"' : step.extra.replace('params=url', step.body.some((l) => l.includes('http://127.0.0.1:8000')) ? 'params=url' : '');
    const code = [`${fenceText}${step.lang} runbook=fuzz step=s${i} kind=${step.kind} ${extra}`.trimEnd(), ...step.body, fenceText].join('\n');
    const placed = {
      top: code,
      tabs: `<Tabs>\n<TabItem value="a">\n\n${code}\n\n</TabItem>\n</Tabs>`,
      'tabs-tight': `<Tabs>\n<TabItem value="a">\n${code}\n</TabItem>\n</Tabs>`,
      admonition: `:::note[Note]\n\n${code}\n\n:::`,
      list: `1. ${prose}\n\n   ${code.split('\n').join('\n   ')}`,
      details: `<details>\n<summary>More</summary>\n\n${code}\n\n</details>`,
    }[step.place];
    return `${prose}\n\n${placed}`;
  }).join('\n\n'),
}));
const WELL_FORMED_FRONT_MATTER = '---\nrunbooks:\n  fuzz:\n    title: Fuzz\n    params:\n      url: {default: "http://127.0.0.1:8000", type: url}\n---';

const page = fc
  .record({
    bom: fc.boolean(),
    content: fc.oneof(
      fc.record({frontMatter, body: chaoticBody, steps: fc.constant(null)}),
      wellFormedBody.map(({steps, text}) => ({frontMatter: WELL_FORMED_FRONT_MATTER, body: text, steps})),
    ),
    newline: fc.constantFrom('\n', '\n', '\r\n', 'mixed', '\r'),
  })
  .map(({bom, content: {frontMatter, body, steps}, newline}) => {
    const lf = [frontMatter, body].filter(Boolean).join('\n\n') + '\n';
    const withNewlines = newline === 'mixed'
      ? lf.split('\n').map((line, i) => line + (i % 2 ? '\r\n' : '\n')).join('').slice(0, -1)
      : lf.replaceAll('\n', newline);
    // `steps`: for a well-formed page, how many steps it must yield (null: anything goes).
    return {text: (bom ? '\uFEFF' : '') + withNewlines, steps};
  });

const lineCount = (text: string) => text.split(/\r\n|\r|\n/).length;

/** What must hold for every page, whatever its content. */
function checkExtraction(text: string, result: PageExtraction): void {
  expect(result.file).toBe(FILE);
  for (const error of result.errors) {
    expect(error.file).toBe(FILE);
    expect(Number.isInteger(error.line) && error.line >= 1 && error.line <= lineCount(text), `error line ${error.line} of ${lineCount(text)}: ${error.message}`).toBe(true);
    expect(error.message).not.toMatch(/\n/);
  }
  if (result.errors.length > 0) return;
  for (const plan of result.runbooks) {
    for (const step of plan.steps) expect(step.line >= 1 && step.line <= lineCount(text), `step ${step.id} at line ${step.line}`).toBe(true);
    expect(JSON.parse(renderPlan(plan))).toEqual(JSON.parse(JSON.stringify(plan)));
    const script = renderScript(plan, {commit: null, date: null, modified: false});
    // Page text cannot break out: the script, and the served file (with a stand-in for the runtime:
    // what matters here is the page text around it), are valid JS, and above the marker every code
    // line is shown verbatim in a comment (lines holding a JS line terminator are shown escaped).
    expect(() => transformSync(script, {loader: 'js', format: 'esm'})).not.toThrow();
    expect(() => transformSync(inlineRuntime(script, STAND_IN_RUNTIME), {loader: 'js', format: 'esm'})).not.toThrow();
    const readable = script.slice(0, script.indexOf(`\n${RUNTIME_MARKER}\n`)).split('\n');
    for (const step of plan.steps) {
      for (const line of step.code.split('\n').filter((l) => !/[\r\u2028\u2029]/.test(l))) expect(readable).toContain(`${CODE_GUTTER}${line}`);
    }
  }
}

const STAND_IN_RUNTIME = `async function startRunbook() {}\nasync function runNetcheck() {}\n${RUNTIME_EXPORT}`;

describe('extractor under fuzz', () => {
  it(`yields plans or file:line errors for ${NUM_RUNS} generated pages, never a crash`, {timeout: 300_000}, () => {
    const outcomes = {plans: 0, errors: 0, neither: 0, steps: 0};
    fc.assert(
      fc.property(page, ({text, steps}) => {
        const result = extractPage(FILE, text); // a throw here is a crash: fast-check reports the shrunk page
        checkExtraction(text, result);
        if (steps !== null) {
          expect(result.errors).toEqual([]);
          expect(result.runbooks[0].steps.map((step) => step.id).sort()).toEqual(Array.from({length: steps}, (_, i) => `s${i}`).sort());
        }
        if (result.errors.length > 0) outcomes.errors += 1;
        else if (result.runbooks.length > 0) outcomes.plans += 1;
        else outcomes.neither += 1;
        outcomes.steps += result.runbooks.reduce((sum, plan) => sum + plan.steps.length, 0);
      }),
      {numRuns: NUM_RUNS},
    );
    const cases = outcomes.plans + outcomes.errors + outcomes.neither;
    console.log(`extractor fuzz: ${cases} generated pages: ${outcomes.plans} yielded plans (${outcomes.steps} steps in all), ` +
      `${outcomes.errors} errors with file:line, ${outcomes.neither} neither (no annotated block)`);
    expect(cases).toBeGreaterThanOrEqual(NUM_RUNS);
    // The generator reaches both outcomes often, or the fuzz proves little.
    expect(outcomes.plans).toBeGreaterThan(NUM_RUNS / 50);
    expect(outcomes.errors).toBeGreaterThan(NUM_RUNS / 10);
  });
});

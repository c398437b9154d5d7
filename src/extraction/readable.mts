// The top of every generated runbooks/<name>.mjs: what a reader sees before any runtime code. The
// title, the source page and commit, how to run it, the parameters, then every step in run order
// with its id, kind, what it changes, its page:line and its commands verbatim, parameters marked.
// All of it is `//` comments (but line 2, the whole-file guard of src/plan/whole-file.mts): only a line terminator ends one, and JavaScript has four (LF, CR,
// U+2028, U+2029). Code lines are split at LF (CR is gone since extraction), and any CR, U+2028 or
// U+2029 left inside a line or a field is written as its escape, so no page text becomes code.
import {RESOLVER_HELP, describeOrigin, diagnosisSteps, undoneByUndo, type ParamSpec, type RunbookOrigin, type RunbookPlan, type Step, paramSpans, wholeFileGuard} from '../plan/index.mts';

/** The one line between the readable part and the runtime (imported, or inlined in the served file). */
export const RUNTIME_MARKER =
  '// ═══════ RUNTIME BELOW: the runner generated from src/ (runbooks/lib/runtime.mjs), then the plan as data ═══════';
/** Prefix of a command line shown verbatim. */
export const CODE_GUTTER = '//   │ ';
const MARK_GUTTER = '//   ┊ ';

const TERMINATORS: Record<string, string> = {'\n': '\\n', '\r': '\\r', '\u2028': '\\u2028', '\u2029': '\\u2029'};

/** Text that stays inside a `//` comment: line terminators shown as their escapes. */
export function commentSafe(text: string): string {
  return text.replace(/[\n\r\u2028\u2029]/g, (c) => TERMINATORS[c]);
}

function effect(step: Step): string {
  switch (step.kind) {
    case 'check': return 'reads only: a diagnosis (a failure is a finding, not a crash)';
    case 'run': return step.changes ? 'CHANGES this machine: asks first (or --yes)' : 'runs; declared not to change the machine';
    case 'env': return 'sets environment variables for the later steps (nothing outside this run)';
    case 'rc-block': return 'CHANGES your shell startup file: one marked block (--rc FILE, else by $SHELL); asks first; --undo removes it';
    case 'file': return `CHANGES: writes ${step.path} (an existing different file is kept unless --force; backup; --undo); asks first`;
    case 'undo': return "CHANGES this machine, only with --undo (after the runbook's own undo); asks first (or --yes)";
    case 'manual': return `never run, shown to you: ${step.reason}`;
  }
}

function expectations(step: Step): string[] {
  if (step.kind === 'manual' || step.kind === 'file' || step.kind === 'rc-block') return [];
  const parts = [`exit ${step.expectExit.join(' or ')}`];
  if (step.expectOutput !== null) parts.push(`output contains ${JSON.stringify(step.expectOutput)}`);
  if (step.expectMatch !== null) parts.push(`output matches /${step.expectMatch.source}/${step.expectMatch.flags}`);
  parts.push(`within ${step.timeoutMs / 1000}s`);
  if (step.requires.length > 0) parts.push(`needs ${step.requires.join(', ')} (skipped without)`);
  if (step.platform.length > 0) parts.push(`on ${step.platform.join(', ')} only`);
  return [`//     expects: ${commentSafe(parts.join('; '))}`];
}

/** A line of carets under each parameter value in `line`, then the flags that replace them. */
function markerLine(line: string, step: Step, params: ParamSpec[]): string | null {
  const spans = paramSpans(line, step, params);
  if (spans.length === 0) return null;
  let marks = '';
  for (const span of spans) {
    marks += [...line.slice(marks.length, span.start)].map((c) => (c === '\t' ? '\t' : ' ')).join('');
    marks += '^'.repeat(span.end - span.start);
  }
  return `${MARK_GUTTER}${marks} ${spans.map((s) => s.param.flag).join(', ')}`;
}

function stepLines(plan: RunbookPlan, step: Step, index: number): string[] {
  const head = `// ${index + 1}/${plan.steps.length}  ${step.id}  (${step.kind}, ${step.lang || 'no language'})  ${plan.source}:${step.line}`;
  const lines = step.code.split('\n').flatMap((line) => {
    const marks = markerLine(line, step, plan.params);
    return [`${CODE_GUTTER}${commentSafe(line)}`, ...(marks === null ? [] : [commentSafe(marks)])];
  });
  return [head, `//     ${commentSafe(effect(step))}`, ...expectations(step), ...lines, '//'];
}

function paramLines(params: ParamSpec[]): string[] {
  if (params.length === 0) return ['// Parameters: none.'];
  const width = Math.max(...params.map((p) => p.flag.length));
  const valueWidth = Math.max(...params.map((p) => p.default.length));
  return [
    "// Parameters (the page's values; ┊ ^^^ marks where a flag's value replaces them):",
    ...params.map((p) => {
      const computed = p.compute ? ` (${RESOLVER_HELP[p.compute]})` : '';
      return commentSafe(`//   ${p.flag.padEnd(width)}  ${p.default.padEnd(valueWidth)}  ${p.help ?? p.name}${computed}`);
    }),
  ];
}

/** How to run it: only the modes this runbook has (a `--check` needs steps before the first change,
 *  an `--undo` something to take back). */
function runItLines(steps: Step[], file: string): string[] {
  const changes = steps.some((s) => s.changes);
  const diagnosis = changes && diagnosisSteps(steps).length > 0;
  const undo = steps.some(undoneByUndo);
  const modes: Array<[flag: string, what: string]> = [
    ...(diagnosis ? [['--check', `diagnose only, changes nothing (or: npx zx ${file} --check)`] as [string, string]] : []),
    ['', !changes ? `runs every check; changes nothing (or: npx zx ${file})`
      : diagnosis ? 'diagnose, fix (asks before each change, or --yes), verify'
        : `makes the changes (asks before each, or --yes), then verifies (or: npx zx ${file})`],
    ...(undo ? [['--undo', 'remove what it added'] as [string, string]] : []),
  ];
  const width = Math.max(...modes.map(([flag]) => flag.length));
  const flagColumn = (flag: string) => (width === 0 ? '' : ` ${flag.padEnd(width)}`);
  return [
    ...modes.map(([flag, what], i) => `// ${i === 0 ? 'Run it:' : '       '}  node ${file}${flagColumn(flag)}  ${what}`),
    '//          --help lists every option; --dry-run prints the commands with your values.',
  ];
}

export function renderReadable(plan: RunbookPlan, origin: RunbookOrigin): string {
  const file = `${plan.name}.mjs`;
  return [
    '#!/usr/bin/env node',
    wholeFileGuard(file),
    commentSafe(`// Runbook ${plan.name}: ${plan.title}`),
    `// From ${plan.source}, ${commentSafe(describeOrigin(origin))}.`,
    '// Generated by `npm run runbooks`: do not edit; change the page and regenerate.',
    '//',
    ...runItLines(plan.steps, file),
    '//',
    ...paramLines(plan.params),
    '//',
    '// Steps, in the order they run. Lines starting with │ are the commands exactly as the page',
    '// shows them; each runs as a script file (bash FILE, or python3 for python) in your directory.',
    ...(plan.steps.some((s) => /\brunbook-netcheck\b/.test(s.code))
      ? [`// runbook-netcheck, which steps call by name, is this same file: node ${file} --runbook-netcheck …`,
        '// (the network checks in the runtime below the marker; the runner puts it on the steps\' PATH).']
      : []),
    '//',
    ...plan.steps.flatMap((step, i) => stepLines(plan, step, i)),
    RUNTIME_MARKER,
    '',
  ].join('\n');
}

// The fence attributes a page may use, as one table: name, whether it takes a value, the kinds it
// applies to, the kinds that require it, and its parser. Validation (extract.mts) and the
// attribute table of src/extraction/README.md (checked by tests/extraction/annotations.test.mts)
// both come from here.
import {ID_PATTERN, STEP_KINDS, type Step, type StepKind} from '../plan/index.mts';

export const DEFAULT_TIMEOUT_MS = 30_000;

type Fail = (message: string) => void;

export interface AnnotationRule {
  name: string;
  /** `value`: written `name=…`; `flag`: written bare. */
  takes: 'value' | 'flag';
  /** How the attribute is written, for the README: `timeout=5s`. */
  usage: string;
  /** The kinds the attribute may appear on (with or without `runbook=`). */
  kinds: readonly StepKind[];
  /** The kinds that must carry it. */
  requiredFor: readonly StepKind[];
  meaning: string;
  /** Checks a value and turns it into what the plan stores; reports problems through `fail`. */
  parse: (value: string, fail: Fail) => unknown;
}

const PROBING_KINDS: readonly StepKind[] = ['run', 'check', 'env', 'undo'];
const ALL_KINDS = STEP_KINDS;

function parseId(what: string): (value: string, fail: Fail) => string {
  return (value, fail) => {
    if (!ID_PATTERN.test(value)) fail(`${what}=${value}: ${what === 'runbook' ? 'names' : 'ids'} must match [a-z][a-z0-9-]*`);
    return value;
  };
}

function parseKind(value: string, fail: Fail): StepKind | null {
  if ((STEP_KINDS as readonly string[]).includes(value)) return value as StepKind;
  fail(`unknown kind ${JSON.stringify(value)} (known: ${STEP_KINDS.join(', ')})`);
  return null;
}

function parseTimeout(value: string, fail: Fail): number {
  const match = /^([1-9][0-9]*)(ms|s|m)$/.exec(value);
  if (!match) return fail(`timeout=${value}: expected a duration such as 500ms, 5s or 2m`), DEFAULT_TIMEOUT_MS;
  return Number(match[1]) * {ms: 1, s: 1000, m: 60_000}[match[2] as 'ms' | 's' | 'm'];
}

function parseList(name: string, item: RegExp): (value: string, fail: Fail) => string[] {
  return (value, fail) => {
    const items = value.split(',');
    const bad = items.find((i) => !item.test(i));
    if (bad !== undefined) fail(`${name}=${value}: ${JSON.stringify(bad)} is not valid here`);
    return items;
  };
}

function parseExpectMatch(value: string, fail: Fail): Step['expectMatch'] {
  const match = /^\/(.+)\/([imsu]*)$/s.exec(value);
  if (!match) return fail(`expect-match=${value}: expected /regex/flags (flags from imsu)`), null;
  try {
    new RegExp(match[1], match[2]);
  } catch (error) {
    return fail(`expect-match: ${(error as Error).message}`), null;
  }
  return {source: match[1], flags: match[2]};
}

const text = (value: string) => value;
const EXIT_CODE = /^([0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])$/;

export const ANNOTATIONS: readonly AnnotationRule[] = [
  {name: 'runbook', takes: 'value', usage: 'runbook=NAME', kinds: ALL_KINDS, requiredFor: [], parse: parseId('runbook'),
    meaning: 'the runbook the step belongs to (`[a-z][a-z0-9-]*`); the script is `runbooks/NAME.mjs`'},
  {name: 'step', takes: 'value', usage: 'step=ID', kinds: ALL_KINDS, requiredFor: [], parse: parseId('step'),
    meaning: "the step's id, unique within its runbook (`[a-z][a-z0-9-]*`)"},
  {name: 'kind', takes: 'value', usage: 'kind=KIND', kinds: ALL_KINDS, requiredFor: [], parse: parseKind,
    meaning: `${STEP_KINDS.map((k) => `\`${k}\``).join(', ')} (default \`run\`)`},
  {name: 'timeout', takes: 'value', usage: 'timeout=5s', kinds: PROBING_KINDS, requiredFor: [], parse: parseTimeout,
    meaning: `per-step time limit (\`ms\`, \`s\`, \`m\`); default ${DEFAULT_TIMEOUT_MS / 1000}s`},
  {name: 'expect-exit', takes: 'value', usage: 'expect-exit=0', kinds: PROBING_KINDS, requiredFor: [],
    parse: (value, fail) => parseList('expect-exit', EXIT_CODE)(value, fail).map(Number),
    meaning: 'expected exit code(s), comma-separated; default 0'},
  {name: 'expect-output', takes: 'value', usage: 'expect-output="text"', kinds: PROBING_KINDS, requiredFor: [], parse: text,
    meaning: 'stdout+stderr must contain this substring'},
  {name: 'expect-match', takes: 'value', usage: 'expect-match="/regex/flags"', kinds: PROBING_KINDS, requiredFor: [], parse: parseExpectMatch,
    meaning: 'stdout+stderr must match this regex'},
  {name: 'requires', takes: 'value', usage: 'requires=curl,python3', kinds: ALL_KINDS, requiredFor: [], parse: parseList('requires', /^[A-Za-z0-9._+-]+$/),
    meaning: 'tools that must be on PATH; a missing one skips the step with a message'},
  {name: 'platform', takes: 'value', usage: 'platform=linux', kinds: ALL_KINDS, requiredFor: [], parse: parseList('platform', /^(linux|darwin)$/),
    meaning: 'platforms (`linux`, `darwin`) the step runs on'},
  {name: 'changes', takes: 'flag', usage: 'changes', kinds: ['run', 'check', 'env', 'rc-block', 'file', 'undo'], requiredFor: [], parse: text,
    meaning: "the step changes the user's machine: confirmation needed (`--yes`); implied by `rc-block`, `file` and `undo`"},
  {name: 'reason', takes: 'value', usage: 'reason="…"', kinds: ['manual'], requiredFor: ['manual'], parse: text,
    meaning: 'why a `manual` block is not executed'},
  {name: 'params', takes: 'value', usage: 'params=url,model', kinds: ALL_KINDS, requiredFor: [], parse: parseList('params', /^[a-z][a-z0-9_]*$/),
    meaning: 'the runbook parameters this block uses (declared in front matter); their defaults must appear in the block, its `path=` or its `expect-output=`'},
  {name: 'path', takes: 'value', usage: 'path=…', kinds: ['file'], requiredFor: ['file'], parse: text,
    meaning: 'the file to write, relative to the working directory'},
  {name: 'comments-may-differ', takes: 'flag', usage: 'comments-may-differ', kinds: ALL_KINDS, requiredFor: [], parse: text,
    meaning: 'translations of this block may differ in comment lines only'},
];

export const ANNOTATION_NAMES = new Set(ANNOTATIONS.map((a) => a.name));

export function annotationRule(name: string): AnnotationRule | undefined {
  return ANNOTATIONS.find((a) => a.name === name);
}

/** The attribute table of src/extraction/README.md. */
export function renderAnnotationTable(): string {
  const kinds = (list: readonly StepKind[]) => (list.length === STEP_KINDS.length ? 'all' : list.map((k) => `\`${k}\``).join(', '));
  const rows = ANNOTATIONS.map((a) => {
    const required = a.requiredFor.length > 0 ? `; required for ${kinds(a.requiredFor)}` : '';
    return `| \`${a.usage}\` | ${a.takes} | ${kinds(a.kinds)} | ${a.meaning}${required} |`;
  });
  return ['| attribute | takes | kinds | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

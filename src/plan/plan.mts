// The runbook plan: what the extractor writes to runbooks/<name>.plan.json and the runtime loads.
// It is data, never code: the steps' text lives here so the generated .mjs holds none of it.
import type {ResolverName} from './names.mts';

export const PLAN_FORMAT = 1;

export const STEP_KINDS = ['run', 'check', 'env', 'rc-block', 'file', 'undo', 'manual'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export const PARAM_TYPES = ['url', 'name', 'host-list', 'path', 'int', 'url-list'] as const;
export type ParamType = (typeof PARAM_TYPES)[number];

/** Runbook names and step ids: safe in file names, JS comments and string literals. */
export const ID_PATTERN = /^[a-z][a-z0-9-]*$/;

export interface ParamSpec {
  name: string;
  default: string;
  flag: string;
  type: ParamType;
  help: string | null;
  /** A named resolver (src/runner/resolvers.mts) that computes the value from the environment. */
  compute: ResolverName | null;
}

export interface Step {
  id: string;
  kind: StepKind;
  /** The fence's language: bash, sh, shell, python, yaml, … */
  lang: string;
  /** Line of the opening fence in the source page (1-based). */
  line: number;
  /** The block's text with LF line ends and no trailing newline. */
  code: string;
  timeoutMs: number;
  expectExit: number[];
  expectOutput: string | null;
  expectMatch: {source: string; flags: string} | null;
  requires: string[];
  /** Platforms (process.platform values) the step runs on; empty means all. */
  platform: string[];
  /** True when the step changes the user's machine (always for rc-block, file and undo). */
  changes: boolean;
  reason: string | null;
  params: string[];
  /** For kind=file: where the block's text is written, relative to the working directory. */
  path: string | null;
  commentsMayDiffer: boolean;
}

export interface RunbookPlan {
  format: typeof PLAN_FORMAT;
  name: string;
  title: string;
  /** The page the runbook comes from, relative to the repository root, e.g. docs/guides/x.md. */
  source: string;
  params: ParamSpec[];
  /** In run order (front matter `order:` or document order). */
  steps: Step[];
}

/** Where a generated runbook comes from, as `--version` prints it. */
export interface RunbookOrigin {
  /** The last commit that changed the source page; null when the page was never committed. */
  commit: string | null;
  /** That commit's date, YYYY-MM-DD. */
  date: string | null;
  /** True when the page had changes that commit does not hold. */
  modified: boolean;
}

/** The diagnosis: the steps before the first one that changes the machine (all of them when none
 *  does). `--check` runs these alone; the runbook's header offers `--check` only when there are some. */
export function diagnosisSteps(steps: Step[]): Step[] {
  const firstChange = steps.findIndex((s) => s.changes);
  return firstChange < 0 ? steps : steps.slice(0, firstChange);
}

/** What `--undo` takes back: a startup-file block, a written file, or a step that only `--undo` runs. */
export function undoneByUndo(step: Step): boolean {
  return step.kind === 'rc-block' || step.kind === 'file' || step.kind === 'undo';
}

/** "docs commit <id> (<date>)", as the runbook's header and `--version` both say it. */
export function describeOrigin(origin: RunbookOrigin): string {
  const commit = origin.commit === null ? 'a page not yet committed' : `docs commit ${origin.commit} (${origin.date})`;
  return `${commit}${origin.modified ? ', plus changes not committed' : ''}`;
}

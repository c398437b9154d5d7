// What the user sees and what --json writes; credentials are redacted in both.
import {proxySecrets, redact} from '../proxy/redact.mts';
import {writeFileSafely} from '../io/safe-write.mts';
import {EXIT} from './flags.mts';
import type {StepOutcome} from './execute.mts';
import type {NodeFacts} from '../cluster/node-facts.mts';
import type {RunbookPlan, Step} from '../plan/plan.mts';

export type ReportStatus = StepOutcome['status'] | 'planned' | 'not-run';

export interface StepReport {
  id: string;
  kind: Step['kind'];
  source: string;
  status: ReportStatus;
  exitCode: number | null;
  durationMs: number;
  message: string;
  output: string;
}

export interface RunReport {
  runbook: string;
  title: string;
  source: string;
  mode: 'run' | 'dry-run' | 'undo';
  params: Record<string, string>;
  steps: StepReport[];
  exitCode: number;
  /** Runbooks that write NO_PROXY: this node's facts for the cluster table (src/cluster). */
  node?: NodeFacts;
}

const SHOWN_OUTPUT_LINES = 40;

const SPINNER_FRAMES = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';
const SPINNER_INTERVAL_MS = 80;

export class Console {
  /** Human output goes to stderr when the JSON report takes stdout. */
  constructor(private readonly stream: NodeJS.WriteStream) {}

  get interactive(): boolean {
    return Boolean(this.stream.isTTY) && !process.env.CI;
  }

  line(text: string): void {
    this.stream.write(`${redactOutput(text)}\n`);
  }

  indented(text: string, prefix = '      │ '): void {
    const lines = text.replace(/\n$/, '').split('\n');
    const shown = lines.slice(0, SHOWN_OUTPUT_LINES);
    for (const l of shown) this.line(`${prefix}${l}`);
    if (lines.length > shown.length) this.line(`${prefix}… ${lines.length - shown.length} more lines (see --json)`);
  }

  /** `[2/7] probe …` with a spinner on a terminal (erased when the work ends); a plain line first otherwise. */
  async progress<T>(label: string, work: () => Promise<T>): Promise<T> {
    const text = redactOutput(`${label} …`);
    if (!this.interactive) {
      this.stream.write(`${text}\n`);
      return work();
    }
    let frame = 0;
    const draw = () => this.stream.write(`\r${SPINNER_FRAMES[frame++ % SPINNER_FRAMES.length]} ${text}`);
    draw();
    const timer = setInterval(draw, SPINNER_INTERVAL_MS);
    try {
      return await work();
    } finally {
      clearInterval(timer);
      this.stream.write('\r\x1b[K');
    }
  }
}

export function stepSource(plan: RunbookPlan, step: Step): string {
  return `${plan.source}:${step.line}`;
}

export function writeReport(report: RunReport, target: string, stdout: NodeJS.WriteStream): void {
  const text = `${JSON.stringify(redactStrings(report), null, 2)}\n`;
  if (target === '-') stdout.write(text);
  else writeFileSafely(target, text, {mode: 0o600});
}

/** Patterns, plus the passwords of this process's own proxy variables wherever they appear. */
export function redactOutput(text: string): string {
  return redact(text, proxySecrets(process.env));
}

/** Every string of the report redacted before JSON escapes them: a value's end is still visible. */
function redactStrings<T>(value: T): T {
  if (typeof value === 'string') return redactOutput(value) as T;
  if (Array.isArray(value)) return value.map(redactStrings) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactStrings(v)])) as T;
  return value;
}

export function emptyReport(plan: RunbookPlan, mode: RunReport['mode'], values: Record<string, string>): RunReport {
  return {runbook: plan.name, title: plan.title, source: plan.source, mode, params: values, steps: [], exitCode: EXIT.ok};
}

export function stepReport(plan: RunbookPlan, step: Step, outcome: Omit<StepReport, 'id' | 'kind' | 'source'>): StepReport {
  return {id: step.id, kind: step.kind, source: stepSource(plan, step), ...outcome};
}

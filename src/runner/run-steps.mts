// The run itself: each step in turn (asking first when it changes the machine), its outcome
// printed as it ends, the rest not run after a failed step that is not a check, then the verdict.
import {RefusedError} from '../io/index.mts';
import type {Step} from '../plan/index.mts';
import {EXIT} from './flags.mts';
import {executeStep, stepText, type StepContext, type StepOutcome} from './execute.mts';
import {findingSteps, verdict} from './phases.mts';
import {confirm} from './prompt.mts';
import {Console, stepReport, stepSource, type RunReport} from './report.mts';

function describe(outcome: StepOutcome, ms: number, finding: boolean): string {
  const time = `${(ms / 1000).toFixed(1)}s`;
  switch (outcome.status) {
    case 'ok': return `ok ${time}${outcome.message ? `: ${outcome.message}` : ''}`;
    case 'failed': return `${finding ? 'found (diagnosis)' : 'FAILED'} ${time}: ${outcome.message}`;
    case 'skipped': return `skipped: ${outcome.message}`;
    case 'manual': return `manual, do it by hand: ${outcome.message}`;
  }
}

/** A step not run, in the report. */
export function reportNotRun(ctx: StepContext, step: Step, report: RunReport, why: string): void {
  report.steps.push(stepReport(ctx.plan, step, {status: 'not-run', exitCode: null, durationMs: 0, message: why, output: ''}));
}

/**
 * One step: asked for first when it changes the machine (unless --yes), run, its outcome printed
 * and added to the report. `refused`: what the step was to edit refused it (read-only, not a
 * regular file, permission denied).
 */
export async function runStep(ctx: StepContext, step: Step, label: string, out: Console, report: RunReport, finding = false): Promise<{outcome: StepOutcome; refused: boolean}> {
  let refused = false;
  const started = Date.now();
  const outcome: StepOutcome = step.changes && !ctx.options.yes && !(await confirm(`${label} changes this machine (${stepSource(ctx.plan, step)}). Run it?`))
    ? {status: 'skipped', exitCode: null, output: '', message: 'declined'}
    : await out.progress(label, () =>
      executeStep(step, ctx).catch((error: Error): StepOutcome => {
        refused = error instanceof RefusedError;
        return {status: 'failed', exitCode: null, output: '', message: error.message};
      }));
  const ms = Date.now() - started;
  out.line(`${out.interactive ? `${label} … ` : '      '}${describe(outcome, ms, finding)}`);
  if (outcome.output) out.indented(outcome.output);
  if (step.kind === 'manual') out.indented(stepText(step, ctx), '      $ ');
  report.steps.push(stepReport(ctx.plan, step, {...outcome, durationMs: ms}));
  return {outcome, refused};
}

export async function runSteps(ctx: StepContext, steps: Step[], out: Console, report: RunReport): Promise<void> {
  out.line(`${ctx.plan.title} (${ctx.plan.source})`);
  const findings = findingSteps(steps);
  let stopped: string | null = null;
  // A step refused by what it was to edit: the run's exit code is 2, as for any refusal, and the
  // rest does not run.
  let refused = false;
  for (const [i, step] of steps.entries()) {
    if (stopped) {
      reportNotRun(ctx, step, report, stopped);
      continue;
    }
    const ran = await runStep(ctx, step, `[${i + 1}/${steps.length}] ${step.id} (${step.kind})`, out, report, findings.has(step.id));
    refused ||= ran.refused;
    if (ran.outcome.status === 'failed' && step.kind !== 'check') stopped = `not run: step ${step.id} failed`;
  }
  const result = verdict(steps, report.steps);
  report.exitCode = refused ? EXIT.usage : result.exitCode;
  out.line(refused ? `refused: ${result.line}` : result.line);
}

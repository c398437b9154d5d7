// The run itself: each step in turn (asking first when it changes the machine), its outcome
// printed as it ends, the rest not run after a failed step that is not a check, then the verdict.
import {RefusedError} from '../io/command-line.mts';
import type {Step} from '../plan/plan.mts';
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

export async function runSteps(ctx: StepContext, steps: Step[], out: Console, report: RunReport): Promise<void> {
  out.line(`${ctx.plan.title} (${ctx.plan.source})`);
  const findings = findingSteps(steps);
  let stopped: string | null = null;
  // A step refused by what it was to edit (read-only, not a regular file, permission denied): the
  // run's exit code is 2, as for any refusal, and the rest does not run.
  let refused = false;
  for (const [i, step] of steps.entries()) {
    const label = `[${i + 1}/${steps.length}] ${step.id} (${step.kind})`;
    if (stopped) {
      report.steps.push(stepReport(ctx.plan, step, {status: 'not-run', exitCode: null, durationMs: 0, message: stopped, output: ''}));
      continue;
    }
    let outcome: StepOutcome;
    const started = Date.now();
    if (step.changes && !ctx.options.yes && !(await confirm(`${label} changes this machine (${stepSource(ctx.plan, step)}). Run it?`))) {
      outcome = {status: 'skipped', exitCode: null, output: '', message: 'declined'};
    } else {
      outcome = await out.progress(label, () =>
        executeStep(step, ctx).catch((error: Error): StepOutcome => {
          refused ||= error instanceof RefusedError;
          return {status: 'failed', exitCode: null, output: '', message: error.message};
        }),
      );
    }
    const ms = Date.now() - started;
    out.line(`${out.interactive ? `${label} … ` : '      '}${describe(outcome, ms, findings.has(step.id))}`);
    if (outcome.output) out.indented(outcome.output);
    if (step.kind === 'manual') out.indented(stepText(step, ctx), '      $ ');
    report.steps.push(stepReport(ctx.plan, step, {...outcome, durationMs: ms}));
    if (outcome.status === 'failed' && step.kind !== 'check') stopped = `not run: step ${step.id} failed`;
  }
  const result = verdict(steps, report.steps);
  report.exitCode = refused ? EXIT.usage : result.exitCode;
  out.line(refused ? `refused: ${result.line}` : result.line);
}

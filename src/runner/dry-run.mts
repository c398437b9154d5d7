// --dry-run: each step with the user's values, where it would write, and nothing executed.
import {rcTarget} from '../startup-file/index.mts';
import {stepTarget, stepText, type StepContext} from './execute.mts';
import type {Step} from '../plan/index.mts';
import {Console, stepReport, stepSource, type RunReport} from './report.mts';

export function dryRun(ctx: StepContext, steps: Step[], out: Console, report: RunReport): void {
  out.line(`${ctx.plan.title} (dry run: nothing is executed or changed)`);
  steps.forEach((step, i) => {
    const where = step.kind === 'file' ? ` → ${stepTarget(step, ctx)}` : step.kind === 'rc-block' ? ` → ${rcTarget(ctx.env, ctx.options.rc).file}` : '';
    const note = step.kind === 'manual' ? ` (manual: ${step.reason})` : step.changes ? ' (changes this machine)' : '';
    out.line(`[${i + 1}/${steps.length}] ${step.id} (${step.kind}) ${stepSource(ctx.plan, step)}${where}${note}`);
    out.indented(stepText(step, ctx), '      ');
    report.steps.push(stepReport(ctx.plan, step, {status: 'planned', exitCode: null, durationMs: 0, message: '', output: ''}));
  });
}

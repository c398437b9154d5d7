// Which steps this run covers: all, --only some, or --from one onwards; never an `undo` step,
// which only --undo runs (undo.mts).
import {UsageError} from '../io/index.mts';
import type {RunbookPlan, Step} from '../plan/index.mts';
import type {RuntimeOptions} from './flags.mts';

export function selectSteps(plan: RunbookPlan, options: RuntimeOptions): Step[] {
  const known = (id: string) => {
    if (!plan.steps.some((s) => s.id === id)) {
      throw new UsageError(`unknown step ${JSON.stringify(id)} (steps: ${plan.steps.map((s) => s.id).join(', ')})`);
    }
  };
  const undoOnly = (id: string) => {
    if (plan.steps.some((s) => s.id === id && s.kind === 'undo')) throw new UsageError(`step ${id} runs only with --undo`);
  };
  const steps = plan.steps.filter((s) => s.kind !== 'undo');
  if (options.only) {
    options.only.forEach(known);
    options.only.forEach(undoOnly);
    return steps.filter((s) => options.only!.includes(s.id));
  }
  if (options.from) {
    known(options.from);
    undoOnly(options.from);
    return steps.slice(steps.findIndex((s) => s.id === options.from));
  }
  return steps;
}

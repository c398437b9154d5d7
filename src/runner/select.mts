// Which steps this run covers: all, --only some, or --from one onwards.
import {UsageError} from '../io/index.mts';
import type {RunbookPlan, Step} from '../plan/index.mts';
import type {RuntimeOptions} from './flags.mts';

export function selectSteps(plan: RunbookPlan, options: RuntimeOptions): Step[] {
  const known = (id: string) => {
    if (!plan.steps.some((s) => s.id === id)) {
      throw new UsageError(`unknown step ${JSON.stringify(id)} (steps: ${plan.steps.map((s) => s.id).join(', ')})`);
    }
  };
  if (options.only) {
    options.only.forEach(known);
    return plan.steps.filter((s) => options.only!.includes(s.id));
  }
  if (options.from) {
    known(options.from);
    return plan.steps.slice(plan.steps.findIndex((s) => s.id === options.from));
  }
  return plan.steps;
}

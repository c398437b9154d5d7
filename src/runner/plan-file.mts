// The plan beside the script: runbooks/<name>.plan.json, which must be the one the script was
// generated with (same format, same step ids), or the run stops before anything happens.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {UsageError} from '../io/command-line.mts';
import {PLAN_FORMAT, type RunbookPlan} from '../plan/plan.mts';

export function loadPlan(scriptPath: string, stepIds: string[]): RunbookPlan {
  const planPath = scriptPath.replace(/\.mjs$/, '.plan.json');
  let plan: RunbookPlan;
  try {
    plan = JSON.parse(fs.readFileSync(planPath, 'utf8')) as RunbookPlan;
  } catch (error) {
    throw new UsageError(`cannot read ${planPath}: ${(error as Error).message}`);
  }
  const planIds = plan.steps?.map((s) => s.id).join(',');
  if (plan.format !== PLAN_FORMAT || planIds !== stepIds.join(',')) {
    throw new UsageError(`${path.basename(scriptPath)} and ${path.basename(planPath)} disagree; regenerate with npm run runbooks`);
  }
  return plan;
}

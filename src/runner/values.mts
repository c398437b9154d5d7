// Parameter values for this run: the flag, else the default the page shows; a resolver may
// compute it from the environment; then validated against the parameter's type.
import {UsageError, shownValue, type Env} from '../io/index.mts';
import {paramValueProblem, type RunbookPlan} from '../plan/index.mts';
import type {RuntimeOptions} from './flags.mts';
import type {Console} from './report.mts';
import {resolveParam} from './resolvers.mts';

export async function resolveValues(plan: RunbookPlan, options: RuntimeOptions, out: Console, startupFile: Env | null): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  const cluster = options.cluster;
  if ((cluster.entries.length > 0 || cluster.hosts.length > 0) && !plan.params.some((p) => p.compute === 'no-proxy-merge')) {
    throw new UsageError(`--cluster and --cluster-hosts: ${plan.name} writes no NO_PROXY`);
  }
  for (const param of plan.params) {
    const given = options.params[param.name];
    let value = given ?? param.default;
    // What the user typed is checked as typed, before a resolver reads it: a blank or a newline in
    // --also would otherwise silently separate entries.
    const givenProblem = given === undefined ? null : paramValueProblem(param.type, given);
    if (givenProblem) throw new UsageError(`${param.flag} ${shownValue(given!)}: ${givenProblem}`);
    if (param.compute) {
      const resolved = await resolveParam(param.compute, {value, given: given !== undefined, env: process.env, startupFile, cluster});
      for (const note of resolved.notes) out.line(`note: ${note}`);
      value = resolved.value;
    }
    const problem = paramValueProblem(param.type, value);
    if (problem) throw new UsageError(`${param.flag} ${shownValue(value)}: ${problem}`);
    values[param.name] = value;
  }
  return values;
}

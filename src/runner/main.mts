// One run of a runbook, from its command line to its exit code: options, values, the steps this
// run covers, the refusal when a change cannot be confirmed, then run, dry run or undo.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {RefusedError, UsageError, type Env} from '../io/index.mts';
import {describeOrigin, diagnosisSteps, type RunbookOrigin, type RunbookPlan, undoneByUndo} from '../plan/index.mts';
import {startNodeFacts} from '../cluster/index.mts';
import {DETECTED_CACHE, detectInstalled, prefetchInstalled, readsInstalled} from '../netcheck/index.mts';
import {rcTarget, type StartupFile, freshShellEnv} from '../startup-file/index.mts';
import {dryRun} from './dry-run.mts';
import {rcBlockId, type StepContext} from './execute.mts';
import {EXIT, helpText, parseArgs} from './flags.mts';
import {createNetcheckShim} from './netcheck-shim.mts';
import {canAsk} from './prompt.mts';
import {Console, emptyReport, stepSource, writeReport} from './report.mts';
import {runSteps} from './run-steps.mts';
import {selectSteps} from './select.mts';
import {readState, stateFile, writeState} from './state.mts';
import {stepEnvironment} from './step-env.mts';
import {undo} from './undo.mts';
import {lockFiles} from './run-lock.mts';
import {resolveValues} from './values.mts';

export function versionText(plan: RunbookPlan, origin: RunbookOrigin): string {
  return `${plan.name}: generated from ${plan.source} at ${describeOrigin(origin)}`;
}

export async function main(plan: RunbookPlan, origin: RunbookOrigin, scriptPath: string, args: string[]): Promise<number> {
  const options = parseArgs(args, plan.params);
  if (options.help) {
    process.stdout.write(`${helpText(path.relative(process.cwd(), scriptPath), plan.title, plan.params)}\n`);
    return EXIT.ok;
  }
  if (options.version) {
    process.stdout.write(`${versionText(plan, origin)}\n`);
    return EXIT.ok;
  }
  const selected = selectSteps(plan, options);
  const steps = options.check ? diagnosisSteps(selected) : selected;
  if (options.check && steps.length === 0 && selected.length > 0) {
    // Nothing before the first change: "all steps passed" would be a diagnosis that never ran.
    throw new UsageError(`--check runs the steps before the first change, and there are none: step ${selected[0].id} (${stepSource(plan, selected[0])}) changes this machine; run without --check (it asks before each change), or choose steps with --only`);
  }
  const mode = options.undo ? 'undo' : options.dryRun ? 'dry-run' : 'run';
  const changing = options.undo ? plan.steps.filter(undoneByUndo) : steps.filter((s) => s.changes);
  if (mode !== 'dry-run' && changing.length > 0 && !options.yes && !canAsk()) {
    const step = changing[0];
    throw new UsageError(`refused: step ${step.id} (${stepSource(plan, step)}) changes this machine; no terminal to ask, rerun with --yes`);
  }
  const out = new Console(options.json === '-' ? process.stderr : process.stdout);
  const shim = createNetcheckShim(scriptPath);
  const env = stepEnvironment(process.env, shim.dir, options);
  const stateAt = stateFile(plan.name, process.env);
  // The startup file rc-block steps write, when this run writes or shows one (a missing HOME is
  // the rc-block step's error to report).
  const startupFile = mode !== 'undo' && steps.some((s) => s.kind === 'rc-block') ? startupFileOrNull(env, options.rc) : null;
  // The merged NO_PROXY sees what that file sets, not only what this shell carries.
  const readsStartupFile = startupFile !== null && plan.params.some((p) => p.compute === 'no-proxy-merge');
  const locked = mode === 'dry-run' || changing.length === 0 ? [] : [stateAt, startupFile?.file ?? null].filter((f): f is string => f !== null);
  const release = lockFiles(locked, process.env);
  // Runbooks that write NO_PROXY report the node's facts for the cluster table (src/cluster).
  const blockIds = plan.steps.filter((s) => s.kind === 'rc-block').map((s) => rcBlockId(plan, s));
  const finishNodeFacts = options.json !== null && plan.params.some((p) => p.compute === 'no-proxy-merge') ? startNodeFacts(env, options.rc, blockIds) : null;
  // The clients' releases, detected while the first steps start, for the checks that read them.
  // Started only past every refusal above, so that the `finally` below always waits for it: one
  // still running when the run's temp dir is removed would write its result into a new one.
  const prefetched = mode === 'run' && steps.some((s) => readsInstalled(s.code)) ? prefetchInstalled({...env, [DETECTED_CACHE]: shim.dir}) : null;
  try {
    const values = await resolveValues(plan, options, out, readsStartupFile ? await startupFileEnv(startupFile, env) : null);
    const ctx: StepContext = {plan, values, env, options, state: readState(stateAt)};
    const report = emptyReport(plan, mode, values);
    if (mode === 'run') await runSteps(ctx, steps, out, report);
    else if (mode === 'dry-run') dryRun(ctx, steps, out, report);
    else await undo(ctx, out, report);
    if (mode !== 'dry-run') writeState(stateAt, ctx.state);
    if (finishNodeFacts) report.node = finishNodeFacts({env, values, installed: (await detectInstalled({...env, [DETECTED_CACHE]: shim.dir})).installed, cluster: options.cluster, rc: options.rc, blockIds});
    if (options.json !== null) writeReport(report, options.json, process.stdout);
    return report.exitCode;
  } finally {
    await prefetched;
    release();
    shim.remove();
  }
}

/** What a fresh shell gets from the startup file (nothing when there is no file yet). */
async function startupFileEnv(target: StartupFile, env: Env): Promise<Env> {
  if (!fs.existsSync(target.file)) return {};
  try {
    return await freshShellEnv(target.shell, target.file, env);
  } catch (error) {
    throw new UsageError(`refused: cannot read what ${target.file} sets, so what it sets could be lost: ${(error as Error).message}`);
  }
}

function startupFileOrNull(env: Env, rc: string | null): StartupFile | null {
  try {
    return rcTarget(env, rc);
  } catch (error) {
    // A HOME that is set but unusable (relative) is refused before any step runs.
    if (env.HOME && error instanceof RefusedError) throw error;
    return null;
  }
}

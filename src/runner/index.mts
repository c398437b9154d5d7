// The entry point the generated runbooks/<name>.mjs call: loads <name>.plan.json beside the
// script, reads the command line, and runs, plans (--dry-run) or undoes (--undo) the steps.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {createInterface} from 'node:readline/promises';
import {fileURLToPath} from 'node:url';
import type {Shell} from 'zx';
import {executeStep, rcBlockId, stepTarget, stepText, type RunContext, type StepOutcome} from './execute.mts';
import {EXIT, UsageError, helpText, parseArgs, type RuntimeOptions} from './flags.mts';
import {undoStepFile} from './files.mts';
import {paramValueProblem} from '../plan/params.mts';
import {PLAN_FORMAT, type RunbookPlan, type Step} from '../plan/plan.mts';
import {Console, stepSource, writeReport, type RunReport, type StepReport} from './report.mts';
import {resolveParam} from './resolvers.mts';
import {readState, stateFile, writeState} from './state.mts';
import {rcTarget} from '../startup-file/detect.mts';
import {removeBlock} from '../startup-file/edit.mts';
import {diagnosisSteps, findingSteps, verdict} from './phases.mts';
import {stepEnvironment} from './step-env.mts';
import {redact} from '../proxy/redact.mts';

/** The arguments after the script, whether started as `node x.mjs …` or `zx x.mjs …`. */
function scriptArgs(scriptPath: string): string[] {
  const real = (arg: string) => {
    try {
      return fs.realpathSync(arg);
    } catch {
      return path.resolve(arg);
    }
  };
  const at = process.argv.findIndex((arg, i) => i > 0 && real(arg) === scriptPath);
  return process.argv.slice(at > 0 ? at + 1 : 2);
}

function loadPlan(scriptPath: string, stepIds: string[]): RunbookPlan {
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

function resolveValues(plan: RunbookPlan, options: RuntimeOptions, out: Console): Record<string, string> {
  const values: Record<string, string> = {};
  for (const param of plan.params) {
    let value = options.params[param.name] ?? param.default;
    if (param.compute) {
      const resolved = resolveParam(param.compute, {value, env: process.env});
      for (const note of resolved.notes) out.line(`note: ${note}`);
      value = resolved.value;
    }
    const problem = paramValueProblem(param.type, value);
    if (problem) throw new UsageError(`${param.flag} ${JSON.stringify(value)}: ${problem}`);
    values[param.name] = value;
  }
  return values;
}

function selectSteps(plan: RunbookPlan, options: RuntimeOptions): Step[] {
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

function canAsk(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY);
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({input: process.stdin, output: process.stdout});
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

function emptyReport(plan: RunbookPlan, mode: RunReport['mode'], values: Record<string, string>): RunReport {
  return {runbook: plan.name, title: plan.title, source: plan.source, mode, params: values, steps: [], exitCode: EXIT.ok};
}

function stepReport(plan: RunbookPlan, step: Step, outcome: Omit<StepReport, 'id' | 'kind' | 'source'>): StepReport {
  return {id: step.id, kind: step.kind, source: stepSource(plan, step), ...outcome};
}

function dryRun(ctx: RunContext, steps: Step[], out: Console, report: RunReport): void {
  out.line(`${ctx.plan.title} (dry run: nothing is executed or changed)`);
  steps.forEach((step, i) => {
    const where = step.kind === 'file' ? ` → ${stepTarget(step, ctx)}` : step.kind === 'rc-block' ? ` → ${rcTarget(ctx.env, ctx.options.rc).file}` : '';
    const note = step.kind === 'manual' ? ` (manual: ${step.reason})` : step.changes ? ' (changes this machine)' : '';
    out.line(`[${i + 1}/${steps.length}] ${step.id} (${step.kind}) ${stepSource(ctx.plan, step)}${where}${note}`);
    out.indented(stepText(step, ctx), '      ');
    report.steps.push(stepReport(ctx.plan, step, {status: 'planned', exitCode: null, durationMs: 0, message: '', output: ''}));
  });
}

function describe(outcome: StepOutcome, ms: number, finding: boolean): string {
  const time = `${(ms / 1000).toFixed(1)}s`;
  switch (outcome.status) {
    case 'ok': return `ok ${time}${outcome.message ? `: ${outcome.message}` : ''}`;
    case 'failed': return `${finding ? 'found (diagnosis)' : 'FAILED'} ${time}: ${outcome.message}`;
    case 'skipped': return `skipped: ${outcome.message}`;
    case 'manual': return `manual, do it by hand: ${outcome.message}`;
  }
}

async function runSteps(ctx: RunContext, steps: Step[], out: Console, report: RunReport): Promise<void> {
  out.line(`${ctx.plan.title} (${ctx.plan.source})`);
  const findings = findingSteps(steps);
  let stopped: string | null = null;
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
        executeStep(step, ctx).catch((error: Error): StepOutcome => ({status: 'failed', exitCode: null, output: '', message: error.message})),
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
  report.exitCode = result.exitCode;
  out.line(result.line);
}

function undo(ctx: RunContext, out: Console, report: RunReport): void {
  const targets = [...ctx.state.rcBlocks];
  for (const step of ctx.plan.steps.filter((s) => s.kind === 'rc-block')) {
    const file = rcTarget(ctx.env, ctx.options.rc).file;
    const id = rcBlockId(ctx.plan, step);
    if (!targets.some((t) => t.file === file && t.id === id)) targets.push({file, id});
  }
  for (const {file, id} of targets) {
    const edit = removeBlock(file, id);
    out.line(edit.changed ? `removed block ${id} from ${file}${edit.backup ? ` (backup: ${edit.backup})` : ''}` : `no block ${id} in ${file}`);
  }
  ctx.state.rcBlocks = [];
  for (const record of ctx.state.files) {
    const outcome = undoStepFile(record);
    if (outcome === 'changed') {
      out.line(`left ${record.file} alone: it changed since the runbook wrote it`);
      report.exitCode = EXIT.problem;
    } else {
      out.line(`${outcome === 'absent' ? 'already gone' : outcome}: ${record.file}`);
    }
  }
  ctx.state.files = [];
}

async function main($: Shell, scriptPath: string, stepIds: string[]): Promise<number> {
  const plan = loadPlan(scriptPath, stepIds);
  const options = parseArgs(scriptArgs(scriptPath), plan.params);
  if (options.help) {
    process.stdout.write(`${helpText(path.relative(process.cwd(), scriptPath), plan.title, plan.params)}\n`);
    return EXIT.ok;
  }
  const out = new Console(options.json === '-' ? process.stderr : process.stdout);
  const values = resolveValues(plan, options, out);
  const steps = options.check ? diagnosisSteps(selectSteps(plan, options)) : selectSteps(plan, options);
  const mode = options.undo ? 'undo' : options.dryRun ? 'dry-run' : 'run';
  const changing = options.undo ? plan.steps.filter((s) => s.kind === 'rc-block' || s.kind === 'file') : steps.filter((s) => s.changes);
  if (mode !== 'dry-run' && changing.length > 0 && !options.yes && !canAsk()) {
    const step = changing[0];
    throw new UsageError(`refused: step ${step.id} (${stepSource(plan, step)}) changes this machine; no terminal to ask, rerun with --yes`);
  }
  const stateAt = stateFile(plan.name, process.env);
  const ctx: RunContext = {$, plan, values, env: stepEnvironment(process.env, scriptPath, options), options, state: readState(stateAt)};
  const report = emptyReport(plan, mode, values);
  if (mode === 'dry-run') dryRun(ctx, steps, out, report);
  else if (mode === 'undo') undo(ctx, out, report);
  else await runSteps(ctx, steps, out, report);
  if (mode !== 'dry-run') writeState(stateAt, ctx.state);
  if (options.json !== null) writeReport(report, options.json, process.stdout);
  return report.exitCode;
}

export async function runRunbook($: Shell, scriptUrl: string, stepIds: string[]): Promise<void> {
  const scriptPath = fileURLToPath(scriptUrl);
  // `… | head` closing the pipe ends the run quietly, as it does for any command-line tool.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(process.exitCode ?? EXIT.ok);
    });
  }
  try {
    process.exitCode = await main($, scriptPath, stepIds);
  } catch (error) {
    const usage = error instanceof UsageError;
    process.stderr.write(redact(`${path.basename(scriptPath)}: ${(error as Error).message}${usage ? '' : ' (unexpected error)'}\n`));
    process.exitCode = usage ? EXIT.usage : EXIT.problem;
  }
}

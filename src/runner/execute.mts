// Runs one step. The doc's text reaches bash (or python) verbatim through a temporary script
// file: it is never pasted into a JavaScript template literal or a `bash -c` string. Node's
// child_process runs it (src/io/child-process.mts), so a runbook needs nothing but Node.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {commandPath, runCommandTree, type CompletedTree, readEnvDump, TREE_MARK_VARIABLE} from '../io/index.mts';
import {substituteParams, type RunbookPlan, type Step} from '../plan/index.mts';
import type {RuntimeOptions} from './flags.mts';
import {writeStepFile} from './files.mts';
import type {RunbookState} from './state.mts';
import {rcTarget, applyBlock, readBlock} from '../startup-file/index.mts';
import {redact} from '../proxy/index.mts';

export type StepStatus = 'ok' | 'failed' | 'skipped' | 'manual';

export interface StepOutcome {
  status: StepStatus;
  exitCode: number | null;
  /** stdout and stderr, interleaved as produced. */
  output: string;
  message: string;
}

/** What the steps of a run, a dry run or an undo see. */
export interface StepContext {
  plan: RunbookPlan;
  values: Record<string, string>;
  /** The environment steps run with; `env` steps change it for the steps after them. */
  env: Record<string, string | undefined>;
  options: RuntimeOptions;
  state: RunbookState;
}

// Variables bash sets itself, and the mark runCommandTree gives a step's processes: not something an
// `env` step means to export.
const SHELL_OWN_VARIABLES = new Set(['_', 'SHLVL', 'PWD', 'OLDPWD', TREE_MARK_VARIABLE]);

export function stepText(step: Step, ctx: Pick<StepContext, 'plan' | 'values'>): string {
  return substituteParams(step.code, step, ctx.plan.params, ctx.values);
}

export function stepTarget(step: Step, ctx: Pick<StepContext, 'plan' | 'values'>): string {
  return path.resolve(substituteParams(step.path ?? '', step, ctx.plan.params, ctx.values));
}

export function rcBlockId(plan: RunbookPlan, step: Step): string {
  return `${plan.name}-${step.id}`;
}

/** Why the step cannot run here (missing tool, other platform), or null. */
export function skipReason(step: Step, env: Record<string, string | undefined>): string | null {
  if (step.platform.length > 0 && !step.platform.includes(process.platform)) {
    return `runs on ${step.platform.join(', ')} only`;
  }
  const missing = step.requires.filter((tool) => !commandPath(tool, env));
  return missing.length > 0 ? `needs ${missing.join(', ')} on PATH` : null;
}

async function runScript(ctx: StepContext, step: Step, text: string, envFile: string | null): Promise<CompletedTree> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-step-'));
  try {
    const python = step.lang === 'python';
    const script = path.join(dir, python ? 'step.py' : 'step.sh');
    fs.writeFileSync(script, `${text}\n`);
    const [command, ...args] = python
      ? [ctx.env.RUNBOOK_PYTHON || 'python3', script]
      : envFile
        ? // An env step is sourced so its exports survive to the env dump taken after it.
          ['bash', '-c', 'source "$1"; s=$?; env -0 > "$2"; exit $s', 'runbook-env', script, envFile]
        : ['bash', script];
    return await runCommandTree(command, args, {env: ctx.env, cwd: process.cwd(), timeoutMs: step.timeoutMs});
  } finally {
    fs.rmSync(dir, {recursive: true, force: true});
  }
}

function expectationProblem(step: Step, result: CompletedTree, ctx: StepContext): string | null {
  if (result.timedOut) return `timed out after ${step.timeoutMs / 1000}s`;
  if (result.code === null) return `killed by ${result.signal}`;
  if (!step.expectExit.includes(result.code)) {
    return `exit ${result.code}, expected ${step.expectExit.join(' or ')}`;
  }
  const expected = step.expectOutput === null ? null : substituteParams(step.expectOutput, step, ctx.plan.params, ctx.values);
  if (expected !== null && !result.all.includes(expected)) {
    return `output does not contain ${JSON.stringify(expected)}`;
  }
  if (step.expectMatch && !new RegExp(step.expectMatch.source, step.expectMatch.flags).test(result.all)) {
    return `output does not match /${step.expectMatch.source}/${step.expectMatch.flags}`;
  }
  return null;
}

async function runEnvStep(step: Step, ctx: StepContext, text: string): Promise<StepOutcome> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-env-'));
  try {
    const dumpFile = path.join(dir, 'env');
    const result = await runScript(ctx, step, text, dumpFile);
    const problem = expectationProblem(step, result, ctx);
    const {code: exitCode, all: stdall} = result;
    if (problem) return {status: 'failed', exitCode, output: stdall, message: problem};
    if (!fs.existsSync(dumpFile)) {
      const message = 'the block exited before its environment could be read (an env block must not call exit)';
      return {status: 'failed', exitCode, output: stdall, message};
    }
    const after = readEnvDump(dumpFile);
    const changed: string[] = [];
    for (const [name, value] of Object.entries(after)) {
      if (!SHELL_OWN_VARIABLES.has(name) && ctx.env[name] !== value) {
        ctx.env[name] = value;
        changed.push(name);
      }
    }
    for (const name of Object.keys(ctx.env)) {
      if (!Object.hasOwn(after, name) && !SHELL_OWN_VARIABLES.has(name) && ctx.env[name] !== undefined) {
        delete ctx.env[name];
        changed.push(`-${name}`);
      }
    }
    const message = changed.length > 0 ? `environment for later steps: ${changed.join(' ')}` : 'no environment changes';
    return {status: 'ok', exitCode, output: stdall, message};
  } finally {
    fs.rmSync(dir, {recursive: true, force: true});
  }
}

function runRcBlock(step: Step, ctx: StepContext, text: string): StepOutcome {
  const target = rcTarget(ctx.env, ctx.options.rc);
  const id = rcBlockId(ctx.plan, step);
  const edit = applyBlock(target.file, id, text, target.shell);
  const previous = ctx.state.rcBlocks.find((b) => b.file === target.file && b.id === id);
  const written = {file: target.file, id, body: redact(readBlock(target.file, id)!.body), backup: edit.backup ?? previous?.backup};
  ctx.state.rcBlocks = [...ctx.state.rcBlocks.filter((b) => b !== previous), written];
  const backup = edit.backup ? ` (backup: ${edit.backup})` : '';
  const message = edit.changed ? `updated block ${id} in ${target.file}${backup}` : `block ${id} already in ${target.file}`;
  return {status: 'ok', exitCode: null, output: '', message};
}

function runFileStep(step: Step, ctx: StepContext, text: string): StepOutcome {
  const file = stepTarget(step, ctx);
  const outcome = writeStepFile(file, `${text}\n`, ctx.options.force);
  if (outcome.status === 'differs') {
    return {status: 'failed', exitCode: null, output: '', message: `${file} exists and differs; rerun with --force (a backup is kept)`};
  }
  if (outcome.status === 'unchanged') return {status: 'ok', exitCode: null, output: '', message: `${file} already up to date`};
  ctx.state.files = [...ctx.state.files.filter((f) => f.file !== file), outcome.record];
  const backup = outcome.record.backup ? ` (backup: ${outcome.record.backup})` : '';
  return {status: 'ok', exitCode: null, output: '', message: `wrote ${file}${backup}`};
}

export async function executeStep(step: Step, ctx: StepContext): Promise<StepOutcome> {
  const text = stepText(step, ctx);
  if (step.kind === 'manual') return {status: 'manual', exitCode: null, output: '', message: step.reason ?? ''};
  const skip = skipReason(step, ctx.env);
  if (skip) return {status: 'skipped', exitCode: null, output: '', message: skip};
  switch (step.kind) {
    case 'env':
      return runEnvStep(step, ctx, text);
    case 'rc-block':
      return runRcBlock(step, ctx, text);
    case 'file':
      return runFileStep(step, ctx, text);
    default: {
      const result = await runScript(ctx, step, text, null);
      const problem = expectationProblem(step, result, ctx);
      return {
        status: problem ? 'failed' : 'ok',
        exitCode: result.code,
        output: result.all,
        message: problem ?? '',
      };
    }
  }
}

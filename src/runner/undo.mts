// --undo: removes the startup-file blocks the runbook wrote (recorded, and where --rc or $SHELL
// points now) and takes back written files that are unchanged since. A block edited by hand since
// the runbook wrote it is left alone unless --force: the user is told what differs and where the
// backup is. A runbook with an `env-holders fix` step (fix-noproxy) also restores the tmux
// servers' environments and the files that step changed (src/env-holders). Last, the runbook's
// `undo` steps run, in order (a page's own way to take its change back, e.g. a playbook's undo).
import {usesEnvHolders, undoHolders} from '../env-holders/index.mts';
import {redact} from '../proxy/index.mts';
import {rcTarget, readBlock, removeBlock} from '../startup-file/index.mts';
import {rcBlockId, type StepContext} from './execute.mts';
import {EXIT} from './flags.mts';
import {undoStepFile} from './files.mts';
import type {Console, RunReport} from './report.mts';
import {reportNotRun, runStep} from './run-steps.mts';
import type {WrittenBlock} from './state.mts';

/** How the block in the file differs from what the runbook wrote, line by line; null when it does not. */
function handEdits(block: WrittenBlock): string[] | null {
  if (block.body === undefined) return null;
  const now = readBlock(block.file, block.id);
  if (!now || redact(now.body) === block.body) return null;
  const written = block.body.split('\n');
  const current = redact(now.body).split('\n');
  return [
    ...current.flatMap((line, i) => (written.includes(line) ? [] : [`line ${now.firstLine + i} is now: ${line}`])),
    ...written.flatMap((line) => (current.includes(line) ? [] : [`the runbook wrote: ${line}`])),
  ];
}

export async function undo(ctx: StepContext, out: Console, report: RunReport): Promise<void> {
  const targets: WrittenBlock[] = [...ctx.state.rcBlocks];
  for (const step of ctx.plan.steps.filter((s) => s.kind === 'rc-block')) {
    const file = rcTarget(ctx.env, ctx.options.rc).file;
    const id = rcBlockId(ctx.plan, step);
    if (!targets.some((t) => t.file === file && t.id === id)) targets.push({file, id});
  }
  const kept: WrittenBlock[] = [];
  for (const block of targets) {
    const {file, id} = block;
    const edits = ctx.options.force ? null : handEdits(block);
    if (edits) {
      out.line(`left block ${id} in ${file} alone: it was edited by hand since the runbook wrote it`);
      for (const edit of edits) out.line(`  ${edit}`);
      const backup = block.backup ? `the file before the runbook's last change is ${block.backup}; ` : '';
      out.line(`  ${backup}rerun with --undo --force to remove the block anyway`);
      report.exitCode = EXIT.problem;
      kept.push(block);
      continue;
    }
    const edit = removeBlock(file, id);
    out.line(edit.changed ? `removed block ${id} from ${file}${edit.backup ? ` (backup: ${edit.backup})` : ''}` : `no block ${id} in ${file}`);
  }
  ctx.state.rcBlocks = kept;
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
  if (ctx.plan.steps.some((s) => usesEnvHolders(s.code))) {
    const holders = await undoHolders(ctx.env, ctx.options.force);
    for (const line of holders.lines) out.line(redact(line));
    if (holders.problem) report.exitCode = EXIT.problem;
  }
  await runUndoSteps(ctx, out, report);
}

/** The `undo` steps, each asked for unless --yes; one not done is exit 1, and a failed one stops the rest. */
async function runUndoSteps(ctx: StepContext, out: Console, report: RunReport): Promise<void> {
  const steps = ctx.plan.steps.filter((s) => s.kind === 'undo');
  let stopped: string | null = null;
  for (const [i, step] of steps.entries()) {
    if (stopped) {
      reportNotRun(ctx, step, report, stopped);
      continue;
    }
    const {outcome} = await runStep(ctx, step, `[undo ${i + 1}/${steps.length}] ${step.id}`, out, report);
    // Declined or skipped (a tool missing) leaves the change in place, as a failure does.
    if (outcome.status !== 'ok') report.exitCode = EXIT.problem;
    if (outcome.status === 'failed') stopped = `not run: step ${step.id} failed`;
  }
}

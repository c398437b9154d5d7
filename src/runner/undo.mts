// --undo: removes the startup-file blocks the runbook wrote (recorded, and where --rc or $SHELL
// points now) and takes back written files that are unchanged since.
import {rcTarget} from '../startup-file/detect.mts';
import {removeBlock} from '../startup-file/edit.mts';
import {rcBlockId, type RunContext} from './execute.mts';
import {EXIT} from './flags.mts';
import {undoStepFile} from './files.mts';
import type {Console, RunReport} from './report.mts';

export function undo(ctx: RunContext, out: Console, report: RunReport): void {
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

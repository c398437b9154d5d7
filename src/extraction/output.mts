// The generated files under runbooks/: which are there, and writing the current set.
import {chmodSync, mkdirSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import type {RunbookPlan} from '../plan/plan.mts';
import {REPO_ROOT} from './docs.mts';
import {RUNBOOKS_DIR} from '../plan/files.mts';
import {NETCHECK_BIN, renderRunbooks} from './emit.mts';

/** Generated files currently under runbooks/ (scripts, plans, the runtime and runbook-netcheck). */
export function generatedFilesOnDisk(root = REPO_ROOT): string[] {
  const list = (dir: string) => {
    try {
      return readdirSync(join(root, dir)).map((f) => `${dir}/${f}`);
    } catch {
      return [];
    }
  };
  const generated = [...list(RUNBOOKS_DIR), ...list(`${RUNBOOKS_DIR}/lib`)].filter((f) => /\.(mjs|plan\.json)$/.test(f));
  return [...generated, ...list(`${RUNBOOKS_DIR}/lib/bin`)].sort();
}

/**
 * Writes every generated file under `outDir` (the checkout `root` itself, or another folder: the
 * tests' build of the current sources) and removes generated files no runbook produces any more.
 * The docs commits come from `root`'s history.
 */
export async function writeRunbooks(plans: RunbookPlan[], root = REPO_ROOT, outDir = root): Promise<{removed: string[]}> {
  const files = await renderRunbooks(plans, root);
  for (const [file, text] of files) {
    mkdirSync(dirname(join(outDir, file)), {recursive: true});
    writeFileSync(join(outDir, file), text);
    if (file === NETCHECK_BIN) chmodSync(join(outDir, file), 0o755);
  }
  const removed = generatedFilesOnDisk(outDir).filter((f) => !files.has(f));
  for (const file of removed) rmSync(join(outDir, file));
  return {removed};
}

// `runbooks:check`: the committed runbooks/ must be exactly what the docs produce, the docs must
// extract without errors, and a built site (build/) must serve exactly the files in runbooks/.
// Whether a translation carries the same steps is i18n:check's (src/i18n/check.mts).
import {readIfExists} from '../io/safe-write.mts';
import {join} from 'node:path';
import type {RunbookPlan} from '../plan/plan.mts';
import {REPO_ROOT, extractDocs, formatError} from './docs.mts';
import {RUNTIME_FILE, planFile, scriptFile} from '../plan/files.mts';
import {servedCopyProblems} from '../site-runbooks/published.mts';
import {NETCHECK_BIN, renderRunbooks} from './emit.mts';
import {generatedFilesOnDisk} from './output.mts';

/** The file's text, or null when it does not exist. */
const readText = (file: string): string | null => readIfExists(file)?.toString('utf8') ?? null;

/** Names the page and the steps behind a stale plan file. */
function describeStalePlan(plan: RunbookPlan, committed: string): string[] {
  let old: RunbookPlan;
  try {
    old = JSON.parse(committed) as RunbookPlan;
  } catch {
    return [`${plan.source}: ${planFile(plan.name)} is not valid JSON`];
  }
  const problems: string[] = [];
  for (const step of plan.steps) {
    const before = old.steps?.find((s) => s.id === step.id);
    if (!before) problems.push(`${plan.source}:${step.line}: step ${step.id} is new (not in ${planFile(plan.name)})`);
    else if (JSON.stringify(before) !== JSON.stringify(step)) {
      problems.push(`${plan.source}:${step.line}: step ${step.id} changed since ${planFile(plan.name)} was generated`);
    }
  }
  for (const gone of (old.steps ?? []).filter((s) => !plan.steps.some((n) => n.id === s.id))) {
    problems.push(`${plan.source}: step ${gone.id} was removed from the page but is still in ${planFile(plan.name)}`);
  }
  return problems.length > 0 ? problems : [`${plan.source}: runbook ${plan.name}: title, parameters or order changed`];
}

/** The docs' annotation errors, and every file of runbooks/ that is not what the docs and src/ produce. */
export async function staleRunbookProblems(root = REPO_ROOT, docs = extractDocs(root)): Promise<string[]> {
  const problems = docs.errors.map(formatError);
  const expected = await renderRunbooks(docs.runbooks, root);
  const stale = (file: string) => readText(join(root, file)) !== expected.get(file);
  for (const [file, text] of expected) {
    const committed = readText(join(root, file));
    if (committed === text) continue;
    const plan = docs.runbooks.find((r) => planFile(r.name) === file);
    const script = docs.runbooks.find((r) => scriptFile(r.name) === file);
    if (committed === null) problems.push(`${file} is missing: run npm run runbooks`);
    else if (plan) problems.push(...describeStalePlan(plan, committed));
    else if (file === RUNTIME_FILE) problems.push(`${file} is not the current build of src/runner/ (and what it bundles): run npm run runbooks`);
    else if (file === NETCHECK_BIN) problems.push(`${file} differs from what npm run runbooks writes: run npm run runbooks`);
    // A changed step is named by its stale plan; otherwise the commit, the runner or a hand edit.
    else if (script && !stale(planFile(script.name))) {
      problems.push(`${file} differs from what the docs produce (the page's last commit, src/ or a hand edit): run npm run runbooks after committing the page`);
    } else if (!script) problems.push(`${file} differs from what the docs produce`);
  }
  for (const file of generatedFilesOnDisk(root).filter((f) => !expected.has(f))) {
    problems.push(`${file} has no runbook in the docs any more`);
  }
  return problems;
}

export async function driftProblems(root = REPO_ROOT, docs = extractDocs(root)): Promise<string[]> {
  const problems = await staleRunbookProblems(root, docs);
  // The site serves runbooks/ with the runtime inlined; a built site lying around must still do so.
  problems.push(...servedCopyProblems(root));
  return problems;
}

// A runbook that changes the machine has three phases: the diagnosis (the steps before the first
// step that changes the machine), the fix (the changing steps) and the verification (the steps
// after the fix). A check that fails during the diagnosis is a finding, the problem the fix is
// for; once the fix has run, the verdict is the verification's. `--check` runs the diagnosis
// alone, and then its checks are the verdict.
import {diagnosisSteps, type Step} from '../plan/index.mts';
import type {StepReport} from './report.mts';

/** Steps whose failure is a finding in this run: diagnosis checks, when a fix follows them. */
export function findingSteps(steps: Step[]): Set<string> {
  if (!steps.some((s) => s.changes)) return new Set();
  return new Set(diagnosisSteps(steps).filter((s) => s.kind === 'check').map((s) => s.id));
}

export interface Verdict {
  exitCode: 0 | 1;
  line: string;
}

export function verdict(steps: Step[], reports: StepReport[]): Verdict {
  const findings = findingSteps(steps);
  const failed = reports.filter((r) => r.status === 'failed');
  const found = failed.filter((r) => findings.has(r.id)).map((r) => r.id);
  const problems = failed.filter((r) => !findings.has(r.id)).map((r) => r.id);
  const fixed = reports.some((r) => r.status === 'ok' && steps.find((s) => s.id === r.id)?.changes);
  const lastChange = steps.map((s) => s.changes).lastIndexOf(true);
  const verified = reports.filter((r) => r.status === 'ok' && steps.findIndex((s) => s.id === r.id) > lastChange).map((r) => r.id);
  const foundText = found.length > 0 ? `; the diagnosis had found: ${found.join(', ')}` : '';
  if (problems.length > 0) return {exitCode: 1, line: `problem remains: ${problems.join(', ')} failed${foundText}`};
  // Findings with no fix applied (declined, or no changing step ran) are the problem still there.
  if (found.length > 0 && !fixed) return {exitCode: 1, line: `problem remains: ${found.join(', ')} failed and no fix was applied`};
  if (found.length > 0 && verified.length === 0) return {exitCode: 1, line: `fix applied but not verified${foundText}`};
  if (found.length > 0) return {exitCode: 0, line: `fixed: ${verified.join(', ')} passed${foundText}`};
  return {exitCode: 0, line: 'all steps passed'};
}

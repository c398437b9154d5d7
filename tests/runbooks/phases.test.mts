// The verdict of a runbook with a diagnosis, a fix and a verification (src/runtime/phases.mts),
// over the step list fix-noproxy really has (read from its generated plan).
import * as fs from 'node:fs';
import * as path from 'node:path';
import {describe, expect, it} from 'vitest';
import {diagnosisSteps, findingSteps, verdict} from '../../src/runner/phases.mts';
import type {RunbookPlan} from '../../src/plan/plan.mts';
import type {StepReport} from '../../src/runner/report.mts';
import {REPO} from './run-runbook.mts';

const plan = JSON.parse(fs.readFileSync(path.join(REPO, 'runbooks', 'fix-noproxy.plan.json'), 'utf8')) as RunbookPlan;

function reports(statuses: Record<string, StepReport['status']>): StepReport[] {
  return plan.steps.filter((s) => statuses[s.id]).map((s) => ({
    id: s.id, kind: s.kind, source: '', status: statuses[s.id], exitCode: null, durationMs: 0, message: '', output: '',
  }));
}

describe('fix-noproxy phases', () => {
  it('the diagnosis is every step before persist; its checks are findings when the fix runs', () => {
    expect(diagnosisSteps(plan.steps).map((s) => s.id)).toEqual(['variables', 'clients', 'probe']);
    expect([...findingSteps(plan.steps)]).toEqual(['variables', 'clients', 'probe']);
    expect([...findingSteps(diagnosisSteps(plan.steps))]).toEqual([]); // --check: no fix follows
  });

  it('findings, then a fix and a passing verification: exit 0, naming what was found', () => {
    expect(verdict(plan.steps, reports({variables: 'ok', clients: 'failed', probe: 'failed', persist: 'ok', verify: 'ok'})))
      .toEqual({exitCode: 0, line: 'fixed: verify passed; the diagnosis had found: clients, probe'});
  });

  it('a failing verification is the verdict', () => {
    expect(verdict(plan.steps, reports({variables: 'ok', clients: 'failed', probe: 'ok', persist: 'ok', verify: 'failed'})))
      .toEqual({exitCode: 1, line: 'problem remains: verify failed; the diagnosis had found: clients'});
  });

  it('a declined fix leaves the findings as the problem', () => {
    expect(verdict(plan.steps, reports({variables: 'ok', clients: 'failed', probe: 'failed', persist: 'skipped', verify: 'ok'})))
      .toEqual({exitCode: 1, line: 'problem remains: clients, probe failed and no fix was applied'});
  });

  it('--check: the diagnosis alone decides', () => {
    const steps = diagnosisSteps(plan.steps);
    expect(verdict(steps, reports({variables: 'ok', clients: 'failed', probe: 'ok'})).exitCode).toBe(1);
    expect(verdict(steps, reports({variables: 'ok', clients: 'ok', probe: 'ok'}))).toEqual({exitCode: 0, line: 'all steps passed'});
  });
});

// The verdict of a runbook with a diagnosis, a fix and a verification (src/runner/phases.mts),
// over an inline step list shaped like fix-noproxy's (editing a guide cannot break it).
import {describe, expect, it} from 'vitest';
import {findingSteps, verdict} from '../../src/runner/phases.mts';
import {diagnosisSteps, type Step, type StepKind} from '../../src/plan/plan.mts';
import type {StepReport} from '../../src/runner/report.mts';

function step(id: string, kind: StepKind): Step {
  return {
    id, kind, lang: 'bash', line: 1, code: '', timeoutMs: 30_000, expectExit: [0], expectOutput: null, expectMatch: null,
    requires: [], platform: [], changes: kind === 'rc-block' || kind === 'file', reason: null, params: [], path: null, commentsMayDiffer: false,
  };
}

// The shape of fix-noproxy: three diagnosis checks, the startup-file fix, a verification.
const plan = {steps: [step('variables', 'check'), step('clients', 'check'), step('probe', 'check'), step('persist', 'rc-block'), step('verify', 'check')]};

function reports(statuses: Record<string, StepReport['status']>): StepReport[] {
  return plan.steps.filter((s) => statuses[s.id]).map((s) => ({
    id: s.id, kind: s.kind, source: '', status: statuses[s.id], exitCode: null, durationMs: 0, message: '', output: '',
  }));
}

describe('phases of a diagnose, fix, verify runbook', () => {
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

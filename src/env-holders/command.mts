// The `processes` command of runbook-netcheck: scan, judge, report.
import type {Env} from '../io/env.mts';
import {judgeProcesses, processesReport, type ProcessesReport} from './report.mts';
import {scanProcesses} from './scan.mts';

export function processesCommand(url: string, env: Env): ProcessesReport {
  const uid = process.getuid?.() ?? -1;
  return processesReport(judgeProcesses(scanProcesses(), url, {uid, env}), url);
}

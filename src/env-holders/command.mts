// The runbook-netcheck commands of this folder:
//   processes [URL]                                   scan, judge, report (exit 1: a process of yours is not direct)
//   env-holders fix --no-proxy LIST [--unit NAME [--user]]   tmux servers, ~/.docker/config.json, a systemd drop-in
//   env-holders undo [--force]                        restore what fix changed
import {ArgumentError, UsageError, readCommandLine, type Env} from '../io/index.mts';
import {InvalidDockerConfig} from './docker-config.mts';
import {fixHolders, undoHolders, type HoldersResult} from './fix.mts';
import {judgeProcesses, processesReport, type ProcessesReport} from './report.mts';
import {scanProcesses} from './scan.mts';

export const ENV_HOLDERS_USAGE = 'env-holders fix --no-proxy LIST [--unit NAME [--user]] | env-holders undo [--force]';

/** Whether a step's text runs `env-holders fix`, so that the runbook's --undo must undo it too. */
export function usesEnvHolders(stepCode: string): boolean {
  return /\brunbook-netcheck env-holders fix\b/.test(stepCode);
}

export function processesCommand(url: string, env: Env): ProcessesReport {
  const uid = process.getuid?.() ?? -1;
  return processesReport(judgeProcesses(scanProcesses(), url, {uid, env}), url);
}

const ACTIONS = {
  fix: {'no-proxy': {type: 'string'}, unit: {type: 'string'}, user: {type: 'boolean'}},
  undo: {force: {type: 'boolean'}},
} as const;

/** `env-holders fix|undo`; an invalid ~/.docker/config.json refuses the whole fix (exit 2). */
export async function envHoldersCommand(argv: string[], env: Env): Promise<HoldersResult> {
  const [action, ...rest] = argv;
  if (action === 'undo') return undoHolders(env, readCommandLine(rest, ACTIONS.undo).values.force ?? false);
  if (action !== 'fix') throw new ArgumentError(action ? `unknown env-holders action ${action}` : 'env-holders needs fix or undo');
  const {'no-proxy': noProxy, unit: unitOption, user} = readCommandLine(rest, ACTIONS.fix).values;
  if (!noProxy) throw new ArgumentError('env-holders fix needs --no-proxy LIST');
  // `none` is fix-noproxy's default for its --unit parameter: no unit.
  const unit = unitOption === undefined || unitOption === 'none' ? null : unitOption;
  if (user && !unit) throw new ArgumentError('--user goes with --unit NAME');
  try {
    return await fixHolders({noProxy, unit, userUnit: user ?? false}, env);
  } catch (error) {
    if (error instanceof InvalidDockerConfig) throw new UsageError(`refused: ${error.message}`);
    throw error;
  }
}

// The runbook-netcheck commands of this folder:
//   processes [URL]                                   scan, judge, report (exit 1: a process of yours is not direct)
//   env-holders fix --no-proxy LIST [--unit NAME [--user]]   tmux servers, ~/.docker/config.json, a systemd drop-in
//   env-holders undo [--force]                        restore what fix changed
import {tokenize, UsageError} from '../io/command-line.mts';
import type {Env} from '../io/env.mts';
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

interface HoldersArgs {
  action: string | undefined;
  noProxy: string | null;
  unit: string | null;
  user: boolean;
  force: boolean;
}

function parseHolders(argv: string[]): HoldersArgs {
  const args: HoldersArgs = {action: undefined, noProxy: null, unit: null, user: false, force: false};
  const tokens = tokenize(argv);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind === 'positional') {
      if (args.action !== undefined) throw new UsageError(`unexpected argument ${token.value}`);
      args.action = token.value;
    }
    if (token.kind !== 'option') continue;
    if (token.name === 'user' || token.name === 'force') {
      args[token.name] = true;
      continue;
    }
    if (token.name !== 'no-proxy' && token.name !== 'unit') throw new UsageError(`unknown option --${token.name}`);
    let value = token.value;
    if (!token.inlineValue) {
      const next = tokens[i + 1];
      if (next?.kind !== 'positional') throw new UsageError(`--${token.name} needs a value`);
      value = next.value;
      i++;
    }
    // `none` is fix-noproxy's default for its --unit parameter: no unit.
    if (token.name === 'unit') args.unit = value === 'none' ? null : value!;
    else args.noProxy = value!;
  }
  return args;
}

/** `env-holders fix|undo`; an invalid ~/.docker/config.json refuses the whole fix (exit 2). */
export async function envHoldersCommand(argv: string[], env: Env): Promise<HoldersResult> {
  const args = parseHolders(argv);
  if (args.action === 'undo') return undoHolders(env, args.force);
  if (args.action !== 'fix') throw new UsageError(args.action ? `unknown env-holders action ${args.action}` : 'env-holders needs fix or undo');
  if (!args.noProxy) throw new UsageError('env-holders fix needs --no-proxy LIST');
  if (args.user && !args.unit) throw new UsageError('--user goes with --unit NAME');
  try {
    return await fixHolders({noProxy: args.noProxy, unit: args.unit, userUnit: args.user}, env);
  } catch (error) {
    if (error instanceof InvalidDockerConfig) throw new UsageError(`refused: ${error.message}`);
    throw error;
  }
}

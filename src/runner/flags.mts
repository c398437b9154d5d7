// The runtime's command line: its own flags, each parameter's flag, and --help.
import type {ParamSpec} from '../plan/plan.mts';

export interface RuntimeOptions {
  help: boolean;
  dryRun: boolean;
  /** null: no JSON report; '-': to stdout; otherwise the report file. */
  json: string | null;
  yes: boolean;
  only: string[] | null;
  from: string | null;
  force: boolean;
  rc: string | null;
  undo: boolean;
  /** Diagnose only: the steps before the first one that changes the machine. */
  check: boolean;
  /** Parameter values given on the command line, by parameter name. */
  params: Record<string, string>;
}

export const EXIT = {ok: 0, problem: 1, usage: 2} as const;

export class UsageError extends Error {}

export function parseArgs(args: string[], params: ParamSpec[]): RuntimeOptions {
  const options: RuntimeOptions = {
    help: false, dryRun: false, json: null, yes: false, only: null, from: null,
    force: false, rc: null, undo: false, check: false, params: {},
  };
  const byFlag = new Map(params.map((p) => [p.flag, p]));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = flag === arg ? null : arg.slice(eq + 1);
    const value = (): string => {
      if (inline !== null) return inline;
      const next = args[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      i++;
      return next;
    };
    const noValue = () => {
      if (inline !== null) throw new UsageError(`${flag} takes no value`);
      return true;
    };
    switch (flag) {
      case '--help': case '-h': options.help = noValue(); break;
      case '--dry-run': options.dryRun = noValue(); break;
      case '--yes': case '-y': options.yes = noValue(); break;
      case '--force': options.force = noValue(); break;
      case '--undo': options.undo = noValue(); break;
      case '--check': options.check = noValue(); break;
      case '--rc': options.rc = value(); break;
      case '--from': options.from = value(); break;
      case '--only': options.only = value().split(',').filter(Boolean); break;
      case '--json': {
        const next = args[i + 1];
        if (inline !== null) options.json = inline;
        else if (next !== undefined && !next.startsWith('-')) options.json = args[++i];
        else options.json = '-';
        break;
      }
      default: {
        const param = byFlag.get(flag);
        if (!param) throw new UsageError(`unknown option ${JSON.stringify(flag)} (see --help)`);
        options.params[param.name] = value();
      }
    }
  }
  if (options.only && options.from) throw new UsageError('--only and --from cannot be combined');
  if (options.check && (options.undo || options.from)) throw new UsageError('--check cannot be combined with --undo or --from');
  return options;
}

export function helpText(script: string, title: string, params: ParamSpec[]): string {
  const paramLines = params.map((p) => {
    const left = `  ${p.flag} ${p.type.toUpperCase()}`;
    const computed = p.compute ? ` (merged by ${p.compute})` : '';
    return `${left.padEnd(28)} ${p.help ?? p.name}; default ${p.default}${computed}`;
  });
  return [
    `${title}`,
    '',
    `Usage: zx ${script} [options]   (or: node ${script} [options])`,
    '',
    'Parameters:',
    ...(paramLines.length > 0 ? paramLines : ['  (none)']),
    '',
    'Options:',
    '  --dry-run                    print the steps with their values and change nothing',
    '  --json [FILE]                write a machine-readable report to FILE (stdout without FILE)',
    '  --yes, -y                    run steps that change the machine without asking',
    '  --only STEP[,STEP]           run only these steps',
    '  --from STEP                  start at this step',
    '  --force                      overwrite files that differ (a backup is kept)',
    '  --rc FILE                    shell startup file for rc-block steps (default: detected from $SHELL)',
    '  --undo                       remove what the runbook added (startup-file blocks, unchanged files)',
    '  --check                      diagnose only: run the steps before the first one that changes the machine',
    '  --help, -h                   this text',
    '',
    'Exit codes:',
    '  0  all steps passed, or the fix was applied and its verification passed',
    '  1  a check failed or the problem remains (diagnosis findings count only with --check or when no fix ran)',
    '  2  usage error, or refused (a step changes the machine: no terminal to ask and no --yes)',
    '',
    'Environment: RUNBOOK_PYTHON (python for python steps, default python3), CI=true (plain progress).',
  ].join('\n');
}

// The runtime's command line: its own options (the contract's RUNTIME_OPTIONS) and each
// parameter's flag, read by the one strict reader (src/io/command-line.mts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import {ArgumentError, readCommandLine} from '../io/index.mts';
import {RESOLVER_HELP, RUNTIME_OPTIONS, type ParamSpec} from '../plan/index.mts';
import {type ClusterSpec, listOption} from '../cluster/index.mts';

export interface RuntimeOptions {
  help: boolean;
  version: boolean;
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
  /** `--cluster` and `--cluster-hosts` (src/cluster): more NO_PROXY entries, in each client's form. */
  cluster: ClusterSpec;
  /** Parameter values given on the command line, by parameter name. */
  params: Record<string, string>;
}

export const EXIT = {ok: 0, problem: 1, usage: 2} as const;

/**
 * Where the script stands in `argv`: its path (`node x.mjs …`, `zx x.mjs …`), or the URL zx
 * downloaded it from (`zx https://host/x.mjs …`, which runs a downloaded copy); -1 when neither.
 */
export function scriptArgIndex(scriptPath: string, argv: readonly string[] = process.argv): number {
  const real = (arg: string) => {
    try {
      return fs.realpathSync(arg);
    } catch {
      return path.resolve(arg);
    }
  };
  return argv.findIndex((arg, i) => i > 0 && (real(arg) === scriptPath || /^https?:\/\//.test(arg)));
}

/** The arguments after the script, whether started as `node x.mjs …` or `zx x.mjs …`. */
export function scriptArgs(scriptPath: string): string[] {
  const at = scriptArgIndex(scriptPath);
  return process.argv.slice(at > 0 ? at + 1 : 2);
}

/** The line printed after a wrong command line, and the top of --help. */
export function usageLine(script: string): string {
  return `Usage: zx ${script} [options]   (or: node ${script} [options])`;
}

/**
 * `--json` takes an optional file: without one (last, or before another option) the report goes to
 * stdout. parseArgs has no optional values, so such a `--json` is given `-`.
 */
function withJsonFile(args: string[]): string[] {
  return args.flatMap((arg, i) => {
    const next = args[i + 1];
    return arg === '--json' && (next === undefined || (next.startsWith('-') && next !== '-')) ? [arg, '-'] : [arg];
  });
}

export function parseArgs(args: string[], params: ParamSpec[]): RuntimeOptions {
  const paramOptions = Object.fromEntries(params.map((p) => [p.flag.slice(2), {type: 'string'} as const]));
  const {values} = readCommandLine(withJsonFile(args), {...paramOptions, ...RUNTIME_OPTIONS});
  const options: RuntimeOptions = {
    help: values.help ?? false,
    version: values.version ?? false,
    dryRun: values['dry-run'] ?? false,
    json: values.json ?? null,
    yes: values.yes ?? false,
    only: values.only === undefined ? null : values.only.split(',').filter(Boolean),
    from: values.from ?? null,
    force: values.force ?? false,
    rc: values.rc ?? null,
    undo: values.undo ?? false,
    check: values.check ?? false,
    cluster: {entries: (values.cluster ?? []).flatMap(listOption), hosts: (values['cluster-hosts'] ?? []).flatMap(listOption)},
    params: {},
  };
  for (const param of params) {
    const value = (values as Record<string, unknown>)[param.flag.slice(2)];
    if (typeof value === 'string') options.params[param.name] = value;
  }
  if (options.only && options.from) throw new ArgumentError('--only and --from cannot be combined');
  if (options.check && (options.undo || options.from)) throw new ArgumentError('--check cannot be combined with --undo or --from');
  return options;
}
export function helpText(script: string, title: string, params: ParamSpec[]): string {
  const paramLines = params.map((p) => {
    const left = `  ${p.flag} ${p.type.toUpperCase()}`;
    const computed = p.compute ? ` (${RESOLVER_HELP[p.compute]})` : '';
    return `${left.padEnd(28)} ${p.help ?? p.name}; default ${p.default}${computed}`;
  });
  return [
    `${title}`,
    '',
    usageLine(script),
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
    '  --cluster LIST               CIDRs, host names, domain suffixes of your cluster: added to NO_PROXY, with',
    '                               the node addresses (--cluster-hosts) for clients that do not take the form',
    '  --cluster-hosts LIST         the nodes\' addresses or names (e.g. from the Ansible inventory)',
    '  --undo                       remove what the runbook added (startup-file blocks, unchanged files), then run its undo steps',
    '  --check                      diagnose only: run the steps before the first one that changes the machine',
    '  --version                    the docs commit this runbook was generated from',
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

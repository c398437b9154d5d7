// The runtime's command line: its own flags (the contract's RUNTIME_FLAGS), each parameter's
// flag, and --help.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {UsageError, tokenize} from '../io/command-line.mts';
import type {ParamSpec} from '../plan/plan.mts';
import {type ClusterSpec, listOption} from '../cluster/no-proxy.mts';

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

/** The arguments after the script, whether started as `node x.mjs …` or `zx x.mjs …`. */
export function scriptArgs(scriptPath: string): string[] {
  const real = (arg: string) => {
    try {
      return fs.realpathSync(arg);
    } catch {
      return path.resolve(arg);
    }
  };
  // `zx https://host/x.mjs …` runs a downloaded copy: the URL stands where the path would.
  const at = process.argv.findIndex((arg, i) => i > 0 && (real(arg) === scriptPath || /^https?:\/\//.test(arg)));
  return process.argv.slice(at > 0 ? at + 1 : 2);
}

type Switch = 'help' | 'version' | 'dryRun' | 'yes' | 'force' | 'undo' | 'check';
const SWITCHES: Record<string, Switch> = {
  '--help': 'help', '-h': 'help', '--dry-run': 'dryRun', '--yes': 'yes', '-y': 'yes',
  '--force': 'force', '--undo': 'undo', '--check': 'check', '--version': 'version',
};

export function parseArgs(args: string[], params: ParamSpec[]): RuntimeOptions {
  const options: RuntimeOptions = {
    help: false, version: false, dryRun: false, json: null, yes: false, only: null, from: null,
    force: false, rc: null, undo: false, check: false, cluster: {entries: [], hosts: []}, params: {},
  };
  const byFlag = new Map(params.map((p) => [p.flag, p]));
  const tokens = tokenize(args);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    // A positional or `--` where a flag should be is an unknown option, named as typed.
    const flag = token.kind === 'option' ? `${token.name.length === 1 && !args[token.index].startsWith('--') ? '-' : '--'}${token.name}` : args[token.index];
    const inline = token.kind === 'option' && token.inlineValue ? token.value! : null;
    const next = tokens[i + 1];
    const value = (): string => {
      if (inline !== null) return inline;
      if (next?.kind !== 'positional') throw new UsageError(`${flag} needs a value`);
      i++;
      return next.value;
    };
    const mapped = SWITCHES[flag];
    if (mapped && token.kind === 'option') {
      if (inline !== null) throw new UsageError(`${flag} takes no value`);
      options[mapped] = true;
      continue;
    }
    switch (token.kind === 'option' ? flag : null) {
      case '--rc': options.rc = value(); break;
      case '--from': options.from = value(); break;
      case '--only': options.only = value().split(',').filter(Boolean); break;
      case '--cluster': options.cluster.entries.push(...listOption(value())); break;
      case '--cluster-hosts': options.cluster.hosts.push(...listOption(value())); break;
      case '--json':
        // The file is optional: a value right after --json is the file, nothing is stdout.
        options.json = inline ?? (next?.kind === 'positional' && !next.value.startsWith('-') ? (i++, next.value) : '-');
        break;
      default: {
        const param = token.kind === 'option' ? byFlag.get(flag) : undefined;
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
    '  --cluster LIST               CIDRs, host names, domain suffixes of your cluster: added to NO_PROXY, with',
    '                               the node addresses (--cluster-hosts) for clients that do not take the form',
    '  --cluster-hosts LIST         the nodes\' addresses or names (e.g. from the Ansible inventory)',
    '  --undo                       remove what the runbook added (startup-file blocks, unchanged files)',
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

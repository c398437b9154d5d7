// runbook-netcheck: the network checks the proxy guide's runbooks run, as one command a reader can
// run too. It is in the runbooks' runtime (src/runner/index.mts exports runNetcheck): the executable
// runbooks/lib/bin/runbook-netcheck calls it, and every runbook runs it as its helper mode
// (src/runner/netcheck-shim.mts).
//
//   runbook-netcheck clients URL                         what each client does with URL here (and with
//                                                        a node-to-node URL when RUNBOOK_CLUSTER(_HOSTS) is set)
//   runbook-netcheck probe URL [--timeout S]             direct and through each configured proxy
//   runbook-netcheck verify URL [--rc FILE] [--timeout S]  a fresh shell reading the startup file
//   runbook-netcheck service models|chat|stream URL [--model NAME] [--timeout S]
//   runbook-netcheck services                            what answers on the local model servers' default ports
//   runbook-netcheck processes [URL]                     running servers, clients, tmux/Jupyter/… and their remedies
//   runbook-netcheck env-holders fix|undo …              where those processes' environment lives (src/env-holders)
//   runbook-netcheck cluster-table [FILE|-] [--report FILE]   the nodes' --json reports as one table (src/cluster)
//
// Exit codes: 0 fine, 1 the problem exists (or a check failed), 2 usage error.
import {ArgumentError, RefusedError, UsageError, readCommandLine, shownValue, usageText, type OptionSpecs} from '../io/index.mts';
import {proxySecrets, redact} from '../proxy/index.mts';
import {clusterFromEnv, clusterUrl, CLUSTER_TABLE_USAGE, clusterTable} from '../cluster/index.mts';
import {clientsReport, probeReport} from './diagnose.mts';
import {guideLink} from './guide-links.mts';
import {detectInstalled} from './installed.mts';
import {rcTarget, freshShellEnv} from '../startup-file/index.mts';
import {AUTO_MODEL, SERVICE_CHECKS, checkService, type ServiceCheck} from './service-check.mts';
import {checkClients} from './verify-clients.mts';
import {checkWrittenValues} from './verify-block.mts';
import {findServices, portsToProbe, servicesReport} from './find-services.mts';
import {ENV_HOLDERS_USAGE, envHoldersCommand, processesCommand} from '../env-holders/index.mts';

// What `processes` checks without a URL: the guides' service.
const DEFAULT_PROCESSES_URL = 'http://127.0.0.1:8000/v1/models';

/** Whether a step's code runs a command that detects the installed clients (clients, probe, verify). */
export function readsInstalled(stepCode: string): boolean {
  return /\brunbook-netcheck\s+(?:clients|probe|verify)\b/.test(stepCode);
}

const USAGE = `usage: runbook-netcheck clients URL | probe URL [--timeout S] | verify URL [--rc FILE] [--timeout S] | service models|chat|stream URL [--model NAME] [--timeout S] | services | processes [URL] | ${ENV_HOLDERS_USAGE} | ${CLUSTER_TABLE_USAGE.replace('runbook-netcheck ', '')}`;

const STRING = {type: 'string'} as const;
const HELP = {help: {type: 'boolean', short: 'h'}} as const;

/** Each command's options and how many positionals follow it (at most). */
const COMMANDS = {
  clients: {options: HELP, positionals: 1},
  probe: {options: {...HELP, timeout: STRING}, positionals: 1},
  verify: {options: {...HELP, rc: STRING, timeout: STRING}, positionals: 1},
  service: {options: {...HELP, model: STRING, timeout: STRING}, positionals: 2},
  services: {options: HELP, positionals: 0},
  processes: {options: HELP, positionals: 1},
} as const;

interface Args {
  /** null: --help. */
  command: keyof typeof COMMANDS | null;
  positional: string[];
  timeoutS: number | null;
  model: string;
  rc: string | null;
}

function parse([command, ...rest]: string[]): Args {
  if (command === '--help' || command === '-h') return {command: null, positional: [], timeoutS: null, model: AUTO_MODEL, rc: null};
  if (command === undefined) throw new ArgumentError('missing command');
  if (!Object.hasOwn(COMMANDS, command)) throw new ArgumentError(`unknown command ${command}`);
  const spec = COMMANDS[command as keyof typeof COMMANDS];
  const {values, positionals} = readCommandLine<OptionSpecs>(rest, spec.options, {positionals: spec.positionals});
  const {help, timeout, model, rc} = values as {help?: boolean; timeout?: string; model?: string; rc?: string};
  const timeoutS = timeout === undefined ? null : Number(timeout);
  if (timeoutS !== null && !(timeoutS > 0 && timeoutS <= 600)) throw new ArgumentError(`--timeout ${timeout}: seconds, more than 0`);
  return {command: help ? null : command as keyof typeof COMMANDS, positional: positionals, timeoutS, model: model ?? AUTO_MODEL, rc: rc ?? null};
}

function checkedUrl(text: string | undefined): string {
  if (!text) throw new ArgumentError('missing URL');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ArgumentError(`not a URL: ${shownValue(text)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ArgumentError(`not an http(s) URL: ${shownValue(text)}`);
  return text;
}

function print(lines: string[]): void {
  process.stdout.write(redact(`${lines.join('\n')}\n`, proxySecrets(process.env)));
}

async function verify(url: string, args: Args): Promise<number> {
  const env = process.env;
  const target = rcTarget(env, args.rc ?? env.RUNBOOK_RC ?? null);
  const fresh = await freshShellEnv(target.shell, target.file, env);
  const checks = await checkClients(url, fresh, args.timeoutS ?? 5);
  const written = await checkWrittenValues(target.shell, target.file, fresh);
  const width = Math.max(...checks.map((c) => c.client.length));
  print([
    `a fresh ${target.shell} reading ${target.file} (started without this shell's no_proxy/NO_PROXY) has`,
    ...['no_proxy', 'NO_PROXY'].map((n) => `  ${n}${fresh[n] === undefined ? ' unset' : `=${JSON.stringify(fresh[n])}`}`),
    ...written.lines,
    `and reaches ${url} with:`,
    ...checks.map((c) => `  ${c.client.padEnd(width)}  ${c.status}: ${c.detail}`),
    `verified: ${checks.filter((c) => c.status === 'verified').map((c) => c.client).join(', ') || 'none'}`,
    `not available here: ${checks.filter((c) => c.status === 'not-available').map((c) => c.client).join(', ') || 'none'}`,
  ]);
  const curlOk = checks.some((c) => c.client === 'curl' && c.status === 'verified');
  return curlOk && !written.failed && checks.every((c) => c.status !== 'failed') ? 0 : 1;
}

async function service(which: string | undefined, url: string, args: Args): Promise<number> {
  if (!SERVICE_CHECKS.includes(which as ServiceCheck)) throw new ArgumentError(`service needs one of ${SERVICE_CHECKS.join(', ')}`);
  const result = await checkService(which as ServiceCheck, {base: url, model: args.model, timeoutS: args.timeoutS ?? 5, env: process.env});
  print([
    `${result.ok ? 'ok' : 'FAILED'} ${result.ms} ms: ${result.summary}`,
    ...(result.advice ? [`advice: ${result.advice}`] : []),
    ...(result.see ? [`see: ${guideLink(result.see)}`] : []),
  ]);
  return result.ok ? 0 : 1;
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'cluster-table') return clusterTable(argv.slice(1));
  if (argv[0] === 'env-holders') {
    const result = await envHoldersCommand(argv.slice(1), process.env);
    print(result.lines);
    return result.problem ? 1 : 0;
  }
  const args = parse(argv);
  if (args.command === null) {
    print([USAGE]);
    return 0;
  }
  const {command, positional: rest} = args;
  switch (command) {
    case 'clients': {
      const url = checkedUrl(rest[0]);
      const detected = await detectInstalled(process.env);
      const report = clientsReport(url, process.env, detected);
      print(report.lines);
      // With a cluster (the runner's --cluster, --cluster-hosts), a node-to-node URL as well.
      const nodeUrl = clusterUrl(url, clusterFromEnv(process.env));
      const nodeReport = nodeUrl === null ? null : clientsReport(nodeUrl, process.env, detected);
      if (nodeReport) print(nodeReport.lines.slice(1));
      return report.problem || nodeReport?.problem ? 1 : 0;
    }
    case 'probe': {
      const url = checkedUrl(rest[0]);
      const report = await probeReport(url, process.env, args.timeoutS ?? 1, await detectInstalled(process.env));
      print(report.lines);
      return report.problem ? 1 : 0;
    }
    case 'verify':
      return verify(checkedUrl(rest[0]), args);
    case 'service':
      return service(rest[0], checkedUrl(rest[1]), args);
    case 'services': {
      const ports = portsToProbe(process.env);
      const report = servicesReport(await findServices(ports), ports);
      print(report.lines);
      return report.problem ? 1 : 0;
    }
    case 'processes': {
      const report = processesCommand(rest[0] === undefined ? DEFAULT_PROCESSES_URL : checkedUrl(rest[0]), process.env);
      print(report.lines);
      return report.problem ? 1 : 0;
    }
  }
}

/** Runs one runbook-netcheck command line; errors become a message on stderr and exit 1 or 2. */
export async function runNetcheck(argv: string[]): Promise<number> {
  try {
    return await main(argv);
  } catch (error) {
    const usage = error instanceof UsageError || error instanceof RefusedError;
    const text = usage ? usageText('runbook-netcheck', USAGE, error as Error) : `runbook-netcheck: ${(error as Error).message}\n`;
    process.stderr.write(redact(text, proxySecrets(process.env)));
    return usage ? 2 : 1;
  }
}

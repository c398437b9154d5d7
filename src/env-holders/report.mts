// `runbook-netcheck processes [URL]`: for each process that matters (scan.mts), whether requests
// it (or, for a tmux/screen/Jupyter/VS Code server, what it starts next) makes to URL go directly,
// and the exact command that fixes it. Predictions are src/proxy's; the value to set is
// src/proxy's NO_PROXY merge of what the process already has. Everything printed is redacted.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type {Env} from '../io/env.mts';
import {mergeEnvNoProxy} from '../proxy/merge-no-proxy.mts';
import {shellQuote} from '../proxy/pasted.mts';
import {predict, type ClientId, type Prediction} from '../proxy/predict.mts';
import {redact} from '../proxy/redact.mts';
import type {Kind} from './classify.mts';
import type {SeenProcess} from './scan.mts';
import {tmuxCommand} from './tmux.mts';

// The HTTP stack each kind makes its requests with (a holder: what the programs it starts use).
const STACKS: Record<Kind, ClientId[]> = {
  'vllm': ['httpx', 'requests'], 'sglang': ['httpx', 'requests'], 'lmdeploy': ['httpx', 'requests'],
  'xinference': ['httpx', 'requests'], 'swift': ['httpx', 'requests'], 'ollama': ['go'], 'ollama-client': ['go'],
  'llama-server': ['curl'], 'text-generation-launcher': ['curl'],
  'openai': ['httpx'], 'evalscope': ['httpx', 'aiohttp-trust-env'], 'lm_eval': ['requests', 'aiohttp'],
  'jupyter-kernel': ['httpx', 'requests'],
  'tmux': ['curl', 'httpx', 'requests'], 'screen': ['curl', 'httpx', 'requests'],
  'jupyter-server': ['httpx', 'requests'], 'vscode-server': ['curl', 'httpx', 'requests'], 'dockerd': [],
};

export interface ProcessVerdict {
  process: SeenProcess;
  /** Whose it is, as printed: `yours`, `another user's: uid N`, `yours, but HOME=…: not counted`. */
  owner: string;
  /** This user's (same uid, and the same HOME when the process has one): counted in the verdict. */
  yours: boolean;
  /** null when the environment could not be read (or for dockerd, whose own variables affect pulls only). */
  outcome: 'direct' | 'not-direct' | null;
  /** The prediction that decided a `not-direct` outcome. */
  deciding?: Prediction;
  /** The commands (or the one action) that fix it, when not direct. */
  remedy: string[];
}

/** The Docker container a process runs in (from its cgroup), or null. */
export function containerOf(pid: number | 'self', procRoot = '/proc'): string | null {
  try {
    const cgroup = fs.readFileSync(path.join(procRoot, String(pid), 'cgroup'), 'utf8');
    return /(?:docker[-/]|containerd[-/]|cri-containerd-|libpod-)([0-9a-f]{12,64})/.exec(cgroup)?.[1]?.slice(0, 12) ?? null;
  } catch {
    return null;
  }
}

function exports(value: string): string {
  return `NO_PROXY=${shellQuote(value)} no_proxy=${shellQuote(value)}`;
}

// Options whose value is a secret (`vllm serve --api-key …`, `--hf-token`): masked like proxy
// credentials in the restart line, which otherwise repeats the command line as it was.
const SECRET_OPTION = /^--?[\w-]*(?:key|token|secret|password|passwd)$/i;

function maskedArgv(argv: string[]): string[] {
  return argv.map((arg, i) => {
    const eq = arg.indexOf('=');
    if (arg.startsWith('-') && eq > 0 && SECRET_OPTION.test(arg.slice(0, eq))) return `${arg.slice(0, eq)}=***`;
    return i > 0 && SECRET_OPTION.test(argv[i - 1]) ? '***' : arg;
  });
}

function restart(p: SeenProcess, value: string): string[] {
  const command = maskedArgv(p.argv).map((a) => (/^[\w@%+=:,./*-]+$/.test(a) ? a : shellQuote(a))).join(' ');
  return [`kill ${p.pid}`, `then start it again as: ${exports(value)} ${command}`];
}

function remedyFor(p: SeenProcess, value: string, container: string | null): string[] {
  if (container) {
    return [`a running container keeps its environment: recreate container ${container} with -e NO_PROXY=${shellQuote(value)} -e no_proxy=${shellQuote(value)} (docker run copies proxies from ~/.docker/config.json: fix-noproxy adds noProxy there)`];
  }
  switch (p.kind) {
    case 'tmux': {
      const tmux = tmuxCommand(p.argv, p.env ?? {}, p.uid);
      return [
        ...['NO_PROXY', 'no_proxy'].map((name) => `${tmux.join(' ')} set-environment -g ${name} ${shellQuote(value)}`),
        'new windows and panes get it (fix-noproxy --yes does this); in shells already open run the two export lines of the quick fix',
      ];
    }
    case 'screen': {
      // screen finds the session's socket in the SCREENDIR the server was started with.
      const screen = p.env?.SCREENDIR ? `SCREENDIR=${shellQuote(p.env.SCREENDIR)} screen` : 'screen';
      return [
        ...['NO_PROXY', 'no_proxy'].map((name) => `${screen} -S ${p.pid} -X setenv ${name} ${shellQuote(value)}`),
        'new screen windows get it; in windows already open run the two export lines of the quick fix',
      ];
    }
    case 'jupyter-server':
      return ['its kernels inherit its environment: stop it and start it from a terminal that has the fix', ...restart(p, value)];
    case 'jupyter-kernel':
      return [`in the notebook, before creating the client: %env NO_PROXY=${value} and %env no_proxy=${value}`, 'or restart the Jupyter server from a terminal that has the fix (restarting only the kernel keeps the server\'s environment)'];
    case 'vscode-server':
      return ['VS Code Remote keeps the environment of the login that started its server: run "Remote-SSH: Kill VS Code Server on Host" from the command palette (or kill ' + p.pid + '), then reconnect'];
    default:
      return restart(p, value);
  }
}

function decide(p: SeenProcess, url: string): {outcome: ProcessVerdict['outcome']; deciding?: Prediction} {
  if (!p.env || STACKS[p.kind].length === 0) return {outcome: null};
  const predictions = STACKS[p.kind].map((client) => predict(client, url, p.env!));
  const deciding = predictions.find((x) => x.outcome !== 'direct');
  return deciding ? {outcome: 'not-direct', deciding} : {outcome: 'direct'};
}

export function judgeProcesses(processes: SeenProcess[], url: string, me: {uid: number; env: Env}, procRoot = '/proc'): ProcessVerdict[] {
  // Run inside a container itself, this sees the processes beside it as local ones.
  const ownContainer = containerOf('self');
  return processes.map((p) => {
    const sameHome = !p.env?.HOME || p.env.HOME === me.env.HOME;
    const yours = p.uid === me.uid && sameHome;
    const owner = p.uid !== me.uid ? `another user's: uid ${p.uid}` : sameHome ? 'yours' : `yours, but HOME=${p.env!.HOME}: not counted`;
    const {outcome, deciding} = decide(p, url);
    const value = mergeEnvNoProxy([p.env ?? {}], [url]).value;
    const container = containerOf(p.pid, procRoot);
    const remedy = outcome === 'not-direct' ? remedyFor(p, value, container !== ownContainer ? container : null) : [];
    return {process: p, yours, owner, outcome, ...(deciding ? {deciding} : {}), remedy};
  });
}

function outcomeText(v: ProcessVerdict): string {
  const p = v.process;
  if (!p.env) return `unreadable: ${p.unreadable}`;
  if (p.kind === 'dockerd') {
    const proxy = p.env.HTTPS_PROXY ?? p.env.https_proxy ?? p.env.HTTP_PROXY ?? p.env.http_proxy;
    return `the daemon's proxy (${proxy ?? 'none'}) is used for image pulls only; containers get theirs from ~/.docker/config.json or -e`;
  }
  const subject = p.role === 'holder' ? 'what it starts from now on goes' : p.role === 'server' ? 'its own requests go' : 'its requests go';
  if (v.outcome === 'direct') return `${subject} directly`;
  const d = v.deciding!;
  return `${subject} ${d.outcome === 'via' ? `via ${d.proxy}` : 'nowhere: they fail'} (${d.client}: ${d.rule})`;
}

export interface ProcessesReport {
  lines: string[];
  /** Some process of this user will not reach the URL directly (a client or an environment holder). */
  problem: boolean;
}

export function processesReport(verdicts: ProcessVerdict[], url: string): ProcessesReport {
  const lines = [`running processes that matter for ${url}:`];
  if (verdicts.length === 0) lines.push('  none found (model servers, their clients, tmux/screen/Jupyter/VS Code servers, dockerd)');
  for (const v of verdicts) {
    const p = v.process;
    lines.push(`  PID ${p.pid}  ${p.label} (${p.role}, ${v.owner}): ${outcomeText(v)}`);
    for (const step of v.remedy) lines.push(`    fix: ${step}`);
  }
  const needing = verdicts.filter((v) => v.yours && v.outcome === 'not-direct' && v.process.role !== 'server');
  lines.push(needing.length === 0
    ? 'no process of yours will send requests for it to a proxy'
    : `${needing.length} process(es) of yours will not reach it directly: ${needing.map((v) => `${v.process.label} ${v.process.pid}`).join(', ')}`);
  return {lines: lines.map((line) => redact(line)), problem: needing.length > 0};
}

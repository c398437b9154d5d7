// What one node's --json report says about the node, for the cluster table (table.mts): who ran
// it, which shell and startup file, the proxy variables (redacted), and which clients would send
// local and node-to-node traffic through a proxy before and after the NO_PROXY the run writes.
import * as os from 'node:os';
import * as path from 'node:path';
import type {Env} from '../io/index.mts';
import {proxyVariables, type ClientId, type PredictOptions, predictAll, redactValue} from '../proxy/index.mts';
import {rcTarget, readBlock} from '../startup-file/index.mts';
import {type ClusterSpec, clusterUrl} from './no-proxy.mts';

export interface TrafficFacts {
  url: string;
  /** Clients that do not connect directly with this environment's variables. */
  now: ClientId[];
  /** The same once the NO_PROXY value the runbook writes (or would write) is set. */
  withFix: ClientId[];
}

export interface NodeFacts {
  host: string;
  user: string;
  home: string | null;
  shell: string;
  /** The block before and after the run: `changed` is the run's (a block written or removed). */
  startupFile: {file: string | null; block: BlockState; before: BlockState; changed: boolean};
  proxyVariables: {name: string; value: string}[];
  /** The NO_PROXY value the run writes (or, with --check, would write). */
  noProxy: string | null;
  local: TrafficFacts | null;
  cluster: TrafficFacts | null;
}

export type BlockState = 'present' | 'absent' | 'unknown';

export interface NodeFactsInput {
  env: Env;
  /** The run's parameter values (`url`, and the no-proxy-merge parameter's `no_proxy`). */
  values: Record<string, string>;
  cluster: ClusterSpec;
  rc: string | null;
  /** The startup-file block ids the runbook writes (`fix-noproxy-persist`). */
  blockIds: string[];
  /** The client releases installed here (src/netcheck's detectInstalled). */
  installed: PredictOptions;
}

function proxied(url: string, env: Env, installed: PredictOptions): ClientId[] {
  return predictAll(url, env, installed).filter((p) => p.outcome !== 'direct').map((p) => p.client);
}

/** The block's text (null: none), or undefined when the file cannot be read. */
function blockText(file: string | null, ids: string[]): string | null | undefined {
  if (file === null || ids.length === 0) return undefined;
  try {
    return ids.map((id) => readBlock(file, id)?.body).filter((b) => b !== undefined).join('\n') || null;
  } catch {
    return undefined;
  }
}

function state(text: string | null | undefined): BlockState {
  return text === undefined ? 'unknown' : text === null ? 'absent' : 'present';
}

function startupFileOf(env: Env, rc: string | null): string | null {
  try {
    return rcTarget(env, rc).file;
  } catch {
    return null; // no HOME and no --rc: the row says unknown
  }
}

/** Call before the run (it reads the startup file's block as it was); the function it returns
 *  makes the facts after the run. */
export function startNodeFacts(env: Env, rc: string | null, blockIds: string[]): (input: NodeFactsInput) => NodeFacts {
  const before = blockText(startupFileOf(env, rc), blockIds);
  return (input) => nodeFacts(input, before);
}

function nodeFacts(input: NodeFactsInput, blockBefore: string | null | undefined): NodeFacts {
  const {env, values} = input;
  const file = startupFileOf(env, input.rc);
  const blockAfter = blockText(file, input.blockIds);
  const noProxy = values.no_proxy ?? null;
  const fixed: Env = noProxy === null ? env : {...env, no_proxy: noProxy, NO_PROXY: noProxy};
  const {installed} = input;
  const traffic = (url: string | null): TrafficFacts | null =>
    url === null ? null : {url, now: proxied(url, env, installed), withFix: proxied(url, fixed, installed)};
  const localUrl = values.url ?? null;
  return {
    host: os.hostname(),
    user: os.userInfo().username,
    home: env.HOME ?? null,
    shell: path.basename(env.SHELL ?? '') || 'unknown',
    startupFile: {file, block: state(blockAfter), before: state(blockBefore), changed: blockAfter !== blockBefore},
    // A whole value: its userinfo runs to its last `@`, blanks and all (free text would end it at a blank).
    proxyVariables: proxyVariables(env).map(({name, value}) => ({name, value: redactValue(value)})),
    noProxy,
    local: traffic(localUrl),
    cluster: traffic(localUrl === null ? null : clusterUrl(localUrl, input.cluster)),
  };
}

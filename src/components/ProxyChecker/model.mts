// What the proxy checker shows, as one pure function of the two fields: the parsed variables, the
// lines that were ignored, each client's prediction (src/proxy, the same predictAll that
// `runbook-netcheck clients` prints), the NO_PROXY lines to add and the predictions with them
// applied. The component only renders this; tests compare it with the real CLI.
import {mergeEnvNoProxy} from '../../proxy/merge-no-proxy.mts';
import {parseEnvText, parseUrlText, shellQuote, type IgnoredLine, type PastedUrl} from '../../proxy/pasted.mts';
import {CLIENTS, predictAll, type ClientId, type Installed, type Outcome} from '../../proxy/predict.mts';
import {proxySecrets, redact, redactValue} from '../../proxy/redact.mts';

export interface CheckerInput {
  envText: string;
  urlText: string;
  /** The reader's client versions and extras; absent ones get the newest known rule. */
  installed?: Installed;
}

export interface Row {
  client: ClientId;
  /** The client's name as `runbook-netcheck clients` prints it. */
  name: string;
  outcome: Outcome;
  /** The proxy the request goes to, credentials redacted (only for `via`). */
  proxy?: string;
  /** What decided it, in src/proxy's words (English, as the CLI prints it). */
  rule: string;
  /** The release the rule describes (`requests 2.34 (version not detected: newest known rule)`). */
  assumes?: string;
}

export type GroupId = 'evalscope' | 'lm-eval' | 'python' | 'command-line' | 'node' | 'go' | 'java';

/** Clients by what the reader runs; every client is in exactly one group. */
export const GROUPS: readonly {id: GroupId; clients: readonly ClientId[]}[] = [
  {id: 'evalscope', clients: ['httpx', 'httpx2', 'aiohttp-trust-env']},
  {id: 'lm-eval', clients: ['requests', 'aiohttp']},
  {id: 'python', clients: ['urllib']},
  {id: 'command-line', clients: ['curl', 'git', 'wget']},
  {id: 'node', clients: ['node-fetch', 'undici-env']},
  {id: 'go', clients: ['go']},
  {id: 'java', clients: ['java']},
];

export interface Fix {
  /** The NO_PROXY value: the user's entries, the loopback four, the target's host. */
  value: string;
  dropped: {entry: string; reason: string}[];
  /** Two lines for ~/.bashrc or ~/.zshrc. */
  bash: string;
  /** The same for ~/.config/fish/config.fish. */
  fish: string;
}

export interface CheckerModel {
  url: PastedUrl;
  /** The proxy variables found, values redacted. */
  variables: {name: string; value: string}[];
  ignored: IgnoredLine[];
  /** Empty when the URL is not usable. */
  rows: Row[];
  fix: Fix;
  /** The rows again with the fix applied. */
  after: Row[];
  /** The URL's host is 0.0.0.0, a listening address rather than a destination. */
  listenAddress: boolean;
}

const NAMES = new Map(CLIENTS.map((client) => [client.id, client.name]));

export function predictRows(url: string, env: Record<string, string>, installed: Installed = {}): Row[] {
  return predictAll(url, env, installed).map(({client, outcome, proxy, rule, assumes}) => ({
    client,
    name: NAMES.get(client)!,
    outcome,
    ...(proxy === undefined ? {} : {proxy}),
    rule,
    ...(assumes === undefined ? {} : {assumes}),
  }));
}

/** Double quotes as the guide writes them when nothing in the value needs escaping. */
function quoted(value: string, single: (value: string) => string): string {
  return /^[\w.,:/*@%+-]*$/.test(value) ? `"${value}"` : single(value);
}

const fishQuote = (value: string) => `'${value.replace(/[\\']/g, '\\$&')}'`;

export function fixLines(value: string): {bash: string; fish: string} {
  const names = ['no_proxy', 'NO_PROXY'];
  return {
    bash: names.map((name) => `export ${name}=${quoted(value, shellQuote)}`).join('\n'),
    fish: names.map((name) => `set -gx ${name} ${quoted(value, fishQuote)}`).join('\n'),
  };
}

/** Pasted text as the field shows it: every password of the variables it sets replaced by `***`
 *  (no client decides by them, and a screenshot of the page then shows none). */
export function redactPaste(text: string): string {
  return redact(text, proxySecrets(parseEnvText(text).env));
}

export function checkerModel({envText, urlText, installed}: CheckerInput): CheckerModel {
  const {env, ignored} = parseEnvText(envText);
  const url = parseUrlText(urlText);
  const merge = mergeEnvNoProxy([env], url.ok ? [url.url] : []);
  const fixed = {...env, no_proxy: merge.value, NO_PROXY: merge.value};
  const secrets = proxySecrets(env);
  return {
    url,
    variables: Object.entries(env).map(([name, value]) => ({name, value: redactValue(value)})),
    ignored: ignored.map((line) => ({...line, text: redact(line.text, secrets)})),
    rows: url.ok ? predictRows(url.url, env, installed) : [],
    fix: {value: merge.value, dropped: merge.dropped, ...fixLines(merge.value)},
    after: url.ok ? predictRows(url.url, fixed, installed) : [],
    listenAddress: url.ok && new URL(url.url).hostname === '0.0.0.0',
  };
}

// For a target URL and an environment: what each HTTP client family does with the request.
// The models follow each client's source and are checked against the real clients by
// tests/proxy/clients-matrix.stack.test.mts; the versions they describe are in VERSIONS.
import {proxySecrets, redact} from './redact.mts';
import {type Decision} from './decision.mts';
import {type Env} from './env.mts';
import {curl, git} from './clients/curl.mts';
import {go} from './clients/go.mts';
import {type HttpxGeneration, httpx, httpxGenerationOf} from './clients/httpx.mts';
import {java} from './clients/java.mts';
import {nodeFetch, undiciEnvAgent} from './clients/node.mts';
import {aiohttp, requests, urllib} from './clients/python.mts';
import {wget} from './clients/wget.mts';
import {parseTarget, type Target} from './target.mts';
import {type Installed, type VersionedPackage, assumption, NEWEST_KNOWN as NEWEST} from './versions.mts';

export type {Decision, MissingExtra, Outcome} from './decision.mts';
export type {Env} from './env.mts';
export type {HttpxGeneration} from './clients/httpx.mts';
export type {Installed, VersionedPackage} from './versions.mts';
export {NEWEST_KNOWN} from './versions.mts';

export type ClientId =
  | 'curl' | 'git' | 'wget' | 'urllib' | 'requests' | 'httpx' | 'httpx2' | 'aiohttp' | 'aiohttp-trust-env'
  | 'node-fetch' | 'undici-env' | 'go' | 'java';

export interface ClientInfo {
  id: ClientId;
  name: string;
  /** Tools people run that make their requests through this client. */
  usedBy: string[];
}

export const CLIENTS: readonly ClientInfo[] = [
  {id: 'curl', name: 'curl / libcurl', usedBy: ['curl', 'PHP curl', 'R httr/curl']},
  {id: 'git', name: 'git (libcurl)', usedBy: ['git clone / fetch over http(s)', 'pip install git+https://…']},
  {id: 'wget', name: 'GNU Wget', usedBy: ['wget', 'model download scripts']},
  {id: 'urllib', name: 'Python urllib', usedBy: ['urllib.request.urlopen', 'torch.hub', 'scripts without dependencies']},
  {id: 'requests', name: 'Python requests', usedBy: ['pip', 'huggingface_hub < 1.0', 'lm-eval local-completions with num_concurrent=1', 'modelscope']},
  {id: 'httpx', name: 'Python httpx', usedBy: ['openai Python SDK 1.x/2.x', 'EvalScope service evaluation', 'huggingface_hub ≥ 1.0', 'litellm']},
  {id: 'httpx2', name: 'Python httpx2', usedBy: ['openai Python SDK 3.x']},
  {id: 'aiohttp', name: 'Python aiohttp (default)', usedBy: ['lm-eval local-completions with num_concurrent>1']},
  {id: 'aiohttp-trust-env', name: 'Python aiohttp (trust_env=True)', usedBy: ['evalscope perf (≥ 1.1.1)']},
  {id: 'node-fetch', name: 'Node fetch (default)', usedBy: ['Node scripts', 'openai Node SDK']},
  {id: 'undici-env', name: 'undici EnvHttpProxyAgent', usedBy: ['Node scripts that set an EnvHttpProxyAgent dispatcher']},
  {id: 'go', name: 'Go net/http', usedBy: ['Go services and CLIs', 'ollama CLI']},
  {id: 'java', name: 'Java (HttpURLConnection / HttpClient)', usedBy: ['JVM services']},
];

/** The client versions the models were checked against, on the test machine and beyond it. */
/** The releases each model was checked against, in words; the newest of each is NEWEST_KNOWN's. */
export const VERSIONS: Record<ClientId, string> = {
  'curl': `curl 7.86–${NEWEST.curl} (blank-separated entries before 8.9; IPv6 CIDR from 8.18)`,
  'git': 'git 2.39 with libcurl 7.88 (libcurl\'s NO_PROXY rules, as curl)',
  'wget': 'GNU Wget 1.21',
  'urllib': 'CPython 3.11',
  'requests': `requests 2.28 and ${NEWEST.requests} (dot boundary from 2.34)`,
  'httpx': `httpx 0.23.3 (model '0.23') and ${NEWEST.httpx}.1 (model '0.28', the default)`,
  'httpx2': `httpx2 ${NEWEST.httpx2}`,
  'aiohttp': `aiohttp 3.8 and ${NEWEST.aiohttp}`,
  'aiohttp-trust-env': `aiohttp 3.8 and ${NEWEST.aiohttp}`,
  'node-fetch': 'Node 20',
  'undici-env': `undici 7.22–${NEWEST.undici}`,
  'go': `Go ${NEWEST.go}`,
  'java': 'OpenJDK 17',
};

export interface PredictOptions extends Installed {
  /** Which httpx to model: '0.28' (httpx 0.24 and later) or '0.23' (and older). Default: from
   *  `versions.httpx`, else '0.28'. */
  httpx?: HttpxGeneration;
}

export interface Prediction extends Decision {
  client: ClientId;
}

function httpxGeneration(options: PredictOptions): HttpxGeneration {
  if (options.httpx) return options.httpx;
  const version = options.versions?.httpx;
  return version ? httpxGenerationOf(version) : '0.28';
}

const MODELS: Record<ClientId, (target: Target, env: Env, options: PredictOptions) => Decision> = {
  'curl': curl,
  'git': git,
  'wget': wget,
  'urllib': urllib,
  'requests': requests,
  'httpx': (target, env, options) => httpx(target, env, httpxGeneration(options), options),
  'httpx2': (target, env, options) => httpx(target, env, 'httpx2', options),
  'aiohttp': (target, env) => aiohttp(target, env, false),
  'aiohttp-trust-env': (target, env) => aiohttp(target, env, true),
  'node-fetch': nodeFetch,
  'undici-env': undiciEnvAgent,
  'go': go,
  'java': java,
};

/** The package whose release decides a client's rules (libcurl's for git). */
export const RULES_FROM: Partial<Record<ClientId, VersionedPackage>> = {
  'curl': 'curl', 'git': 'curl', 'requests': 'requests', 'httpx': 'httpx', 'httpx2': 'httpx2',
  'aiohttp-trust-env': 'aiohttp', 'undici-env': 'undici', 'go': 'go',
};

function run(client: ClientId, target: Target, env: Env, options: PredictOptions): Prediction {
  const decision = MODELS[client](target, env, options);
  // Rules quote variables in sentences, where a password with blanks or quotes has no visible end.
  decision.rule = redact(decision.rule, proxySecrets(env));
  const pkg = RULES_FROM[client];
  const assumes = pkg === 'httpx' && options.httpx && !options.versions?.httpx ? `httpx ${options.httpx === '0.23' ? '0.23' : '0.24+'} (as asked)` : pkg && assumption(options, pkg);
  return {client, ...decision, ...(assumes ? {assumes} : {})};
}

export function predict(client: ClientId, url: string, env: Env, options: PredictOptions = {}): Prediction {
  if (!MODELS[client]) throw new Error(`unknown client "${client}"; known: ${CLIENTS.map((c) => c.id).join(', ')}`);
  return run(client, parseTarget(url), env, options);
}

export function predictAll(url: string, env: Env, options: PredictOptions = {}): Prediction[] {
  const target = parseTarget(url);
  return CLIENTS.map(({id}) => run(id, target, env, options));
}

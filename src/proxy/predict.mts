// For a target URL and an environment: what each HTTP client family does with the request.
// The models follow each client's source and are checked against the real clients by
// tests/proxy/clients-matrix.test.mts; the versions they describe are in VERSIONS.
import {type Decision} from './decision.mts';
import {type Env} from './env.mts';
import {curl, git} from './clients/curl.mts';
import {go} from './clients/go.mts';
import {type HttpxGeneration, httpx} from './clients/httpx.mts';
import {java} from './clients/java.mts';
import {nodeFetch, undiciEnvAgent} from './clients/node.mts';
import {aiohttp, requests, urllib} from './clients/python.mts';
import {wget} from './clients/wget.mts';
import {parseTarget, type Target} from './target.mts';

export type {Decision, Outcome} from './decision.mts';
export type {Env} from './env.mts';
export type {HttpxGeneration} from './clients/httpx.mts';

export type ClientId =
  | 'curl' | 'git' | 'wget' | 'urllib' | 'requests' | 'httpx' | 'aiohttp' | 'aiohttp-trust-env'
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
  {id: 'httpx', name: 'Python httpx', usedBy: ['openai Python SDK', 'EvalScope service evaluation', 'huggingface_hub ≥ 1.0', 'litellm']},
  {id: 'aiohttp', name: 'Python aiohttp (default)', usedBy: ['lm-eval local-completions with num_concurrent>1']},
  {id: 'aiohttp-trust-env', name: 'Python aiohttp (trust_env=True)', usedBy: ['evalscope perf (≥ 1.1.1)']},
  {id: 'node-fetch', name: 'Node fetch (default)', usedBy: ['Node scripts', 'openai Node SDK']},
  {id: 'undici-env', name: 'undici EnvHttpProxyAgent', usedBy: ['Node scripts that set an EnvHttpProxyAgent dispatcher']},
  {id: 'go', name: 'Go net/http', usedBy: ['Go services and CLIs', 'ollama CLI']},
  {id: 'java', name: 'Java (HttpURLConnection / HttpClient)', usedBy: ['JVM services']},
];

/** The client versions the models were checked against, on the test machine and beyond it. */
export const VERSIONS: Record<ClientId, string> = {
  'curl': 'curl 7.86–8.17 (IPv4 CIDR; IPv6 entries by string)',
  'git': 'git 2.39 with libcurl 7.88',
  'wget': 'GNU Wget 1.21',
  'urllib': 'CPython 3.11',
  'requests': 'requests 2.28',
  'httpx': 'httpx 0.23.3 (model \'0.23\') and 0.28.1 (model \'0.28\', the default)',
  'aiohttp': 'aiohttp 3.8',
  'aiohttp-trust-env': 'aiohttp 3.8',
  'node-fetch': 'Node 20',
  'undici-env': 'undici 7.22+',
  'go': 'Go 1.19',
  'java': 'OpenJDK 17',
};

export interface PredictOptions {
  /** Which httpx to model: '0.28' (the default: httpx 0.24 and later) or '0.23' (and older). */
  httpx?: HttpxGeneration;
}

export interface Prediction extends Decision {
  client: ClientId;
}

const MODELS: Record<ClientId, (target: Target, env: Env, options: PredictOptions) => Decision> = {
  'curl': curl,
  'git': git,
  'wget': wget,
  'urllib': urllib,
  'requests': requests,
  'httpx': (target, env, options) => httpx(target, env, options.httpx ?? '0.28'),
  'aiohttp': (target, env) => aiohttp(target, env, false),
  'aiohttp-trust-env': (target, env) => aiohttp(target, env, true),
  'node-fetch': nodeFetch,
  'undici-env': undiciEnvAgent,
  'go': go,
  'java': java,
};

export function predict(client: ClientId, url: string, env: Env, options: PredictOptions = {}): Prediction {
  const model = MODELS[client];
  if (!model) throw new Error(`unknown client "${client}"; known: ${CLIENTS.map((c) => c.id).join(', ')}`);
  return {client, ...model(parseTarget(url), env, options)};
}

export function predictAll(url: string, env: Env, options: PredictOptions = {}): Prediction[] {
  const target = parseTarget(url);
  return CLIENTS.map(({id}) => ({client: id, ...MODELS[id](target, env, options)}));
}

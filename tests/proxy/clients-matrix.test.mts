// Every prediction of src/proxy/predict.mts against what the real clients on this machine do:
// each client × environment × target host runs for real, through two recording proxies and a
// recording origin, and the observed outcome (proxied by which proxy / direct / failed) must equal
// the prediction.
import {execFile, spawnSync} from 'node:child_process';
import * as fs from 'node:fs';
import {createRequire} from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {type ClientId, type Env, type PredictOptions, CLIENTS, VERSIONS, predict} from '../../src/proxy/predict.mts';
import {redact} from '../../src/proxy/redact.mts';
import {type Recorder, startRecorder} from './recorder.mts';

const HARNESS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'harness');
const PYTHON = '/usr/bin/python3';
const UNRESOLVABLE = 'svc.internal.test';
const RECOMMENDED = 'localhost,127.0.0.1,::1,0.0.0.0';

interface Ports {
  /** Proxy URLs: A plain, B with credentials (which must never show unredacted). */
  A: string;
  B: string;
  port: number;
  port6: number;
}

const both = (p: Ports, extra: Env = {}): Env => ({http_proxy: p.A, HTTP_PROXY: p.A, ...extra});
const noProxy = (value: string) => (p: Ports) => both(p, {no_proxy: value});

const ENVIRONMENTS: [string, (p: Ports) => Env][] = [
  ['lowercase http_proxy', (p) => ({http_proxy: p.A})],
  ['uppercase HTTP_PROXY', (p) => ({HTTP_PROXY: p.A})],
  ['both cases, different proxies', (p) => ({http_proxy: p.A, HTTP_PROXY: p.B})],
  ['all_proxy', (p) => ({all_proxy: p.A})],
  ['ALL_PROXY', (p) => ({ALL_PROXY: p.B})],
  ['empty http_proxy beside HTTP_PROXY', (p) => ({http_proxy: '', HTTP_PROXY: p.A})],
  ['empty http_proxy beside all_proxy', (p) => ({http_proxy: '', all_proxy: p.A})],
  ['empty all_proxy beside ALL_PROXY', (p) => ({all_proxy: '', ALL_PROXY: p.B})],
  ['recommended value, both cases', (p) => both(p, {no_proxy: RECOMMENDED, NO_PROXY: RECOMMENDED})],
  ['NO_PROXY uppercase only', (p) => both(p, {NO_PROXY: RECOMMENDED})],
  ['empty no_proxy beside NO_PROXY', (p) => both(p, {no_proxy: '', NO_PROXY: RECOMMENDED})],
  ['no_proxy=*', noProxy('*')],
  ['* inside a list', noProxy('example.com,*')],
  ['leading dots', noProxy('.internal.test,.localhost')],
  ['leading dot on the exact name', noProxy(`.${UNRESOLVABLE}`)],
  ['parent domain', noProxy('internal.test')],
  ['suffix without a dot boundary', noProxy('ternal.test')],
  ['IPv4 CIDR', noProxy('127.0.0.0/8')],
  ['host:port entries, right port', (p) => both(p, {no_proxy: `127.0.0.1:${p.port},localhost:${p.port},${UNRESOLVABLE}:${p.port},[::1]:${p.port6},0.0.0.0:${p.port}`})],
  ['host:port entries, wrong port', noProxy(`127.0.0.1:1,localhost:1,${UNRESOLVABLE}:1`)],
  ['[::1]', noProxy('[::1]')],
  ['::1', noProxy('::1')],
  ['0.0.0.0', noProxy('0.0.0.0')],
  ['localhost', noProxy('localhost')],
  ['IPv6 CIDR', noProxy('::1/128,fe80::/10')],
  ['blanks after commas', noProxy(`example.com, ${UNRESOLVABLE}, 127.0.0.1`)],
  ['CGI: REQUEST_METHOD set', (p) => ({REQUEST_METHOD: 'GET', HTTP_PROXY: p.A})],
  ['proxy without a scheme (host:port)', (p) => ({http_proxy: p.A.replace('http://', ''), HTTP_PROXY: p.A.replace('http://', '')})],
];

// A JVM start costs a second of CPU and Java reads no variable at all: a few environments, each
// setting proxies in another way, show that as well as all of them would.
const JAVA_ENVIRONMENTS = new Set(['lowercase http_proxy', 'uppercase HTTP_PROXY', 'ALL_PROXY', 'IPv4 CIDR', 'CGI: REQUEST_METHOD set']);
const runsIn = (client: ClientId, c: Case) => client !== 'java' || JAVA_ENVIRONMENTS.has(c.environment);

const TARGETS = (p: Ports) => [`127.0.0.1:${p.port}`, `localhost:${p.port}`, `[::1]:${p.port6}`, `0.0.0.0:${p.port}`, `${UNRESOLVABLE}:${p.port}`];

interface Case {
  id: string;
  environment: string;
  label: string;
  env: Env;
  /** With CLIENT where the client's name goes. */
  url: string;
}

interface Observation {
  client: ClientId;
  id: string;
  body?: string;
  stage?: string;
  error?: string;
}

// ---- which real clients this machine has --------------------------------------------------

const has = (command: string, args: string[]) => spawnSync(command, args, {stdio: 'ignore'}).status === 0;
const pythonHas = (module: string) => has(PYTHON, ['-c', `import ${module}`]);
const undiciPath = (() => {
  try {
    return createRequire(import.meta.url).resolve('undici');
  } catch {
    return undefined;
  }
})();
const MISSING: Partial<Record<ClientId, string>> = {};
const need = (client: ClientId, ok: boolean, reason: string) => {
  if (!ok) MISSING[client] = reason;
};
need('curl', has('curl', ['--version']), 'curl is not installed');
need('git', has('git', ['--version']), 'git is not installed');
need('wget', has('wget', ['--version']), 'wget is not installed');
need('urllib', has(PYTHON, ['--version']), `${PYTHON} is missing`);
need('requests', pythonHas('requests'), `${PYTHON} has no requests`);
need('httpx', pythonHas('httpx'), `${PYTHON} has no httpx`);
need('aiohttp', pythonHas('aiohttp'), `${PYTHON} has no aiohttp`);
need('aiohttp-trust-env', pythonHas('aiohttp'), `${PYTHON} has no aiohttp`);
need('undici-env', undiciPath !== undefined, 'the undici package is not installed');
need('go', has('go', ['version']), 'go is not installed');
need('java', has('javac', ['-version']) && has('java', ['-version']), 'no JDK (java and javac)');

// A second httpx (e.g. `pip install --target DIR httpx==0.28.1`) checked beside the system one.
const EXTRA_HTTPX = process.env.MATRIX_HTTPX_PYTHONPATH;

const httpxSeen = new Map<string, PredictOptions & {version: string}>();

/** The httpx version a PYTHONPATH gives, and the generation of the model that goes with it. */
function httpxOptions(pythonPath = ''): PredictOptions & {version: string} {
  if (!httpxSeen.has(pythonPath)) httpxSeen.set(pythonPath, detectHttpx(pythonPath));
  return httpxSeen.get(pythonPath)!;
}

function detectHttpx(pythonPath: string): PredictOptions & {version: string} {
  const env = pythonPath ? {...process.env, PYTHONPATH: pythonPath} : process.env;
  const version = spawnSync(PYTHON, ['-c', 'import httpx; print(httpx.__version__)'], {encoding: 'utf8', env}).stdout.trim();
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return {version, httpx: major === 0 && minor < 24 ? '0.23' : '0.28'};
}

// ---- running the clients --------------------------------------------------------------------

let work: string;
let baseEnv: Env;
let proxyA: Recorder;
let proxyB: Recorder;
let origin: Recorder;
/** Listening on ::1, when the machine has IPv6 loopback (else the [::1] target is left out). */
let origin6: Recorder | undefined;
let ports: Ports;
let cases: Case[];
const observations = new Map<string, Observation>();
const key = (client: string, id: string) => `${client}/${id}`;

function run(command: string, args: string[], env: Env, input?: string): Promise<{stdout: string; stderr: string; code: number}> {
  return new Promise((resolve) => {
    const child = execFile(command, args, {env: {...baseEnv, ...env}, timeout: 60_000, maxBuffer: 16 << 20}, (error, stdout, stderr) => {
      resolve({stdout, stderr, code: error ? Number(error.code ?? 1) || 1 : 0});
    });
    child.stdin?.end(input ?? '');
  });
}

/** Runs tasks with at most `limit` at a time (the machine has 2 cores). */
async function pool(tasks: (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({length: limit}, async () => {
    while (next < tasks.length) await tasks[next++]!();
  }));
}

function record(client: ClientId, id: string, body: string, failure?: string): void {
  observations.set(key(client, id), failure === undefined ? {client, id, body} : {client, id, stage: 'request', error: failure});
}

function commandLineTasks(): (() => Promise<void>)[] {
  const rc = path.join(work, 'empty-wgetrc');
  const commands: [ClientId, (url: string) => [string, string[]], Env][] = [
    ['curl', (url) => ['curl', ['-q', '-sS', '--max-time', '5', url]], {}],
    ['wget', (url) => ['wget', ['-nv', '-O', '-', '--tries=1', '--timeout=5', url]], {WGETRC: rc, SYSTEM_WGETRC: rc}],
    ['git', (url) => ['git', ['ls-remote', `${url}.git`]], {GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0'}],
  ];
  return commands.filter(([client]) => !MISSING[client]).flatMap(([client, argv, extra]) =>
    cases.map((c) => async () => {
      const [command, args] = argv(c.url.replace('CLIENT', client));
      const result = await run(command, args, {...c.env, ...extra});
      record(client, c.id, result.stdout, result.code === 0 ? undefined : `exit ${result.code}: ${result.stderr.trim()}`);
    }));
}

function readJsonLines(stdout: string, stderr: string): Observation[] {
  const lines = stdout.split('\n').filter((line) => line.trim() !== '');
  if (lines.length === 0) throw new Error(`harness printed nothing: ${stderr}`);
  return lines.map((line) => JSON.parse(line) as Observation);
}

function harnessTasks(): (() => Promise<void>)[] {
  // [clients, command, args, job fields, environment, tag the observations are filed under]
  const jobs: [ClientId[], string, string[], object, Env, string?][] = [];
  const script = [path.join(HARNESS, 'python_clients.py')];
  for (const client of ['urllib', 'requests', 'httpx', 'aiohttp', 'aiohttp-trust-env'] as const) {
    if (!MISSING[client]) jobs.push([[client], PYTHON, script, {}, {}]);
  }
  if (EXTRA_HTTPX) jobs.push([['httpx'], PYTHON, script, {}, {PYTHONPATH: EXTRA_HTTPX}, 'httpx-extra']);
  const nodeClients = (['node-fetch', 'undici-env'] as const).filter((c) => !MISSING[c]);
  jobs.push([nodeClients, process.execPath, [path.join(HARNESS, 'node_clients.mjs')], {undici: undiciPath}, {}]);
  return jobs.map(([clients, command, args, fields, env, tag]) => async () => {
    const jobCases = cases.map(({id, url, env: caseEnv}) => ({id, url: tag ? url.replace('CLIENT', tag) : url, env: caseEnv}));
    const {stdout, stderr} = await run(command, args, env, JSON.stringify({...fields, clients, cases: jobCases}));
    for (const o of readJsonLines(stdout, stderr)) observations.set(key(tag ?? o.client, o.id), o);
  });
}

/** Go and Java read their proxy settings once per process: one process per environment. */
async function perProcessTasks(): Promise<(() => Promise<void>)[]> {
  const runners: [ClientId, string, string[]][] = [];
  if (!MISSING.go) {
    const binary = path.join(work, 'go-client');
    const build = await run('go', ['build', '-o', binary, path.join(HARNESS, 'go_client.go')], {HOME: process.env.HOME ?? work});
    if (build.code !== 0) throw new Error(`go build failed: ${build.stderr}`);
    runners.push(['go', binary, []]);
  }
  if (!MISSING.java) {
    const compile = await run('javac', ['-d', work, path.join(HARNESS, 'JavaClient.java')], {});
    if (compile.code !== 0) throw new Error(`javac failed: ${compile.stderr}`);
    runners.push(['java', 'java', ['-Xshare:auto', '-XX:TieredStopAtLevel=1', '-cp', work, 'JavaClient']]);
  }
  const byEnvironment = new Map<string, Case[]>();
  for (const c of cases) byEnvironment.set(c.environment, [...(byEnvironment.get(c.environment) ?? []), c]);
  return runners.flatMap(([client, command, args]) =>
    [...byEnvironment.values()].filter((group) => runsIn(client, group[0]!)).map((group) => async () => {
      const urls = group.map((c) => c.url.replace('CLIENT', client));
      const {stdout, stderr} = await run(command, [...args, ...urls], group[0]!.env);
      const lines = readJsonLines(stdout, stderr) as (Observation & {url: string})[];
      for (const line of lines) {
        const c = group[urls.indexOf(line.url)]!;
        observations.set(key(client, c.id), {...line, client, id: c.id});
      }
    }));
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'proxy-matrix-'));
  fs.writeFileSync(path.join(work, 'empty-wgetrc'), '');
  // The clients see no proxy setting of ours: only what each case puts in.
  baseEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/_proxy$/i.test(name) && name !== 'REQUEST_METHOD' && name !== 'NODE_USE_ENV_PROXY'));
  baseEnv = {...baseEnv, HOME: work};
  [proxyA, proxyB, origin] = await Promise.all([startRecorder('127.0.0.1'), startRecorder('127.0.0.1'), startRecorder('127.0.0.1')]);
  origin6 = await startRecorder('::1', origin.port).catch(() => startRecorder('::1')).catch(() => undefined);
  ports = {A: `http://127.0.0.1:${proxyA.port}`, B: `http://user:secret@127.0.0.1:${proxyB.port}`, port: origin.port, port6: origin6?.port ?? origin.port};
  cases = ENVIRONMENTS.flatMap(([label, makeEnv], e) =>
    TARGETS(ports).filter((target) => origin6 || !target.startsWith('[')).map((target, t) => ({id: `e${e}t${t}`, environment: label, label: `${label} → ${target}`, env: makeEnv(ports), url: `http://${target}/obs/CLIENT/e${e}t${t}`})));
  await pool([...harnessTasks(), ...(await perProcessTasks()), ...commandLineTasks()], 4);
}, 180_000);

afterAll(async () => {
  await Promise.all([proxyA, proxyB, origin, origin6].map((server) => server?.close()));
  if (work) fs.rmSync(work, {recursive: true, force: true});
});

// ---- comparing ------------------------------------------------------------------------------

const DNS_HANG = /Client\.Timeout exceeded|context deadline exceeded|timed out|ETIMEDOUT|TimeoutError|The operation was aborted due to timeout/i;
const RESOLVE_ERROR = /Could not resolve host|unable to resolve host|Name or service not known|Temporary failure in name resolution|ENOTFOUND|EAI_AGAIN|no such host|UnknownHostException|getaddrinfo/i;

/** What the client did, from who saw its request: a proxy, the origin, or nobody. */
function observed(tag: string, c: Case): {outcome: string; proxy?: string; detail: string} {
  const o = observations.get(key(tag, c.id));
  if (proxyA.saw(tag, c.id)) return {outcome: 'via', proxy: redact(ports.A), detail: 'proxy A saw it'};
  if (proxyB.saw(tag, c.id)) return {outcome: 'via', proxy: redact(ports.B), detail: 'proxy B saw it'};
  if (origin.saw(tag, c.id) || origin6?.saw(tag, c.id)) return {outcome: 'direct', detail: 'the origin saw it'};
  if (!o) return {outcome: 'missing', detail: 'the harness reported nothing'};
  // Nobody saw it: a direct request to the name without DNS fails to resolve, anything else failed.
  // The recorders on loopback answer at once, so a client timeout on that name can only be a DNS
  // lookup that hung (the resolver here sometimes never answers): that request went direct too.
  const error = o.error ?? '';
  const resolving = c.url.includes(UNRESOLVABLE) && o.stage !== 'create' && (RESOLVE_ERROR.test(error) || DNS_HANG.test(error));
  return {outcome: resolving ? 'direct' : 'fails', detail: o.error ?? `body ${JSON.stringify(o.body)}`};
}

/** Every case for one client: the observed outcome (and proxy) must equal the prediction. */
function compare(client: ClientId, options: PredictOptions, tag: string = client): void {
  const mismatches: string[] = [];
  const outcomes = new Set<string>();
  for (const c of cases.filter((c) => runsIn(client, c))) {
    const seen = observed(tag, c);
    const predicted = predict(client, c.url.replace('CLIENT', tag), c.env, options);
    outcomes.add(seen.outcome);
    expect(JSON.stringify(predicted)).not.toContain('secret');
    if (seen.outcome !== predicted.outcome || (seen.outcome === 'via' && seen.proxy !== predicted.proxy)) {
      mismatches.push(`${c.label}: predicted ${predicted.outcome} ${predicted.proxy ?? ''} (${predicted.rule}), observed ${seen.outcome} ${seen.proxy ?? ''} (${seen.detail})`);
    }
  }
  expect(mismatches).toEqual([]);
  expect(outcomes.has('direct')).toBe(true);
  if (client !== 'java' && client !== 'node-fetch' && client !== 'aiohttp') expect(outcomes.has('via')).toBe(true);
}

describe('proxy semantics against the real clients on this machine', () => {
  for (const {id: client, name} of CLIENTS) {
    const skip = MISSING[client];
    const version = client === 'httpx' && !skip ? `httpx ${httpxOptions().version}` : VERSIONS[client];
    it.skipIf(skip !== undefined)(`${name} (${version})${skip ? ` — skipped: ${skip}` : ''}`, () => {
      compare(client, client === 'httpx' ? httpxOptions() : {});
    });
  }

  it.skipIf(!EXTRA_HTTPX)(`httpx from MATRIX_HTTPX_PYTHONPATH${EXTRA_HTTPX ? ` (httpx ${httpxOptions(EXTRA_HTTPX).version})` : ' — skipped: not set'}`, () => {
    compare('httpx', httpxOptions(EXTRA_HTTPX), 'httpx-extra');
  });
});

// Every prediction of src/proxy/predict.mts against what the real clients on this machine do:
// each client × environment × target host runs for real, through two recording proxies, a real
// SOCKS5 server (microsocks, whose connections come from 127.0.0.2) and a recording origin, and
// the observed outcome (proxied by which proxy / direct / failed) must equal the prediction made
// for the versions installed here.
import {spawn, spawnSync} from 'node:child_process';
import {sha256} from '../../src/io/hash.mts';
import * as fs from 'node:fs';
import {createRequire} from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {LIBCURL_VERSION, pythonModuleVersions} from '../../src/netcheck/installed.mts';
import {httpxGenerationOf} from '../../src/proxy/clients/httpx.mts';
import {type ClientId, type Env, type PredictOptions, type VersionedPackage, CLIENTS, VERSIONS, predict} from '../../src/proxy/predict.mts';
import {PROXY_VARIABLES} from '../../src/proxy/env.mts';
import {redact} from '../../src/proxy/redact.mts';
import {type SocksServer, startSocks} from '../../src/stack/socks.mts';
import {cachedBuild} from '../kit/build-cache.mts';
import {run as runProcess} from '../kit/processes.mts';
import {type Recorder, startRecorder} from './recorder.mts';

const HARNESS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'harness');
const PYTHON = '/usr/bin/python3';
const UNRESOLVABLE = 'svc.internal.test';
const RECOMMENDED = 'localhost,127.0.0.1,::1,0.0.0.0';

interface Ports {
  /** Proxy URLs: A plain, B with credentials (which must never show unredacted). */
  A: string;
  B: string;
  /** The SOCKS5 server as `127.0.0.1:PORT` (put a scheme in front). */
  socks: string;
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
  ['https:// proxy URL', (p) => ({http_proxy: p.A.replace('http://', 'https://'), HTTP_PROXY: p.A.replace('http://', 'https://')})],
  ['blank-separated no_proxy', noProxy(`example.com ${UNRESOLVABLE} 127.0.0.1 localhost`)],
];

// Through the real SOCKS5 server. microsocks speaks SOCKS5 only (a socks4:// case would fail for
// the server's sake, not the client's), and it connects from 127.0.0.2, which the origin sees: so
// only 127.0.0.1 (a name it cannot resolve, an IPv6 origin or 0.0.0.0 fail at the server).
const SOCKS_ENVIRONMENTS: [string, (p: Ports) => Env][] = [
  ['SOCKS: all_proxy=socks5://', (p) => ({all_proxy: `socks5://${p.socks}`})],
  ['SOCKS: ALL_PROXY=socks5h://', (p) => ({ALL_PROXY: `socks5h://${p.socks}`})],
  ['SOCKS: http_proxy and HTTP_PROXY socks5://', (p) => ({http_proxy: `socks5://${p.socks}`, HTTP_PROXY: `socks5://${p.socks}`})],
  ['SOCKS: http_proxy and HTTP_PROXY socks5h://', (p) => ({http_proxy: `socks5h://${p.socks}`, HTTP_PROXY: `socks5h://${p.socks}`})],
  ['SOCKS: all_proxy=socks5:// and the recommended NO_PROXY', (p) => ({all_proxy: `socks5://${p.socks}`, no_proxy: RECOMMENDED, NO_PROXY: RECOMMENDED})],
];
const SOCKS_TARGETS = (p: Ports) => [`127.0.0.1:${p.port}`]; // microsocks refuses 0.0.0.0 from 127.0.0.2
const SOCKS_SOURCE = '127.0.0.2';

// A JVM start costs a second of CPU and Java reads no variable at all: a few environments, each
// setting proxies in another way, show that as well as all of them would.
const JAVA_ENVIRONMENTS = new Set(['lowercase http_proxy', 'uppercase HTTP_PROXY', 'ALL_PROXY', 'IPv4 CIDR', 'CGI: REQUEST_METHOD set']);
// The recording proxies speak plain HTTP: a client that does use an https:// proxy fails the TLS
// handshake with them, which shows nothing. The case is there for aiohttp, which ignores it.
const ONLY_FOR: Record<string, ClientId[]> = {'https:// proxy URL': ['aiohttp', 'aiohttp-trust-env', 'node-fetch']};
const runsIn = (client: ClientId, c: Case) => (client !== 'java' || JAVA_ENVIRONMENTS.has(c.environment)) && (ONLY_FOR[c.environment]?.includes(client) ?? true);

const TARGETS = (p: Ports) => [`127.0.0.1:${p.port}`, `localhost:${p.port}`, `[::1]:${p.port6}`, `0.0.0.0:${p.port}`, `${UNRESOLVABLE}:${p.port}`];

interface Case {
  id: string;
  environment: string;
  label: string;
  env: Env;
  /** The SOCKS proxy URL the case's variables name, for requests the origin sees from SOCKS_SOURCE. */
  socks?: string;
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

/** Whether an executable of that name is on PATH (asking it for its version costs a process). */
const onPath = (command: string) => (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
  try {
    fs.accessSync(path.join(dir, command), fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
});
const undiciPath = (() => {
  try {
    return createRequire(import.meta.url).resolve('undici');
  } catch {
    return undefined;
  }
})();

// A second httpx (e.g. `pip install --target DIR httpx==0.28.1`) checked beside the system one.
const EXTRA_HTTPX = process.env.MATRIX_HTTPX_PYTHONPATH;

// Newer Python clients from the local wheel folder, each installed with `pip install --target`
// into a folder of MATRIX_PY_EXTRAS (as .ci/run does): openai2 (openai 2.x on httpx 0.28),
// openai3 (openai 3.x on httpx2), py-current (requests 2.34, aiohttp 3.14), pysocks (PySocks).
// No socksio wheel exists there, so httpx with socksio cannot be checked: its SOCKS `via` rule
// follows httpx's source.
const PY_EXTRAS = process.env.MATRIX_PY_EXTRAS;
const extraDir = (name: string) => (PY_EXTRAS && fs.existsSync(path.join(PY_EXTRAS, name)) ? path.join(PY_EXTRAS, name) : undefined);
const withPath = (dir: string | undefined, ...more: (string | undefined)[]) => (dir ? [dir, ...more].filter(Boolean).join(':') : undefined);
const currentPy = extraDir('py-current');
const openai2 = extraDir('openai2');
const openai3 = extraDir('openai3');
const pysocks = extraDir('pysocks');
const PYTHON_PATHS = ['', EXTRA_HTTPX, openai2, openai3, currentPy, withPath(currentPy, pysocks)].filter((dir): dir is string => dir !== undefined);

const PYTHON_LIBRARIES = ['requests', 'httpx', 'httpx2', 'aiohttp', 'openai', 'socks'] as const;
type PythonLibrary = (typeof PYTHON_LIBRARIES)[number];

/** The library versions each PYTHONPATH gives (`''`: the interpreter's own), read the way the
 *  netcheck reads them (src/netcheck/installed.mts): the harness reports what it really imported,
 *  and a test holds the two equal. */
const PYTHON_VERSIONS: Record<string, Partial<Record<PythonLibrary, string>>> | undefined = fs.existsSync(PYTHON)
  ? Object.fromEntries(await Promise.all(PYTHON_PATHS.map(async (dir) => {
    const {PYTHONPATH: _ignored, ...env} = process.env;
    const found = await pythonModuleVersions(PYTHON, dir ? {...env, PYTHONPATH: dir} : env, PYTHON_LIBRARIES);
    if (!found) throw new Error(`${PYTHON} could not read package versions (PYTHONPATH=${dir})`);
    return [dir, found] as const;
  })))
  : undefined;
/** `library`'s version under PYTHONPATH, or undefined. */
const pythonVersion = (library: PythonLibrary, pythonPath = ''): string | undefined => PYTHON_VERSIONS?.[pythonPath]?.[library];

const MISSING: Partial<Record<ClientId, string>> = {};
const need = (client: ClientId, ok: boolean, reason: string) => {
  if (!ok) MISSING[client] = reason;
};
need('curl', onPath('curl'), 'curl is not installed');
need('git', onPath('git'), 'git is not installed');
need('wget', onPath('wget'), 'wget is not installed');
need('urllib', PYTHON_VERSIONS !== undefined, `${PYTHON} is missing`);
need('requests', pythonVersion('requests') !== undefined, `${PYTHON} has no requests`);
need('httpx', pythonVersion('httpx') !== undefined, `${PYTHON} has no httpx`);
need('httpx2', false, 'httpx2 is checked by the httpx2 and openai3 columns below');
need('aiohttp', pythonVersion('aiohttp') !== undefined, `${PYTHON} has no aiohttp`);
need('aiohttp-trust-env', pythonVersion('aiohttp') !== undefined, `${PYTHON} has no aiohttp`);
need('undici-env', undiciPath !== undefined, 'the undici package is not installed');
need('go', onPath('go'), 'go is not installed');
need('java', onPath('javac') && onPath('java'), 'no JDK (java and javac)');

function firstMatch(command: string, args: string[], pattern: RegExp): string | undefined {
  const ran = spawnSync(command, args, {encoding: 'utf8'});
  return pattern.exec(`${ran.stdout ?? ''}${ran.stderr ?? ''}`)?.[1];
}

/** The versions installed here, which pick the rule each prediction applies. */
const INSTALLED: Partial<Record<VersionedPackage, string>> = Object.fromEntries(Object.entries({
  curl: MISSING.curl ? undefined : firstMatch('curl', ['--version'], LIBCURL_VERSION),
  requests: pythonVersion('requests'),
  httpx: pythonVersion('httpx'),
  aiohttp: pythonVersion('aiohttp'),
  undici: undiciPath ? JSON.parse(fs.readFileSync(path.join(path.dirname(undiciPath), 'package.json'), 'utf8')).version : undefined,
  go: MISSING.go ? undefined : firstMatch('go', ['version'], /go(\d+\.\d+(?:\.\d+)?)/),
}).filter(([, v]) => v !== undefined));

/** An extra column: a client under another PYTHONPATH, predicted with that folder's versions. */
interface ExtraColumn {
  tag: string;
  harnessClient: string;
  model: ClientId;
  pythonPath?: string;
  options: () => PredictOptions;
  label: () => string;
  missing?: string;
  /** Only these environments (the SDK costs a second per case to start): undefined = all. */
  environments?: string[];
}

// The openai SDK columns: the SOCKS cases, and a few that tell httpx generations apart.
const SDK_ENVIRONMENTS = ['lowercase http_proxy', 'recommended value, both cases', 'IPv6 CIDR', '[::1]', 'proxy without a scheme (host:port)', ...SOCKS_ENVIRONMENTS.map(([label]) => label)];

const notInstalled = (dir: string | undefined, what: string) => (dir ? undefined : PY_EXTRAS ? `${what} is not installed under MATRIX_PY_EXTRAS` : `MATRIX_PY_EXTRAS is not set (${what})`);
const EXTRA_COLUMNS: ExtraColumn[] = [
  {tag: 'httpx2', harnessClient: 'httpx2', model: 'httpx2', pythonPath: openai3, options: () => ({versions: {httpx2: pythonVersion('httpx2', openai3)}}), label: () => `httpx2 ${pythonVersion('httpx2', openai3)}`, missing: notInstalled(openai3, 'openai3 (httpx2)')},
  {tag: 'openai2', harnessClient: 'openai', model: 'httpx', pythonPath: openai2, options: () => ({versions: {httpx: pythonVersion('httpx', openai2)}}), label: () => `openai ${pythonVersion('openai', openai2)} on httpx ${pythonVersion('httpx', openai2)}`, missing: notInstalled(openai2, 'openai2'), environments: SDK_ENVIRONMENTS},
  {tag: 'openai3', harnessClient: 'openai', model: 'httpx2', pythonPath: openai3, options: () => ({versions: {httpx2: pythonVersion('httpx2', openai3)}}), label: () => `openai ${pythonVersion('openai', openai3)} on httpx2 ${pythonVersion('httpx2', openai3)}`, missing: notInstalled(openai3, 'openai3'), environments: SDK_ENVIRONMENTS},
  {tag: 'requests-current', harnessClient: 'requests', model: 'requests', pythonPath: currentPy, options: () => ({versions: {requests: pythonVersion('requests', currentPy)}}), label: () => `requests ${pythonVersion('requests', currentPy)}, no PySocks`, missing: notInstalled(currentPy, 'py-current (requests 2.34)')},
  {tag: 'requests-pysocks', harnessClient: 'requests', model: 'requests', pythonPath: withPath(currentPy, pysocks), options: () => ({versions: {requests: pythonVersion('requests', withPath(currentPy, pysocks))}, extras: {pysocks: true}}), label: () => `requests ${pythonVersion('requests', withPath(currentPy, pysocks))} with PySocks ${pythonVersion('socks', withPath(currentPy, pysocks))}`, missing: notInstalled(currentPy && pysocks, 'py-current and pysocks')},
  {tag: 'aiohttp-current', harnessClient: 'aiohttp-trust-env', model: 'aiohttp-trust-env', pythonPath: currentPy, options: () => ({versions: {aiohttp: pythonVersion('aiohttp', currentPy)}}), label: () => `aiohttp ${pythonVersion('aiohttp', currentPy)} with trust_env=True`, missing: notInstalled(currentPy, 'py-current (aiohttp 3.14)')},
];

/** The httpx version a PYTHONPATH gives, and the generation of the model that goes with it. */
function httpxOptions(pythonPath = ''): PredictOptions & {version: string} {
  const version = pythonVersion('httpx', pythonPath) ?? '';
  return {version, httpx: httpxGenerationOf(version)};
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
let socks: SocksServer | undefined;
let socksMissing: string | undefined;
let cases: Case[];
const observations = new Map<string, Observation>();
const key = (client: string, id: string) => `${client}/${id}`;

/** A client process to completion (tests/kit/processes.mts); killed or not started counts as exit 1. */
async function run(command: string, args: string[], env: Env, input?: string): Promise<Result> {
  const ran = await runProcess(command, args, {env: {...baseEnv, ...env}, timeoutMs: 60_000, input: input ?? ''});
  return {...ran, code: ran.code < 0 ? 1 : ran.code};
}

type Result = {stdout: string; stderr: string; code: number};

/** Runs a client process through harness/launch.py (see there why), or from here without Python. */
let launch: (command: string, args: string[], env: Env) => Promise<Result> = run;
let stopLauncher = async () => {};

function startLauncher(): void {
  const launcher = spawn(PYTHON, [path.join(HARNESS, 'launch.py')], {env: baseEnv, stdio: ['pipe', 'pipe', 'inherit']});
  const pending = new Map<number, (result: Result) => void>();
  let nextId = 0;
  readline.createInterface({input: launcher.stdout!}).on('line', (line) => {
    const {id, ...result} = JSON.parse(line) as Result & {id: number};
    pending.get(id)!(result);
    pending.delete(id);
  });
  let gone: string | undefined;
  launcher.stdin!.on('error', () => {}); // its exit settles what is pending
  const exited = new Promise<void>((resolve) => launcher.once('close', (code) => {
    gone = `the launcher exited (${code})`;
    for (const settle of pending.values()) settle({stdout: '', stderr: gone, code: 1});
    resolve();
  }));
  launch = (command, args, env) => new Promise((resolve) => {
    if (gone) return resolve({stdout: '', stderr: gone, code: 1});
    const id = nextId++;
    pending.set(id, resolve);
    launcher.stdin!.write(`${JSON.stringify({id, argv: [command, ...args], env: {...baseEnv, ...env}})}\n`);
  });
  stopLauncher = () => {
    launcher.stdin!.end();
    return exited;
  };
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

/** The cases grouped by environment: a process that reads its environment once runs one group. */
function byEnvironment(client: ClientId): Case[][] {
  const groups = new Map<string, Case[]>();
  for (const c of cases.filter((c) => runsIn(client, c))) groups.set(c.environment, [...(groups.get(c.environment) ?? []), c]);
  return [...groups.values()];
}

/** curl reads the proxy variables for every transfer, so one curl per environment fetches all its
 *  targets (a process per URL cost 5 ms of CPU each); `%{json}` reports each transfer's outcome. */
function curlTasks(): (() => Promise<void>)[] {
  return byEnvironment('curl').map((group) => async () => {
    const urls = group.map((c) => c.url.replace('CLIENT', 'curl'));
    const {stdout, stderr} = await launch('curl', ['-q', '-sS', '--max-time', '5', '-w', '%{json}\n', ...urls.flatMap((url) => ['-o', '/dev/null', url])], group[0]!.env);
    const transfers = stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as {urlnum: number; exitcode: number; errormsg: string | null; http_code: number});
    if (transfers.length !== urls.length) throw new Error(`curl reported ${transfers.length} of ${urls.length} transfers: ${stderr}`);
    for (const t of transfers) record('curl', group[t.urlnum]!.id, `HTTP ${t.http_code}`, t.exitcode === 0 ? undefined : `exit ${t.exitcode}: ${t.errormsg}`);
  });
}

/** wget and git: one process per case (wget's errors do not name the URL they belong to). */
function commandLineTasks(): (() => Promise<void>)[] {
  const rc = path.join(work, 'empty-wgetrc');
  const commands: [ClientId, (url: string) => [string, string[]], Env][] = [
    ['wget', (url) => ['wget', ['-nv', '-O', '-', '--tries=1', '--timeout=5', url]], {WGETRC: rc, SYSTEM_WGETRC: rc}],
    ['git', (url) => ['git', ['ls-remote', `${url}.git`]], {GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0'}],
  ];
  const perCase = commands.filter(([client]) => !MISSING[client]).flatMap(([client, argv, extra]) =>
    cases.filter((c) => runsIn(client, c)).map((c) => async () => {
      const [command, args] = argv(c.url.replace('CLIENT', client));
      const result = await launch(command, args, {...c.env, ...extra});
      record(client, c.id, result.stdout, result.code === 0 ? undefined : `exit ${result.code}: ${result.stderr.trim()}`);
    }));
  return [...(MISSING.curl ? [] : curlTasks()), ...perCase];
}

function readJsonLines(stdout: string, stderr: string): Observation[] {
  const lines = stdout.split('\n').filter((line) => line.trim() !== '');
  if (lines.length === 0) throw new Error(`harness printed nothing: ${stderr}`);
  return lines.map((line) => JSON.parse(line) as Observation);
}

/** One Python run: a client's cases, filed under `tag`, in a process with PYTHONPATH `pythonPath`. */
interface PythonRun {
  client: string;
  model: ClientId;
  tag: string;
  pythonPath: string;
  environments?: string[];
}

/** What each Python process imported, by PYTHONPATH, from its last line; the PYTHONPATHs run. */
const importedVersions = new Map<string, Record<string, string>>();
let pythonProcesses: string[] = [];

function harnessTasks(): (() => Promise<void>)[] {
  const runs: PythonRun[] = (['urllib', 'requests', 'httpx', 'aiohttp', 'aiohttp-trust-env'] as const)
    .filter((client) => !MISSING[client]).map((client) => ({client, model: client, tag: client, pythonPath: ''}));
  if (EXTRA_HTTPX) runs.push({client: 'httpx', model: 'httpx', tag: 'httpx-extra', pythonPath: EXTRA_HTTPX});
  for (const column of EXTRA_COLUMNS.filter((c) => !c.missing)) {
    runs.push({client: column.harnessClient, model: column.model, tag: column.tag, pythonPath: column.pythonPath!, environments: column.environments});
  }
  // One process per PYTHONPATH: the interpreter and each library start once for all its runs.
  const byPath = new Map<string, PythonRun[]>();
  for (const r of runs) byPath.set(r.pythonPath, [...(byPath.get(r.pythonPath) ?? []), r]);
  pythonProcesses = [...byPath.keys()];
  const pythonJobs = [...byPath].map(([pythonPath, pathRuns]) => async () => {
    const job = pathRuns.map(({client, model, tag, environments}) => ({client, tag, cases: cases
      .filter((c) => runsIn(model, c) && (environments?.includes(c.environment) ?? true))
      .map(({id, url, env}) => ({id, url, env}))}));
    const {stdout, stderr} = await run(PYTHON, [path.join(HARNESS, 'python_clients.py')], pythonPath ? {PYTHONPATH: pythonPath} : {}, JSON.stringify({runs: job}));
    for (const line of readJsonLines(stdout, stderr) as (Observation & {tag?: string; versions?: Record<string, string>})[]) {
      if (line.versions) importedVersions.set(pythonPath, line.versions);
      else observations.set(key(line.tag!, line.id), {...line, client: line.client});
    }
  });
  const nodeClients = (['node-fetch', 'undici-env'] as const).filter((c) => !MISSING[c]);
  const nodeJob = async () => {
    const {stdout, stderr} = await run(process.execPath, [path.join(HARNESS, 'node_clients.mjs')], {}, JSON.stringify({undici: undiciPath, proxyVariables: PROXY_VARIABLES, clients: nodeClients, cases}));
    for (const o of readJsonLines(stdout, stderr)) observations.set(key(o.client, o.id), o);
  };
  return [...pythonJobs, nodeJob];
}

// Compiled clients are kept across runs under node_modules/.cache (tests/kit/build-cache.mts),
// keyed by a hash of their source and compiler: compiling costs seconds of CPU (a cold Go cache on
// CI), running costs little.
const BUILD_CACHE = path.join(HARNESS, '..', '..', '..', 'node_modules', '.cache', 'proxy-matrix');

function compiledClient(name: string, inputs: string[], build: (dir: string) => Promise<void>): Promise<string> {
  const key = sha256(inputs.join('\0')).slice(0, 16);
  return cachedBuild({cacheDir: path.join(BUILD_CACHE, name), key, build});
}

/** A compiler's identity for a cache key: its real path, size and time (asking it costs a JVM). */
function toolIdentity(command: string): string {
  const dir = (process.env.PATH ?? '').split(path.delimiter).find((d) => fs.existsSync(path.join(d, command)));
  const real = fs.realpathSync(path.join(dir ?? '', command));
  const {size, mtimeMs} = fs.statSync(real);
  return `${real} ${size} ${mtimeMs}`;
}

/** Go and Java read their proxy settings once per process: one process per environment. */
async function perProcessTasks(): Promise<(() => Promise<void>)[]> {
  const runners: [ClientId, string, string[]][] = [];
  if (!MISSING.go) {
    const source = path.join(HARNESS, 'go_client.go');
    const goVersion = spawnSync('go', ['version'], {encoding: 'utf8'}).stdout;
    const dir = await compiledClient('go-client', [fs.readFileSync(source, 'utf8'), goVersion, process.env.GOFLAGS ?? ''], async (out) => {
      const build = await run('go', ['build', '-o', path.join(out, 'go-client'), source], {HOME: process.env.HOME ?? work});
      if (build.code !== 0) throw new Error(`go build failed: ${build.stderr}`);
    });
    runners.push(['go', path.join(dir, 'go-client'), []]);
  }
  if (!MISSING.java) {
    const source = path.join(HARNESS, 'JavaClient.java');
    const dir = await compiledClient('java-client', [fs.readFileSync(source, 'utf8'), toolIdentity('javac')], async (out) => {
      // javac on C1 alone with one GC thread: 1.0 s of CPU for this file instead of 1.8 s.
      const compile = await run('javac', ['-J-XX:TieredStopAtLevel=1', '-J-XX:+UseSerialGC', '-d', out, source], {});
      if (compile.code !== 0) throw new Error(`javac failed: ${compile.stderr}`);
    });
    // A JVM that runs five requests and exits: interpreting costs less CPU than starting the JIT.
    runners.push(['java', 'java', ['-Xshare:auto', '-Xint', '-XX:+UseSerialGC', '-cp', dir, 'JavaClient']]);
  }
  return runners.flatMap(([client, command, args]) =>
    byEnvironment(client).map((group) => async () => {
      const urls = group.map((c) => c.url.replace('CLIENT', client));
      const {stdout, stderr} = await launch(command, [...args, ...urls], group[0]!.env);
      const lines = readJsonLines(stdout, stderr) as (Observation & {url: string})[];
      for (const line of lines) {
        const c = group[urls.indexOf(line.url)]!;
        observations.set(key(client, c.id), {...line, client, id: c.id});
      }
    }));
}

const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/** SSL_CERT_FILE naming one CA certificate. Every request here is plain HTTP, yet httpx and the
 *  openai SDK load a trust store for each client they make: the system's bundle of ~140
 *  certificates costs 60-85 ms of CPU per client, one certificate 3 ms. Nothing else changes. */
function oneCertificateTrustStore(dir: string): Env {
  if (!fs.existsSync(SYSTEM_CA_BUNDLE)) return {};
  const first = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n/.exec(fs.readFileSync(SYSTEM_CA_BUNDLE, 'utf8'));
  if (!first) return {};
  const file = path.join(dir, 'one-certificate.pem');
  fs.writeFileSync(file, first[0]);
  return {SSL_CERT_FILE: file};
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'proxy-matrix-'));
  fs.writeFileSync(path.join(work, 'empty-wgetrc'), '');
  // The clients see no proxy setting of ours (only what each case puts in) and a one-certificate
  // trust store (vitest.config.mts already drops NODE_EXTRA_CA_CERTS for the whole run).
  baseEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/_proxy$/i.test(name) && !['REQUEST_METHOD', 'NODE_USE_ENV_PROXY', 'SSL_CERT_DIR'].includes(name)));
  baseEnv = {...baseEnv, HOME: work, ...oneCertificateTrustStore(work)};
  [proxyA, proxyB, origin] = await Promise.all([startRecorder('127.0.0.1'), startRecorder('127.0.0.1'), startRecorder('127.0.0.1')]);
  origin6 = await startRecorder('::1', origin.port).catch(() => startRecorder('::1')).catch(() => undefined);
  socks = await startSocks({outgoingAddress: SOCKS_SOURCE}).catch((error: Error) => {
    socksMissing = error.message;
    return undefined;
  });
  ports = {A: `http://127.0.0.1:${proxyA.port}`, B: `http://user:secret@127.0.0.1:${proxyB.port}`, socks: `127.0.0.1:${socks?.port ?? 1}`, port: origin.port, port6: origin6?.port ?? origin.port};
  const httpCases = ENVIRONMENTS.flatMap(([label, makeEnv], e) =>
    TARGETS(ports).filter((target) => origin6 || !target.startsWith('[')).map((target, t) => ({id: `e${e}t${t}`, environment: label, label: `${label} → ${target}`, env: makeEnv(ports), url: `http://${target}/obs/CLIENT/e${e}t${t}`})));
  const socksCases = !socks ? [] : SOCKS_ENVIRONMENTS.flatMap(([label, makeEnv], e) =>
    SOCKS_TARGETS(ports).map((target, t) => {
      const env = makeEnv(ports);
      return {id: `s${e}t${t}`, environment: label, label: `${label} → ${target}`, env, socks: Object.values(env).find((v) => v?.startsWith('socks')), url: `http://${target}/obs/CLIENT/s${e}t${t}`};
    }));
  cases = [...httpCases, ...socksCases];
  if (!MISSING.urllib) startLauncher();
  await pool([...harnessTasks(), ...(await perProcessTasks()), ...commandLineTasks()], 4);
  await stopLauncher();
}, 180_000);

afterAll(async () => {
  await stopLauncher(); // still running when beforeAll failed half-way
  await Promise.all([proxyA, proxyB, origin, origin6, socks].map((server) => server?.close()));
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
  if (c.socks && origin.peer(tag, c.id) === SOCKS_SOURCE) return {outcome: 'via', proxy: c.socks, detail: `the origin saw it from ${SOCKS_SOURCE}, the SOCKS server's address`};
  if (origin.saw(tag, c.id) || origin6?.saw(tag, c.id)) return {outcome: 'direct', detail: 'the origin saw it'};
  if (!o) return {outcome: 'missing', detail: 'the harness reported nothing'};
  // Nobody saw it: a direct request to the name without DNS fails to resolve, anything else failed.
  // The recorders on loopback answer at once, so a client timeout on that name can only be a DNS
  // lookup that hung (the resolver here sometimes never answers): that request went direct too.
  const error = o.error ?? '';
  const resolving = c.url.includes(UNRESOLVABLE) && o.stage !== 'create' && (RESOLVE_ERROR.test(error) || DNS_HANG.test(error));
  return {outcome: resolving ? 'direct' : 'fails', detail: o.error ?? `body ${JSON.stringify(o.body)}`};
}

// Error texts a `fails` rule quotes: when the rule quotes one, the real client's error must carry it.
const QUOTED_ERRORS = [
  "Using SOCKS proxy, but the 'socksio' package is not installed",
  'Missing dependencies for SOCKS support',
  'unknown url type',
  'Unknown scheme for proxy URL',
  'Invalid URL protocol',
  'Unsupported scheme',
];

/** Every case for one client: the observed outcome (and proxy) must equal the prediction. */
function compare(client: ClientId, options: PredictOptions, tag: string = client, environments?: string[]): void {
  const mismatches: string[] = [];
  const outcomes = new Set<string>();
  for (const c of cases.filter((c) => runsIn(client, c) && (environments?.includes(c.environment) ?? true))) {
    const seen = observed(tag, c);
    const predicted = predict(client, c.url.replace('CLIENT', tag), c.env, options);
    outcomes.add(seen.outcome);
    expect(JSON.stringify(predicted)).not.toContain('secret');
    const quoted = QUOTED_ERRORS.find((text) => predicted.rule.includes(text));
    if (seen.outcome === 'fails' && quoted && !seen.detail.includes(quoted)) {
      mismatches.push(`${c.label}: predicted the error "${quoted}", observed ${seen.detail}`);
    }
    if (seen.outcome !== predicted.outcome || (seen.outcome === 'via' && seen.proxy !== predicted.proxy)) {
      mismatches.push(`${c.label}: predicted ${predicted.outcome} ${predicted.proxy ?? ''} (${predicted.rule}), observed ${seen.outcome} ${seen.proxy ?? ''} (${seen.detail})`);
    }
  }
  expect(mismatches).toEqual([]);
  expect(outcomes.has('direct')).toBe(true);
  if (client !== 'java' && client !== 'node-fetch' && client !== 'aiohttp') expect(outcomes.has('via')).toBe(true);
}

describe('proxy semantics against the real clients on this machine', () => {
  it('the SOCKS cases run (microsocks installed)', () => {
    // Locally a missing microsocks only drops the SOCKS cases; CI must have it.
    if (socksMissing && process.env.CI) throw new Error(socksMissing);
    expect(cases.some((c) => c.socks) || socksMissing !== undefined).toBe(true);
  });

  it.skipIf(PYTHON_VERSIONS === undefined)('each Python process ran the library versions its predictions were made for', () => {
    for (const [pythonPath, imported] of importedVersions) {
      const expected = Object.fromEntries(Object.keys(imported).map((library) => [library, pythonVersion(library as PythonLibrary, pythonPath)]));
      expect({pythonPath, versions: imported}).toEqual({pythonPath, versions: expected});
    }
    expect([...importedVersions.keys()].sort()).toEqual([...pythonProcesses].sort());
  });

  for (const {id: client, name} of CLIENTS) {
    const skip = MISSING[client];
    const version = client === 'httpx' && !skip ? `httpx ${httpxOptions().version}` : VERSIONS[client];
    it.skipIf(skip !== undefined)(`${name} (${version})${skip ? ` — skipped: ${skip}` : ''}`, () => {
      compare(client, {versions: INSTALLED, ...(client === 'httpx' ? httpxOptions() : {})});
    });
  }

  for (const column of EXTRA_COLUMNS) {
    it.skipIf(column.missing !== undefined)(`${column.tag}: ${column.missing ? `skipped: ${column.missing}` : column.label()}`, () => {
      compare(column.model, column.options(), column.tag, column.environments);
    });
  }

  it.skipIf(!EXTRA_HTTPX)(`httpx from MATRIX_HTTPX_PYTHONPATH${EXTRA_HTTPX ? ` (httpx ${httpxOptions(EXTRA_HTTPX).version})` : ' — skipped: not set'}`, () => {
    compare('httpx', httpxOptions(EXTRA_HTTPX), 'httpx-extra');
  });
});

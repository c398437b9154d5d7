// Which client releases this machine has, so each prediction describes the user's versions:
// libcurl's from `curl --version`, the Python packages' `__version__` under the interpreters the
// verification runs them with (the first one that has the package), and the SOCKS extras
// (PySocks, socksio). The openai SDK runs on httpx up to 2.x and on httpx2 from 3.x.
import {sha256, CommandNotFoundError, commandPath, processExists, runCommand, type Env, writeFileSafely} from '../io/index.mts';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type {Installed, VersionedPackage} from '../proxy/index.mts';

export interface Detected {
  installed: Installed;
  /** One line per finding, for the report: `requests 2.28.1 (/usr/bin/python3)`. */
  found: string[];
  /** The openai SDK, when an interpreter has it: which httpx it runs on. */
  openai?: {version: string; on: 'httpx' | 'httpx2'; python: string};
  /** Python module → the first interpreter that has it (`urllib`: the first one that runs). */
  interpreters: Record<string, string>;
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The program is not installed. */
  missing: boolean;
}

export async function run(command: string, args: string[], env: Env, timeoutS: number): Promise<Run> {
  try {
    return {...(await runCommand(command, args, {env, timeoutMs: timeoutS * 1000})), missing: false};
  } catch (error) {
    if (error instanceof CommandNotFoundError) return {code: null, stdout: '', stderr: error.message, missing: true};
    throw error;
  }
}

/**
 * Interpreters to try: RUNBOOK_PYTHON, python3 on PATH, then the system one (Debian's packages live
 * there); each file once (python3 on PATH is often /usr/bin/python3 itself, and each interpreter
 * asked costs a Python start).
 */
export function pythonCandidates(env: Env): string[] {
  const seen = new Set<string>();
  return [env.RUNBOOK_PYTHON, 'python3', '/usr/bin/python3'].filter((python): python is string => {
    if (!python) return false;
    const file = commandPath(python, env) ?? python;
    if (seen.has(file)) return false;
    seen.add(file);
    return true;
  });
}

const MODULES = ['requests', 'httpx', 'httpx2', 'aiohttp', 'openai', 'socks', 'socksio'] as const;
export type PythonModule = (typeof MODULES)[number];

// argv: module=distribution pairs. Prints {module: version} for the ones this interpreter finds,
// from the package metadata (importing the openai SDK to read __version__ takes seconds).
const VERSIONS_SCRIPT = `
import importlib.util, json, sys
from importlib import metadata
found = {}
for pair in sys.argv[1:]:
    module, _, dist = pair.partition("=")
    if importlib.util.find_spec(module) is None:
        continue
    try:
        found[module] = metadata.version(dist)
    except metadata.PackageNotFoundError:
        found[module] = str(getattr(importlib.import_module(module), "__version__", "installed"))
print(json.dumps(found))
`;

/** Module name → distribution name. */
const DISTRIBUTIONS: Record<PythonModule, string> = {
  requests: 'requests', httpx: 'httpx', httpx2: 'httpx2', aiohttp: 'aiohttp', openai: 'openai', socks: 'PySocks', socksio: 'socksio',
};

/** The version of each of `modules` that `python` has under `env`, or undefined when it does not run. */
export async function pythonModuleVersions(python: string, env: Env, modules: readonly PythonModule[]): Promise<Partial<Record<PythonModule, string>> | undefined> {
  const result = await run(python, ['-c', VERSIONS_SCRIPT, ...modules.map((m) => `${m}=${DISTRIBUTIONS[m]}`)], env, 10);
  if (result.code !== 0) return undefined;
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!);
}

async function pythonVersions(env: Env): Promise<Map<string, {version: string; python: string}>> {
  // Every candidate at once (each start costs a tenth of a second or more); the first in order wins.
  const candidates = pythonCandidates(env);
  const answers = await Promise.all(candidates.map((python) => pythonModuleVersions(python, env, MODULES)));
  const found = new Map<string, {version: string; python: string}>();
  candidates.forEach((python, i) => {
    const versions = answers[i];
    if (!versions) return;
    if (!found.has('urllib')) found.set('urllib', {version: 'standard library', python});
    for (const [module, version] of Object.entries(versions)) if (!found.has(module)) found.set(module, {version, python});
  });
  return found;
}

/** libcurl's version in `curl --version` (it, not curl's, decides the NO_PROXY rules). */
export const LIBCURL_VERSION = /libcurl\/(\d+\.\d+(?:\.\d+)?)/;

async function curlVersion(env: Env): Promise<string | undefined> {
  const result = await run('curl', ['--version'], env, 10);
  return LIBCURL_VERSION.exec(result.stdout)?.[1];
}

/**
 * A directory where `clients`, `probe` and `verify` keep what they detected, for the checks after them. The
 * runner's netcheck shim sets it to its own temp dir, which lives for one run; unset, every command
 * detects afresh.
 */
export const DETECTED_CACHE = 'RUNBOOK_NETCHECK_CACHE';

// What decides which programs and Python modules are found: the search paths and what selects an
// interpreter (pyenv, virtualenv, conda, PYTHON*), HOME (user site-packages) and the working
// directory (pyenv's .python-version, Python's own sys.path[0]). Not the proxy variables, which
// differ from check to check and change no release.
const DECIDES_DETECTION = /^(?:PATH|HOME|RUNBOOK_PYTHON|VIRTUAL_ENV|LD_\w+|PYTHON\w*|PYENV\w*|CONDA\w*)$/;

function cacheFile(env: Env): string | null {
  const dir = env[DETECTED_CACHE];
  if (!dir) return null;
  const decisive = Object.keys(env).filter((name) => DECIDES_DETECTION.test(name)).sort().map((name) => [name, env[name]]);
  const key = sha256(JSON.stringify([process.cwd(), decisive])).slice(0, 16);
  return path.join(dir, `installed-${key}.json`);
}

/** What this machine has, from the run's cache when an earlier check of the run detected it (or
 *  the runner's prefetch is detecting it). */
export async function detectInstalled(env: Env): Promise<Detected> {
  const file = cacheFile(env);
  return (file ? await keptDetection(file) : null) ?? detectAndKeep(env, file);
}

// The runner starts detecting as a run starts (prefetchInstalled), so its interpreters start beside
// the first steps, not after them; a check that finds that detection under way (FILE.pending holds
// the runner's pid) waits for its result instead of starting the same interpreters again.
const PENDING = '.pending';
const PENDING_WAIT_MS = 15_000;

/** Detects for the checks `env` will run (a run's cache set), keeping the result where they read it. */
export async function prefetchInstalled(env: Env): Promise<void> {
  const file = cacheFile(env);
  if (!file) return;
  try {
    fs.writeFileSync(file + PENDING, String(process.pid));
    await detectAndKeep(env, file);
  } catch {
    // a check detects on its own
  } finally {
    fs.rmSync(file + PENDING, {force: true});
  }
}

async function keptDetection(file: string): Promise<Detected | null> {
  for (const started = Date.now(); ; await new Promise((resolve) => setTimeout(resolve, 10))) {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as Detected;
    } catch {
      // not detected yet in this run (or unreadable)
    }
    let pid: number;
    try {
      pid = Number(fs.readFileSync(file + PENDING, 'utf8'));
    } catch {
      return null; // nobody is detecting: detect
    }
    if (!pid || !processExists(pid) || Date.now() - started > PENDING_WAIT_MS) return null;
  }
}

async function detectAndKeep(env: Env, file: string | null): Promise<Detected> {
  const detected = await detect(env);
  // Only into the run's directory as it is: once the run is over and the directory removed, a
  // write would make it again (and leave it behind).
  if (file && fs.existsSync(path.dirname(file))) {
    try {
      writeFileSafely(file, JSON.stringify(detected));
    } catch {
      // the directory went in the meantime: nothing to keep it for
    }
  }
  return detected;
}

async function detect(env: Env): Promise<Detected> {
  const [curl, python] = await Promise.all([curlVersion(env), pythonVersions(env)]);
  const versions: Partial<Record<VersionedPackage, string>> = {};
  const found: string[] = [];
  if (curl) {
    versions.curl = curl;
    found.push(`libcurl ${curl} (curl --version)`);
  }
  for (const pkg of ['requests', 'httpx', 'httpx2', 'aiohttp'] as const) {
    const hit = python.get(pkg);
    if (!hit) continue;
    versions[pkg] = hit.version;
    found.push(`${pkg} ${hit.version} (${hit.python})`);
  }
  const sdk = python.get('openai');
  const openai = sdk ? {version: sdk.version, on: Number.parseInt(sdk.version, 10) >= 3 ? 'httpx2' as const : 'httpx' as const, python: sdk.python} : undefined;
  if (openai) found.push(`openai ${openai.version} on ${openai.on} (${openai.python})`);
  const extras = {pysocks: python.has('socks'), socksio: python.has('socksio')};
  found.push(`SOCKS extras: PySocks ${extras.pysocks ? 'installed' : 'missing'}, socksio ${extras.socksio ? 'installed' : 'missing'}`);
  const interpreters = Object.fromEntries([...python].map(([module, hit]) => [module, hit.python]));
  return {installed: {versions, extras}, found, openai, interpreters};
}

// Which client releases this machine has, so each prediction describes the user's versions:
// libcurl's from `curl --version`, the Python packages' `__version__` under the interpreters the
// verification already uses (first one that has the package), and the SOCKS extras (PySocks,
// socksio). The openai SDK runs on httpx up to 2.x and on httpx2 from 3.x.
import type {Env} from '../io/env.mts';
import type {Installed, VersionedPackage} from '../proxy/predict.mts';
import {pythonCandidates, run} from './verify-clients.mts';

export interface Detected {
  installed: Installed;
  /** One line per finding, for the report: `requests 2.28.1 (/usr/bin/python3)`. */
  found: string[];
  /** The openai SDK, when an interpreter has it: which httpx it runs on. */
  openai?: {version: string; on: 'httpx' | 'httpx2'; python: string};
}

const MODULES = ['requests', 'httpx', 'httpx2', 'aiohttp', 'openai', 'socks', 'socksio'] as const;

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
const DISTRIBUTIONS: Record<(typeof MODULES)[number], string> = {
  requests: 'requests', httpx: 'httpx', httpx2: 'httpx2', aiohttp: 'aiohttp', openai: 'openai', socks: 'PySocks', socksio: 'socksio',
};

async function pythonVersions(env: Env): Promise<Map<string, {version: string; python: string}>> {
  const found = new Map<string, {version: string; python: string}>();
  for (const python of pythonCandidates(env)) {
    const missing = MODULES.filter((m) => !found.has(m));
    if (missing.length === 0) break;
    const result = await run(python, ['-c', VERSIONS_SCRIPT, ...missing.map((m) => `${m}=${DISTRIBUTIONS[m]}`)], env, 10);
    if (result.code !== 0) continue;
    for (const [module, version] of Object.entries(JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Record<string, string>)) {
      found.set(module, {version, python});
    }
  }
  return found;
}

async function curlVersion(env: Env): Promise<string | undefined> {
  const result = await run('curl', ['--version'], env, 10);
  return /libcurl\/(\d+\.\d+(?:\.\d+)?)/.exec(result.stdout)?.[1];
}

export async function detectInstalled(env: Env): Promise<Detected> {
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
  return {installed: {versions, extras}, found, openai};
}

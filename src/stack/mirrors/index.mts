// The restricted-network guide's local stand-ins, started together: an HF-style endpoint (for
// HF_ENDPOINT) serving the tiny model, a PyPI simple index (for PIP_INDEX_URL) serving a wheel
// directory — by default the tiny `tinypkg` wheel, held in memory —, a Go module
// proxy (for GOPROXY) and an npm registry (for npm_config_registry): the four check-mirrors probes.
import type {ExtraService} from '../index.mts';
import {startGoProxy} from './go-proxy.mts';
import {startHfEndpoint, type RunningHfEndpoint} from './hf-endpoint.mts';
import type {ListenOptions, RunningServer} from './http.mts';
import {startNpmRegistry, type RunningNpmRegistry} from './npm-registry.mts';
import {startPypiIndex, type RunningPypiIndex} from './pypi-index.mts';
import {TINY_MODEL_REPO_ID} from './tiny-model.mts';
import {tinyWheel} from './wheel.mts';

export {GO_MODULE, startGoProxy} from './go-proxy.mts';
export {startHfEndpoint, type RunningHfEndpoint} from './hf-endpoint.mts';
export {NPM_PACKAGE, startNpmRegistry, type RunningNpmRegistry} from './npm-registry.mts';
export {startPypiIndex, type RunningPypiIndex} from './pypi-index.mts';
export {TINY_MODEL_REPO_ID, tinyModelFiles} from './tiny-model.mts';
export {buildWheel, tinyWheel, normalizeProjectName} from './wheel.mts';

export interface MirrorsOptions {
  /** Ports for the four servers; 0 (the default) picks free ephemeral ports. */
  hfPort?: number;
  pypiPort?: number;
  goProxyPort?: number;
  npmPort?: number;
  host?: string;
  /** Directory of distributions for the index; default: the tiny wheel, held in memory. */
  wheelDir?: string;
}

export interface RunningMirrors {
  /** url is the value for HF_ENDPOINT; repoId the tiny model's id. */
  hf: RunningHfEndpoint & {repoId: string};
  /** indexUrl (`<url>/simple/`) is the value for PIP_INDEX_URL / --index-url. */
  pypi: RunningPypiIndex;
  /** url is the value for GOPROXY (add `,direct` to fall through for modules it lacks). */
  goProxy: RunningServer;
  /** registryUrl (`<url>/`) is the value for npm_config_registry. */
  npm: RunningNpmRegistry;
  close(): Promise<void>;
}

/** The index over `wheelDir`, or over the tiny wheel alone (in memory). */
export async function startTinyPypiIndex({wheelDir, ...listenOptions}: ListenOptions & {wheelDir?: string}): Promise<RunningPypiIndex> {
  if (wheelDir !== undefined) return startPypiIndex({...listenOptions, dir: wheelDir});
  const wheel = tinyWheel();
  return startPypiIndex({...listenOptions, files: new Map([[wheel.filename, wheel.bytes]])});
}

export async function startMirrors({hfPort = 0, pypiPort = 0, goProxyPort = 0, npmPort = 0, host, wheelDir}: MirrorsOptions = {}): Promise<RunningMirrors> {
  // Started one after another so that a failure closes exactly the ones already listening.
  const started: Array<{close(): Promise<void>}> = [];
  const closeAll = async () => void (await Promise.all(started.map((server) => server.close())));
  const track = <T extends {close(): Promise<void>}>(server: T): T => (started.push(server), server);
  try {
    const hf = track(await startHfEndpoint({port: hfPort, host}));
    const pypi = track(await startTinyPypiIndex({port: pypiPort, host, wheelDir}));
    const goProxy = track(await startGoProxy({port: goProxyPort, host}));
    const npm = track(await startNpmRegistry({port: npmPort, host}));
    return {hf: {...hf, repoId: TINY_MODEL_REPO_ID}, pypi, goProxy, npm, close: closeAll};
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** One stand-in as a stack service whose env points clients at it. */
function mirrorService<T extends RunningServer>(name: string, start: () => Promise<T>, env: (server: T) => Record<string, string>): ExtraService {
  return {
    name,
    start: async () => {
      const server = await start();
      return {url: server.url, port: server.port, env: env(server), close: server.close};
    },
  };
}

/** The four stand-ins as services for startStack({extraServices}), exporting HF_ENDPOINT, PIP_INDEX_URL, GOPROXY and npm_config_registry. */
export function mirrorServices(): ExtraService[] {
  return [
    mirrorService('hf-mirror', () => startHfEndpoint(), (hf) => ({HF_ENDPOINT: hf.url})),
    mirrorService('pypi-mirror', () => startTinyPypiIndex({}), (pypi) => ({PIP_INDEX_URL: pypi.indexUrl})),
    mirrorService('goproxy-mirror', () => startGoProxy(), (goProxy) => ({GOPROXY: goProxy.url})),
    mirrorService('npm-mirror', () => startNpmRegistry(), (npm) => ({npm_config_registry: npm.registryUrl})),
  ];
}

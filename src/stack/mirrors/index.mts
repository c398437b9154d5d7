// The restricted-network guide's local stand-ins, started together: an HF-style endpoint (for
// HF_ENDPOINT) serving the tiny model, and a PyPI simple index (for PIP_INDEX_URL) serving a wheel
// directory — by default a fresh temp directory holding the tiny `tinypkg` wheel.
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {ExtraService} from '../index.mts';
import {startHfEndpoint, type RunningHfEndpoint} from './hf-endpoint.mts';
import type {ListenOptions} from './http.mts';
import {startPypiIndex, type RunningPypiIndex} from './pypi-index.mts';
import {TINY_MODEL_REPO_ID} from './tiny-model.mts';
import {tinyWheel} from './wheel.mts';

export {startHfEndpoint, type RunningHfEndpoint} from './hf-endpoint.mts';
export {startPypiIndex, type RunningPypiIndex} from './pypi-index.mts';
export {TINY_MODEL_REPO_ID, tinyModelFiles} from './tiny-model.mts';
export {buildWheel, tinyWheel, normalizeProjectName} from './wheel.mts';

export interface MirrorsOptions {
  /** Ports for the two servers; 0 (the default) picks free ephemeral ports. */
  hfPort?: number;
  pypiPort?: number;
  host?: string;
  /** Directory of distributions for the index; default: a temp dir with the tiny wheel, removed on close. */
  wheelDir?: string;
}

export type RunningTinyIndex = RunningPypiIndex & {wheelDir: string};

export interface RunningMirrors {
  /** url is the value for HF_ENDPOINT; repoId the tiny model's id. */
  hf: RunningHfEndpoint & {repoId: string};
  /** indexUrl (`<url>/simple/`) is the value for PIP_INDEX_URL / --index-url. */
  pypi: RunningTinyIndex;
  close(): Promise<void>;
}

/** The index over `wheelDir`, or over a temp dir holding the tiny wheel that close() removes. */
export async function startTinyPypiIndex({wheelDir, ...listenOptions}: ListenOptions & {wheelDir?: string}): Promise<RunningTinyIndex> {
  if (wheelDir !== undefined) return {...(await startPypiIndex({...listenOptions, dir: wheelDir})), wheelDir};
  const dir = await mkdtemp(join(tmpdir(), 'mirrors-wheels-'));
  try {
    const wheel = tinyWheel();
    await writeFile(join(dir, wheel.filename), wheel.bytes);
    const index = await startPypiIndex({...listenOptions, dir});
    const close = async () => {
      await index.close();
      await rm(dir, {recursive: true, force: true});
    };
    return {...index, wheelDir: dir, close};
  } catch (error) {
    await rm(dir, {recursive: true, force: true});
    throw error;
  }
}

export async function startMirrors({hfPort = 0, pypiPort = 0, host, wheelDir}: MirrorsOptions = {}): Promise<RunningMirrors> {
  const hf = await startHfEndpoint({port: hfPort, host});
  try {
    const pypi = await startTinyPypiIndex({port: pypiPort, host, wheelDir});
    return {hf: {...hf, repoId: TINY_MODEL_REPO_ID}, pypi, close: async () => void (await Promise.all([hf.close(), pypi.close()]))};
  } catch (error) {
    await hf.close();
    throw error;
  }
}

/** The two stand-ins as services for startStack({extraServices}), exporting HF_ENDPOINT and PIP_INDEX_URL. */
export function mirrorServices(): ExtraService[] {
  return [
    {
      name: 'hf-mirror',
      start: async () => {
        const hf = await startHfEndpoint();
        return {url: hf.url, port: hf.port, env: {HF_ENDPOINT: hf.url}, close: hf.close};
      },
    },
    {
      name: 'pypi-mirror',
      start: async () => {
        const pypi = await startTinyPypiIndex({});
        return {url: pypi.url, port: pypi.port, env: {PIP_INDEX_URL: pypi.indexUrl}, close: pypi.close};
      },
    },
  ];
}

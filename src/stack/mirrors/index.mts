// The restricted-network guide's local stand-ins, started together: an HF-style endpoint (for
// HF_ENDPOINT) serving the tiny model, and a PyPI simple index (for PIP_INDEX_URL) serving a wheel
// directory — by default a fresh temp directory holding the tiny `tinypkg` wheel.
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {startHfEndpoint, type RunningHfEndpoint} from './hf-endpoint.mts';
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

export interface RunningMirrors {
  /** url is the value for HF_ENDPOINT; repoId the tiny model's id. */
  hf: RunningHfEndpoint & {repoId: string};
  /** indexUrl (`<url>/simple/`) is the value for PIP_INDEX_URL / --index-url. */
  pypi: RunningPypiIndex & {wheelDir: string};
  close(): Promise<void>;
}

export async function startMirrors({hfPort = 0, pypiPort = 0, host, wheelDir}: MirrorsOptions = {}): Promise<RunningMirrors> {
  const ownDir = wheelDir === undefined ? await mkdtemp(join(tmpdir(), 'mirrors-wheels-')) : null;
  const dir = wheelDir ?? (ownDir as string);
  const started: Array<{close(): Promise<void>}> = [];
  const close = async (): Promise<void> => {
    await Promise.all(started.map((s) => s.close()));
    if (ownDir !== null) await rm(ownDir, {recursive: true, force: true});
  };
  try {
    if (ownDir !== null) {
      const wheel = tinyWheel();
      await writeFile(join(ownDir, wheel.filename), wheel.bytes);
    }
    const hf = await startHfEndpoint({port: hfPort, host});
    started.push(hf);
    const pypi = await startPypiIndex({port: pypiPort, host, dir});
    started.push(pypi);
    return {hf: {...hf, repoId: TINY_MODEL_REPO_ID}, pypi: {...pypi, wheelDir: dir}, close};
  } catch (error) {
    await close();
    throw error;
  }
}

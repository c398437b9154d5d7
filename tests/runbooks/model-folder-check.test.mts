// download-model's check-local step (restricted-networks guide, "a local model folder") on folders
// holding the tiny model's files, byte for byte what `hf download` writes from the HF stand-in: the
// complete folder passes; a weights file cut short, one whose header is cut off, and a shard the
// index lists but the folder lacks are each named, with exit 1.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {TINY_MODEL_REPO_ID, tinyModelFiles} from '../../src/stack/mirrors/index.mts';
import {jsonReport, runRunbookIn} from '../kit/runbooks.mts';
import {clientEnv} from '../kit/stack.mts';

describe('download-model check-local', () => {
  let dir: string;
  let folder: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-folder-'));
    folder = path.join(dir, 'models', TINY_MODEL_REPO_ID);
    for (const file of tinyModelFiles()) {
      fs.mkdirSync(path.dirname(path.join(folder, file.path)), {recursive: true});
      fs.writeFileSync(path.join(folder, file.path), file.bytes);
    }
  });
  afterAll(() => {
    if (dir) fs.rmSync(dir, {recursive: true, force: true});
  });

  const check = async () => {
    const ran = await runRunbookIn(dir, 'download-model', ['--only', 'check-local', '--hf-repo', TINY_MODEL_REPO_ID, '--json'], clientEnv({HOME: dir, XDG_STATE_HOME: path.join(dir, 'state'), CI: 'true'}));
    const [step] = jsonReport(ran).steps;
    return {code: ran.code, status: step.status, lines: step.output.trim().split('\n')};
  };

  it('a complete folder passes; a short weights file, a cut-off header and a missing shard are named', async () => {
    expect(await check()).toEqual({code: 0, status: 'ok', lines: [`models/${TINY_MODEL_REPO_ID}: config.json and 1 .safetensors file(s) complete`]});

    const weights = path.join(folder, 'model.safetensors');
    const size = fs.statSync(weights).size;
    fs.truncateSync(weights, size - 4);
    fs.writeFileSync(path.join(folder, 'adapter.safetensors'), Buffer.from([0x40, 0, 0, 0, 0, 0, 0, 0, 0x7b]));
    fs.writeFileSync(path.join(folder, 'model.safetensors.index.json'),
      JSON.stringify({weight_map: {'a.weight': 'model.safetensors', 'b.weight': 'model-00002-of-00002.safetensors'}}));
    expect(await check()).toEqual({code: 1, status: 'failed', lines: [
      `models/${TINY_MODEL_REPO_ID}/model-00002-of-00002.safetensors is missing (model.safetensors.index.json lists it)`,
      `models/${TINY_MODEL_REPO_ID}/adapter.safetensors: 9 bytes, its header is cut off`,
      `models/${TINY_MODEL_REPO_ID}/model.safetensors: ${size - 4} bytes, its header says ${size}`,
    ]});
  });
});

import {describe, expect, it} from 'vitest';
import {existsSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {mirrorServices, startMirrors} from '../../src/stack/mirrors/index.mts';
import {cleanEnv, run} from './mirrors-fixtures/clients.mts';

const curl = (args: string[]) => run('curl', ['-sS', ...args], cleanEnv());

describe('startMirrors', () => {
  it('serves the tiny model and the tiny wheel by default, and close() frees ports and the temp dir', async () => {
    const mirrors = await startMirrors();
    const {hf, pypi} = mirrors;
    try {
      const config = await curl(['-f', `${hf.url}/${hf.repoId}/resolve/main/config.json`]);
      expect(JSON.parse(config.stdout).model_type).toBe('llama');
      const page = await curl(['-f', `${pypi.indexUrl}tinypkg/`]);
      expect(page.stdout).toContain('tinypkg-0.1.0-py3-none-any.whl#sha256=');
      expect(pypi.indexUrl).toBe(`${pypi.url}/simple/`);
    } finally {
      await mirrors.close();
    }
    expect(existsSync(pypi.wheelDir)).toBe(false);
    for (const port of [hf.port, pypi.port]) {
      const probe = createServer();
      await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(port, '127.0.0.1', () => resolve()));
      await new Promise<void>((resolve) => probe.close(() => resolve()));
    }
  });

  it('fails with a one-line error naming the directory when the wheel directory is missing', async () => {
    const missing = join(await mkdtemp(join(tmpdir(), 'mirrors-missing-')), 'nope');
    try {
      await expect(startMirrors({wheelDir: missing})).rejects.toThrow(`PyPI index: cannot read the distribution directory ${missing} (ENOENT)`);
    } finally {
      await rm(join(missing, '..'), {recursive: true, force: true});
    }
  });

  it('offers the two stand-ins as stack services exporting HF_ENDPOINT and PIP_INDEX_URL', async () => {
    const started = await Promise.all(mirrorServices().map(async (service) => ({name: service.name, running: await service.start()})));
    try {
      const byName = Object.fromEntries(started.map(({name, running}) => [name, running]));
      expect(Object.keys(byName).sort()).toEqual(['hf-mirror', 'pypi-mirror']);
      const hfEndpoint = byName['hf-mirror'].env?.HF_ENDPOINT;
      const indexUrl = byName['pypi-mirror'].env?.PIP_INDEX_URL;
      expect(hfEndpoint).toBe(byName['hf-mirror'].url);
      expect(indexUrl).toBe(`${byName['pypi-mirror'].url}/simple/`);
      const info = await curl(['-f', `${hfEndpoint}/api/models/tiny/mini-model`]);
      expect(JSON.parse(info.stdout).id).toBe('tiny/mini-model');
      expect((await curl(['-f', `${indexUrl}tinypkg/`])).stdout).toContain('tinypkg-0.1.0-py3-none-any.whl');
    } finally {
      await Promise.all(started.map(({running}) => running.close()));
    }
  });
});

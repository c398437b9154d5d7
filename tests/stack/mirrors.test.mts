import {describe, expect, it} from 'vitest';
import {mkdtemp, rm} from 'node:fs/promises';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {GO_MODULE, mirrorServices, NPM_PACKAGE, startMirrors} from '../../src/stack/mirrors/index.mts';
import {cleanEnv, run} from './mirrors-fixtures/clients.mts';

const curl = (args: string[]) => run('curl', ['-sS', ...args], cleanEnv());

describe('startMirrors', () => {
  it('serves the tiny model, the tiny wheel, the Go module and the npm package by default, and close() frees their ports', async () => {
    const mirrors = await startMirrors();
    const {hf, pypi, goProxy, npm} = mirrors;
    try {
      const config = await curl(['-f', `${hf.url}/${hf.repoId}/resolve/main/config.json`]);
      expect(JSON.parse(config.stdout).model_type).toBe('llama');
      const page = await curl(['-f', `${pypi.indexUrl}tinypkg/`]);
      expect(page.stdout).toContain('tinypkg-0.1.0-py3-none-any.whl#sha256=');
      expect(pypi.indexUrl).toBe(`${pypi.url}/simple/`);
      expect((await curl(['-f', `${goProxy.url}/${GO_MODULE.path}/@v/list`])).stdout).toBe(`${GO_MODULE.version}\n`);
      expect(npm.registryUrl).toBe(`${npm.url}/`);
      expect(JSON.parse((await curl(['-f', `${npm.registryUrl}${NPM_PACKAGE.name}`])).stdout)['dist-tags'].latest).toBe(NPM_PACKAGE.version);
    } finally {
      await mirrors.close();
    }
    for (const port of [hf.port, pypi.port, goProxy.port, npm.port]) {
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

  it('offers the four stand-ins as stack services exporting HF_ENDPOINT, PIP_INDEX_URL, GOPROXY and npm_config_registry', async () => {
    const started = await Promise.all(mirrorServices().map(async (service) => ({name: service.name, running: await service.start()})));
    try {
      const byName = Object.fromEntries(started.map(({name, running}) => [name, running]));
      expect(Object.keys(byName).sort()).toEqual(['goproxy-mirror', 'hf-mirror', 'npm-mirror', 'pypi-mirror']);
      const hfEndpoint = byName['hf-mirror'].env?.HF_ENDPOINT;
      const indexUrl = byName['pypi-mirror'].env?.PIP_INDEX_URL;
      expect(hfEndpoint).toBe(byName['hf-mirror'].url);
      expect(indexUrl).toBe(`${byName['pypi-mirror'].url}/simple/`);
      const info = await curl(['-f', `${hfEndpoint}/api/models/tiny/mini-model`]);
      expect(JSON.parse(info.stdout).id).toBe('tiny/mini-model');
      expect((await curl(['-f', `${indexUrl}tinypkg/`])).stdout).toContain('tinypkg-0.1.0-py3-none-any.whl');
      const goProxy = byName['goproxy-mirror'].env?.GOPROXY;
      const registry = byName['npm-mirror'].env?.npm_config_registry;
      expect(goProxy).toBe(byName['goproxy-mirror'].url);
      expect(registry).toBe(`${byName['npm-mirror'].url}/`);
      expect((await curl(['-f', `${goProxy}/${GO_MODULE.path}/@v/${GO_MODULE.version}.mod`])).stdout).toBe(`module ${GO_MODULE.path}\n\ngo 1.19\n`);
      expect(JSON.parse((await curl(['-f', `${registry}`])).stdout).db_name).toBe('registry');
    } finally {
      await Promise.all(started.map(({running}) => running.close()));
    }
  });
});

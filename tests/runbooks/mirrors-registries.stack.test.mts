// The Go proxy and npm registry stand-ins answer real clients: `go` downloads and builds against
// the module, `npm view` reads the package document.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {RunningServer} from '../../src/stack/mirrors/http.mts';
import {cleanEnv} from '../stack/mirrors-fixtures/clients.mts';
import {goService, type GoService} from './mirrors-go.mts';
import {GO_MODULE, NPM_PACKAGE, startGoProxy, startNpmRegistry} from '../../src/stack/mirrors/index.mts';
import {runClient} from '../kit/processes.mts';

describe('Go module proxy stand-in', () => {
  let proxy: RunningServer;
  let service: GoService;
  beforeAll(async () => {
    proxy = await startGoProxy();
    service = await goService(proxy.url);
  }, 120_000);
  afterAll(async () => {
    service?.remove();
    await proxy?.close();
  });

  it('go mod tidy recorded the module\'s sums, and go builds and runs the service against it', async () => {
    expect(fs.readFileSync(path.join(service.dir, 'go.sum'), 'utf8')).toMatch(new RegExp(`^${GO_MODULE.path} ${GO_MODULE.version} h1:\\S+=$`, 'm'));
    const before = proxy.requests.length;
    const built = await runClient('go', ['run', '.'], service.env({GOPROXY: proxy.url, GOSUMDB: 'off'}), 120_000, service.dir);
    expect(built.code, built.stderr).toBe(0);
    expect(built.stdout).toBe('mirror\n');
    const paths = proxy.requests.slice(before).map((r) => r.path);
    expect(paths).toContain(`/${GO_MODULE.path}/@v/${GO_MODULE.version}.zip`);
  }, 120_000);

  it('lists the version, and answers 404 for another module so that ,direct falls through', async () => {
    const list = await runClient('curl', ['-sS', '-w', '\n%{http_code}', `${proxy.url}/${GO_MODULE.path}/@v/list`], cleanEnv());
    expect(list.stdout).toBe(`${GO_MODULE.version}\n\n200`);
    const other = await runClient('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', `${proxy.url}/example.com/other/@v/list`], cleanEnv());
    expect(other.stdout).toBe('404');
  });
});

describe('npm registry stand-in', () => {
  let registry: RunningServer;
  beforeAll(async () => {
    registry = await startNpmRegistry();
  });
  afterAll(() => registry?.close());

  it('npm view reads the package\'s latest version from it', async () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'mirrors-npm-cache-'));
    const ran = await runClient('npm', ['view', NPM_PACKAGE.name, 'version', '--registry', registry.url], cleanEnv({npm_config_cache: cache}));
    fs.rmSync(cache, {recursive: true, force: true});
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout.trim()).toBe(NPM_PACKAGE.version);
    expect(registry.requests.map((r) => r.path)).toContain(`/${NPM_PACKAGE.name}`);
  });
});

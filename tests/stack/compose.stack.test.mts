// compose.yaml is checked statically (no Docker engine here): it parses, its services and ports match
// the process stack, its Squid config is the generated one, and the mock image's build step works.
import {afterAll, describe, expect, it} from 'vitest';
import {parse} from 'yaml';
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {createInterface} from 'node:readline';
import os from 'node:os';
import path from 'node:path';
import {squidConfig, sharedRules, COMPOSE_SQUID_PORT} from '../../src/stack/squid-config.mts';
import {WELL_KNOWN_PORTS} from '../../src/stack/well-known-ports.mts';
import {DEFAULT_MODEL} from '../../src/stack/index.mts';
import {findSquid} from '../../src/stack/find-squid.mts';
import {runClient} from '../kit/processes.mts';
import {describeWithSquid, squidInfo} from '../kit/stack.mts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

interface Service {
  build?: {context: string; dockerfile: string};
  image?: string;
  command?: string[];
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  network_mode?: string;
}
const compose = parse(read('compose.yaml')) as {services: Record<string, Service>};
const services = compose.services;

function flag(command: string[] | undefined, name: string): string | undefined {
  const at = command?.indexOf(name) ?? -1;
  return at >= 0 ? command![at + 1] : undefined;
}

describe('compose.yaml', () => {
  it('has the process stack as services, plus a client', () => {
    expect(Object.keys(services).sort()).toEqual(['blackhole', 'client', 'mock-vllm', 'squid']);
  });

  it('builds every image from files in this repository', () => {
    for (const service of Object.values(services)) {
      if (service.build) expect(existsSync(path.join(ROOT, service.build.context, service.build.dockerfile))).toBe(true);
    }
    expect(services.blackhole.image).toBe(services['mock-vllm'].image);
  });

  it('serves the mock vLLM and the blackhole on the well-known ports, published on loopback', () => {
    const mock = services['mock-vllm'];
    expect(mock.command?.[0]).toBe('mock-vllm');
    expect(Number(flag(mock.command, '--port'))).toBe(WELL_KNOWN_PORTS.mockVllm);
    expect(flag(mock.command, '--model')).toBe(DEFAULT_MODEL);
    expect(mock.ports).toEqual([`127.0.0.1:${WELL_KNOWN_PORTS.mockVllm}:${WELL_KNOWN_PORTS.mockVllm}`]);
    const blackhole = services.blackhole;
    expect(blackhole.command?.[0]).toBe('blackhole');
    expect(Number(flag(blackhole.command, '--port'))).toBe(WELL_KNOWN_PORTS.blackhole);
    expect(blackhole.ports).toEqual([`127.0.0.1:${WELL_KNOWN_PORTS.blackhole}:${WELL_KNOWN_PORTS.blackhole}`]);
  });

  it('runs Squid with the generated config on the port the client is pointed at', () => {
    const squid = services.squid;
    expect(squid.volumes).toEqual(['./docker/squid/squid.conf:/etc/squid/squid.conf:ro']);
    expect(squid.ports).toEqual([`127.0.0.1:${COMPOSE_SQUID_PORT}:${COMPOSE_SQUID_PORT}`]);
    expect(read('docker/squid/squid.conf')).toMatch(new RegExp(`^http_port ${COMPOSE_SQUID_PORT}$`, 'm'));
    const client = services.client;
    expect(client.network_mode).toBe('service:mock-vllm'); // the model service is on the client's 127.0.0.1
    for (const name of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY']) {
      expect(client.environment?.[name]).toBe(`http://squid:${COMPOSE_SQUID_PORT}`);
    }
  });

  it('mounts exactly the config the generator writes (regenerate: npm run stack -- --write-compose-config)', () => {
    expect(read('docker/squid/squid.conf')).toBe(squidConfig({flavour: 'compose'}));
  });
});

describeWithSquid('compose Squid config against the real Squid', () => {
  it('shares its proxy rules with the configs of the running process stack', () => {
    const composeRules = sharedRules(read('docker/squid/squid.conf'));
    for (const proxy of [squidInfo().remote, squidInfo().forward]) {
      expect(sharedRules(readFileSync(proxy.configPath, 'utf8'))).toBe(composeRules);
    }
  });

  it('is accepted by `squid -k parse`', async () => {
    const {code, stderr} = await runClient(findSquid(), ['-k', 'parse', '-f', path.join(ROOT, 'docker/squid/squid.conf')], process.env);
    expect(code).toBe(0);
    expect(stderr).not.toMatch(/FATAL|ERROR/);
  });
});

describe('docker/mock-vllm.Dockerfile build step', () => {
  const dockerfile = read('docker/mock-vllm.Dockerfile');
  const out = mkdtempSync(path.join(os.tmpdir(), 'mock-vllm-image-'));
  afterAll(() => rmSync(out, {recursive: true, force: true}));

  it('pins the esbuild the repository uses', () => {
    const pinned = dockerfile.match(/esbuild@(\S+)/)?.[1];
    expect(pinned).toBe(JSON.parse(read('node_modules/esbuild/package.json')).version);
  });

  it("bundles a server that answers like the stack's mock vLLM", async () => {
    const esbuildArgs = dockerfile.match(/RUN npx esbuild (.+)/)![1].split(' ').map((arg) => arg.replace('/out/', `${out}/`));
    const built = await runClient(path.join(ROOT, 'node_modules/.bin/esbuild'), esbuildArgs.map((arg) => (arg.startsWith('src/') ? path.join(ROOT, arg) : arg)), process.env);
    expect(built.code).toBe(0);
    const server = spawn(process.execPath, [path.join(out, 'serve.mjs'), 'mock-vllm', '--port', '0'], {stdio: ['ignore', 'pipe', 'inherit']});
    try {
      const line = await new Promise<string>((resolve) => createInterface({input: server.stdout!}).once('line', resolve));
      const url = line.match(/http:\/\/\S+/)![0];
      const models = await (await fetch(`${url}/v1/models`)).json();
      expect(models.data[0].id).toBe(DEFAULT_MODEL);
    } finally {
      server.kill('SIGTERM');
    }
  });
});

// check-service with no --url: its first step lists what answers on the model servers' default
// ports and names each from its answer. The mock answers as each server (its personas) on an
// ephemeral port, passed in RUNBOOK_SERVICE_PORTS in place of the fixed ports the real command
// probes; beside them, a web server that is no model server and a port nothing listens on.
import * as http from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {SERVICE_PORTS} from '../../src/netcheck/service-ports.mts';
import {freePort} from '../../src/stack/free-port.mts';
import {closeServer, startMockVllm, type MockVllm} from '../../src/stack/mock-vllm.mts';
import {PERSONAS, type Persona} from '../../src/stack/personas.mts';
import {NETCHECK_BIN} from '../../src/extraction/emit.mts';
import {runClient} from '../kit/processes.mts';
import {generatedFile, jsonReport, runRunbook} from '../kit/runbooks.mts';
import {clientEnv} from '../kit/stack.mts';
import {resolveParam} from '../../src/runner/resolvers.mts';

const NETCHECK = await generatedFile(NETCHECK_BIN);

const NAMES: Record<Persona, string> = {
  vllm: 'vLLM', swift: 'ms-swift (swift deploy)', sglang: 'SGLang', lmdeploy: 'LMDeploy', ollama: 'Ollama',
  llamacpp: 'llama.cpp server', tgi: 'TGI', lmstudio: 'LM Studio', xinference: 'Xinference',
};

describe('runbook-netcheck services and check-service without --url', () => {
  const mocks = new Map<Persona, MockVllm>();
  let web: http.Server;
  let webPort: number;
  let closedPort: number;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    for (const persona of PERSONAS) mocks.set(persona, await startMockVllm({port: 0, persona, model: `model-of-${persona}`}));
    web = http.createServer((_, res) => void res.writeHead(404, {'content-type': 'text/html'}).end('<h1>Not Found</h1>'));
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', () => resolve()));
    webPort = (web.address() as AddressInfo).port;
    closedPort = await freePort();
    const ports = [...[...mocks.values()].map((m) => m.port), webPort, closedPort];
    // A proxy that would break every request: loopback must be asked directly.
    env = clientEnv({RUNBOOK_SERVICE_PORTS: ports.join(','), http_proxy: 'http://127.0.0.1:9', HOME: '/nonexistent', CI: 'true'});
  });
  afterAll(async () => {
    await Promise.all([...mocks.values()].map((m) => m.close()));
    if (web) await closeServer(web);
  });

  it('names every persona on its port; an unknown HTTP server is said to be one; a closed port is not listed', async () => {
    const ran = await runClient('node', [NETCHECK, 'services'], env);
    expect(ran.code, ran.stderr).toBe(0);
    for (const [persona, mock] of mocks) {
      expect(ran.stdout).toContain(`  127.0.0.1:${mock.port}  ${NAMES[persona]} (`);
      expect(ran.stdout).toMatch(new RegExp(`127\\.0\\.0\\.1:${mock.port} .*models: model-of-${persona}`));
    }
    expect(ran.stdout).toContain(`  127.0.0.1:${webPort}  not a model server this knows (answers HTTP (GET /v1/models: HTTP 404))`);
    expect(ran.stdout).not.toContain(`:${closedPort} `);
  });

  it('check-service with no --url runs the same listing as its first step', async () => {
    const ran = await runRunbook('check-service', ['--only', 'find', '--json'], env);
    const report = jsonReport(ran);
    expect(report.steps.map((s) => [s.id, s.status])).toEqual([['find', 'ok']]);
    for (const [persona, mock] of mocks) expect(report.steps[0].output).toContain(`127.0.0.1:${mock.port}  ${NAMES[persona]} (`);
  });

  it('with no --url and nothing at the default, the later steps check the model server found (a note says which); --url keeps its own', async () => {
    const [sglang, ollama] = [mocks.get('sglang')!, mocks.get('ollama')!];
    const direct = clientEnv({RUNBOOK_SERVICE_PORTS: [closedPort, webPort, sglang.port, ollama.port].join(','), CI: 'true'});
    const found = await runRunbook('check-service', [], direct);
    expect(found.code, found.stdout + found.stderr).toBe(0);
    expect(found.stdout).toContain(`note: no --url: checking http://127.0.0.1:${sglang.port}, where SGLang answers (nothing answers at http://127.0.0.1:8000; --url checks another)`);
    expect(found.stdout.match(/model-of-sglang/g)!.length).toBeGreaterThanOrEqual(3);
    expect(found.stdout).not.toContain(':8000/v1');

    const given = await runRunbook('check-service', ['--url', ollama.url, '--json'], direct);
    const report = jsonReport(given);
    expect(report.steps.map((s) => [s.id, s.status])).toEqual([['find', 'ok'], ['models', 'ok'], ['chat', 'ok'], ['stream', 'ok']]);
    expect(given.stdout).not.toContain('note: no --url');
    expect(report.steps[1].output).toContain('model-of-ollama');
  });

  it('a server answering at the default keeps it', async () => {
    const vllm = mocks.get('vllm')!;
    const env = clientEnv({RUNBOOK_SERVICE_PORTS: String(mocks.get('sglang')!.port)});
    const kept = await resolveParam('found-service', {value: vllm.url, given: false, env, startupFile: null});
    expect(kept).toEqual({value: vllm.url, notes: []});
    const moved = await resolveParam('found-service', {value: `http://127.0.0.1:${closedPort}`, given: false, env, startupFile: null});
    expect(moved.value).toBe(`http://127.0.0.1:${mocks.get('sglang')!.port}`);
  });

  it('without RUNBOOK_SERVICE_PORTS it probes the well-known ports, and says when nothing answers', async () => {
    const ran = await runClient('node', [NETCHECK, 'services'], clientEnv({RUNBOOK_SERVICE_PORTS: String(closedPort)}));
    expect(ran.code).toBe(1);
    expect(ran.stdout).toContain('none: start the server, or give its address with --url');
    expect(SERVICE_PORTS.map((p) => p.port)).toEqual([8000, 30000, 23333, 11434, 8080, 3000, 80, 1234, 9997]);
    const help = await runClient('node', [NETCHECK, 'services'], clientEnv({RUNBOOK_SERVICE_PORTS: ''}));
    expect(help.stdout.split('\n')[0]).toBe('model servers answering on 127.0.0.1 (ports 8000, 30000, 23333, 11434, 8080, 3000, 80, 1234, 9997):');
  });
});

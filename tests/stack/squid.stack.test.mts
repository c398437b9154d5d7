// The remote Squid reproduces the seed failure for real clients; NO_PROXY makes them bypass it.
import {expect, it} from 'vitest';
import {startSquid} from '../../src/stack/squid.mts';
import {runClient} from '../kit/processes.mts';
import {proxyEverything} from '../kit/proxy-env.mts';
import {accessLog, clientEnv, describeWithSquid, settledLogFor, squidInfo, stackInfo, useOwnMockVllm} from '../kit/stack.mts';

const SEED_ERROR = ['The requested URL could not be retrieved', 'Connection to 127.0.0.1 failed', '(111) Connection refused'];
const PYTHON = '/usr/bin/python3'; // Debian's, with requests installed (the pyenv python3 on PATH lacks it)
const PY_GET = 'import os, requests\nr = requests.get(os.environ["TARGET"], timeout=10)\nprint(r.status_code)\nprint(r.text)';

describeWithSquid('remote Squid (a corporate proxy that cannot see our loopback)', () => {
  const modelsUrl = () => `${stackInfo().mockVllm.baseUrl}/models`;
  const proxied = () => clientEnv(proxyEverything(squidInfo().remote.url));
  // The tests that count what Squid logged ask for URLs of their own: other files share the remote Squid.
  const ownMock = useOwnMockVllm();
  const ownModelsUrl = () => `${ownMock().url}/v1/models`;

  it('gives curl the seed error page while the mock vLLM is up, and logs the request', async () => {
    const mark = accessLog('remote').mark();
    const viaProxy = await runClient('curl', ['-sS', '-w', '\n%{http_code}', ownModelsUrl()], proxied());
    for (const text of SEED_ERROR) expect(viaProxy.stdout).toContain(text);
    expect(viaProxy.stdout.trim().split('\n').at(-1)).toBe('503');
    const entries = await settledLogFor('remote', mark, ownMock().url);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({method: 'GET', status: 503, result: 'TCP_MISS', url: ownModelsUrl()});
    const direct = await runClient('curl', ['-sS', '--noproxy', '*', modelsUrl()], proxied());
    expect(JSON.parse(direct.stdout).data[0].id).toBe(stackInfo().mockVllm.model);
  });

  it("reproduces the seed failure in a shell that sources the stack's export lines", async () => {
    const script = `${stackInfo().exportLines.join('\n')}\ncurl -sS "$MOCK_VLLM_URL/v1/models"`;
    const {stdout} = await runClient('bash', ['-c', script], clientEnv());
    for (const text of SEED_ERROR) expect(stdout).toContain(text);
  });

  it('gives Python requests the seed error page, and logs the request', async () => {
    const mark = accessLog('remote').mark();
    const {code, stdout} = await runClient(PYTHON, ['-c', PY_GET], {...proxied(), TARGET: ownModelsUrl()});
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe('503');
    for (const text of SEED_ERROR) expect(stdout).toContain(text);
    const entries = await settledLogFor('remote', mark, ownMock().url);
    expect(entries.map((entry) => entry.status)).toEqual([503]);
  });

  it("lets curl --noproxy '*' reach the mock vLLM with nothing in the access log", async () => {
    const mark = accessLog('remote').mark();
    const {code, stdout} = await runClient('curl', ['-sS', '--noproxy', '*', ownModelsUrl()], proxied());
    expect(code).toBe(0);
    expect(JSON.parse(stdout).object).toBe('list');
    expect(await settledLogFor('remote', mark, ownMock().url)).toEqual([]);
  });

  it('lets curl and Python requests with NO_PROXY=127.0.0.1,localhost reach the mock vLLM with nothing in the access log', async () => {
    const mark = accessLog('remote').mark();
    const env = {...proxied(), NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost', TARGET: ownModelsUrl()};
    const viaCurl = await runClient('curl', ['-sS', ownModelsUrl()], env);
    expect(JSON.parse(viaCurl.stdout).object).toBe('list');
    const viaPython = await runClient(PYTHON, ['-c', PY_GET], env);
    expect(viaPython.stdout.split('\n')[0]).toBe('200');
    expect(await settledLogFor('remote', mark, ownMock().url)).toEqual([]);
  });
});

describeWithSquid('forward Squid (a working proxy)', () => {
  // Other files share the forward Squid too: the request is for a mock of this file's own.
  const ownMock = useOwnMockVllm();
  it('forwards curl to the mock vLLM and logs it', async () => {
    const mark = accessLog('forward').mark();
    const {stdout} = await runClient('curl', ['-sS', '-x', squidInfo().forward.url, `${ownMock().url}/v1/models`], clientEnv());
    expect(JSON.parse(stdout).data[0].id).toBe(stackInfo().mockVllm.model);
    const entries = await settledLogFor('forward', mark, ownMock().url);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({method: 'GET', status: 200, hierarchy: 'HIER_DIRECT/127.0.0.1'});
  });
});

describeWithSquid('remote Squid without a network namespace (the rewrite fallback)', () => {
  it('still answers loopback requests with the seed error page, and stops by its pid', async () => {
    const squid = await startSquid({mode: 'remote', isolation: 'rewrite'});
    try {
      expect(squid.isolation).toBe('rewrite');
      const {stdout} = await runClient('curl', ['-sS', '-x', squid.url, `${stackInfo().mockVllm.baseUrl}/models`], clientEnv());
      for (const text of SEED_ERROR) expect(stdout).toContain(text);
      const [entry] = await squid.accessLog.waitForLines(0, 1);
      expect(entry.status).toBe(503);
    } finally {
      await squid.stop();
    }
    expect(() => process.kill(squid.squidPid, 0)).toThrow();
  });
});

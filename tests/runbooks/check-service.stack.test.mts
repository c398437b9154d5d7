// check-service and fix-noproxy --check against failures: each named with its reason and the
// guide's advice. Servers are the stack's (mock vLLM, blackhole, remote Squid) or started here.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startMockVllm, type MockVllm} from '../../src/stack/mock-vllm.mts';
import {type Home, jsonReport, proxyEverything, runRunbook, tempHome} from '../kit/runbooks.mts';
import {describeWithSquid, squidInfo, stackInfo} from '../kit/stack.mts';

describe('check-service reports each failure with its reason and advice', () => {
  let home: Home;
  let failing: MockVllm[] = [];
  beforeAll(async () => {
    home = tempHome({});
    failing = await Promise.all([403, 500].map((status) => startMockVllm({fault: {type: 'status', status}})));
  });
  afterAll(async () => {
    home?.remove();
    await Promise.all(failing.map((m) => m.close()));
  });

  it('connection refused: nothing listens', async () => {
    const closed = await startMockVllm();
    const url = closed.url;
    await closed.close();
    const ran = await runRunbook('check-service', ['--url', url, '--only', 'models'], home.env);
    expect(ran.code).toBe(1);
    expect(ran.stdout).toMatch(/FAILED \d+ ms: connection refused/);
    expect(ran.stdout).toContain('advice: nothing listens on that address and port');
  });

  it('403 and 500 from the service, 404 for a model it does not serve', async () => {
    const [forbidden, broken] = failing;
    const r403 = await runRunbook('check-service', ['--url', forbidden.url, '--only', 'models'], home.env);
    expect(r403.stdout).toMatch(/FAILED \d+ ms: HTTP 403/);
    expect(r403.stdout).toContain('advice: the service refused the request');
    const r500 = await runRunbook('check-service', ['--url', broken.url, '--only', 'models'], home.env);
    expect(r500.stdout).toMatch(/FAILED \d+ ms: HTTP 500/);
    expect(r500.stdout).toContain('advice: the service itself failed on the request: read the service log');
    const r404 = await runRunbook('check-service', ['--url', stackInfo().mockVllm.url, '--model', 'no-such-model', '--only', 'chat'], home.env);
    expect(r404.code).toBe(1);
    expect(r404.stdout).toMatch(/FAILED \d+ ms: model no-such-model: HTTP 404/);
    expect(r404.stdout).toContain('advice: wrong path (/v1 missing or doubled) or a model name the service does not serve');
  });

  it('--model names a served model; --dry-run shows the commands with the values and runs nothing', async () => {
    const {url, model} = stackInfo().mockVllm;
    const ran = await runRunbook('check-service', ['--url', url, '--model', model, '--json'], home.env);
    expect(jsonReport(ran).steps.map((s) => s.status)).toEqual(['ok', 'ok', 'ok', 'ok']); // find, models, chat, stream
    const dry = await runRunbook('check-service', ['--url', url, '--dry-run'], home.env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`runbook-netcheck service chat ${url} --model auto`);
    expect(dry.stdout).not.toMatch(/ok \d+ ms/);
  });

  it('a proxy that never answers: a timeout, named, with the advice', async () => {
    const env = tempHome(proxyEverything(stackInfo().blackhole.url));
    try {
      const ran = await runRunbook('check-service', ['--url', stackInfo().mockVllm.url, '--only', 'models'], env.env);
      expect(ran.code).toBe(1);
      expect(ran.stdout).toMatch(/FAILED \d+ ms: no answer within 5 s/);
      expect(ran.stdout).toContain('advice: a proxy that accepts and never answers');
    } finally {
      env.remove();
    }
  });
});

describeWithSquid('check-service through the remote Squid', () => {
  it('names the Squid error page in one line instead of dumping its HTML', async () => {
    const home = tempHome(proxyEverything(squidInfo().remote.url));
    try {
      const ran = await runRunbook('check-service', ['--url', stackInfo().mockVllm.url, '--only', 'models'], home.env);
      expect(ran.code).toBe(1);
      expect(ran.stdout).toMatch(/FAILED \d+ ms: Squid error page \(HTTP 503, X-Squid-Error: ERR_CONNECT_FAIL 111, squid\/[\d.]+\) Connection to 127\.0\.0\.1 failed\. The system returned: \(111\) Connection refused/);
      expect(ran.stdout).toContain('advice: the proxy answered instead of the service: exempt the host in no_proxy/NO_PROXY');
      expect(ran.stdout).not.toMatch(/<html|<!DOCTYPE/i);
    } finally {
      home.remove();
    }
  });
});

describe('fix-noproxy --check against the blackhole proxy', () => {
  it('names the hang, and the service is up', async () => {
    const home = tempHome(proxyEverything(stackInfo().blackhole.url));
    try {
      const ran = await runRunbook('fix-noproxy', ['--url', stackInfo().mockVllm.url, '--check', '--json'], home.env);
      const report = jsonReport(ran);
      expect(ran.code).toBe(1);
      expect(report.steps.map((s) => s.id)).toEqual(['variables', 'clients', 'probe', 'processes']);
      const probe = report.steps.find((s) => s.id === 'probe')!;
      expect(probe.output).toContain('direct (no proxy): works: HTTP 200');
      expect(probe.output).toMatch(/through http:\/\/127\.0\.0\.1:\d+ \(used for this URL by curl.*\): proxy hangs: accepted the connection and answered nothing \(no answer within 1 s\)/);
      expect(probe.output).toMatch(/^verdict: proxy hangs for curl/m);
    } finally {
      home.remove();
    }
  });

  it('says "service down" when nothing listens, whatever the proxy does', async () => {
    const closed = await startMockVllm();
    await closed.close();
    const home = tempHome(proxyEverything(stackInfo().blackhole.url));
    try {
      const ran = await runRunbook('fix-noproxy', ['--url', closed.url, '--check'], home.env);
      expect(ran.code).toBe(1);
      expect(ran.stdout).toMatch(/verdict: service down: connection refused.*no proxy setting will help/);
    } finally {
      home.remove();
    }
  });
});

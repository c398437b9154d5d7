// proxy-quick-fixes: every command of the proxy guide's quick fix, temporary fixes, plain diagnosis,
// Python snippets (requests, the openai SDK) and check_service.sh, run against the mock vLLM with
// the proxy variables pointing at the remote Squid. Without NO_PROXY the quick-fix check and
// check_service.sh fail the way a tool would (Squid's 503), and the temporary fixes get through;
// with the quick fix's two lines in the environment, every step passes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {afterAll, beforeAll, expect, it} from 'vitest';
import type {RunbookPlan} from '../../src/plan/plan.mts';
import {freePort} from '../../src/stack/free-port.mts';
import {findPython} from '../stack/mirrors-fixtures/clients.mts';
import {describeWithSquid, squidInfo, stackInfo} from '../kit/stack.mts';
import {REPO, jsonReport, proxyEverything, runRunbook, tempHome, type Home} from '../kit/runbooks.mts';

// The two lines of the quick fix, read from fix-noproxy's persist step (the block the page shows).
const persist = (JSON.parse(fs.readFileSync(path.join(REPO, 'runbooks', 'fix-noproxy.plan.json'), 'utf8')) as RunbookPlan)
  .steps.find((s) => s.id === 'persist')!;
const quickFixVars = Object.fromEntries([...persist.code.matchAll(/^export (no_proxy|NO_PROXY)="([^"]+)"$/gm)].map((m) => [m[1], m[2]]));
// A Python with the openai SDK and requests (.ci/run installs one from the local wheel folder).
const openaiPython = await findPython(['openai', 'requests'], [process.env.OPENAI_PYTHON, '/tmp/llm-network-runbooks-py/openai/bin/python']);

describeWithSquid('proxy-quick-fixes against the mock vLLM behind the remote Squid', () => {
  const args = () => ['--url', stackInfo().mockVllm.url, '--model', stackInfo().mockVllm.model, '--port', String(stackInfo().mockVllm.port), '--json'];
  // A proxy URL with credentials: they must never appear in what the runbook prints.
  const proxy = () => squidInfo().remote.url.replace('://', '://alice:s3cret@');
  let before: Home;
  let after: Home;
  beforeAll(() => {
    const python: Record<string, string> = openaiPython === null ? {} : {RUNBOOK_PYTHON: openaiPython};
    before = tempHome({...proxyEverything(proxy()), ...python});
    after = tempHome({...proxyEverything(proxy()), ...quickFixVars, ...python});
  });
  afterAll(() => {
    before?.remove();
    after?.remove();
  });

  it('the quick fix holds both variables with the same four local addresses', () => {
    expect(quickFixVars).toEqual({no_proxy: 'localhost,127.0.0.1,::1,0.0.0.0', NO_PROXY: 'localhost,127.0.0.1,::1,0.0.0.0'});
  });

  it('without NO_PROXY: the quick-fix check and check_service.sh get Squid\'s page, the temporary fixes get through, curl -v names Squid', async () => {
    const ran = await runRunbook('proxy-quick-fixes', args(), before.env, 120_000);
    const report = jsonReport(ran);
    const steps = Object.fromEntries(report.steps.map((s) => [s.id, s]));
    expect(report.exitCode).toBe(1);
    expect(steps.verify.status).toBe('failed');
    expect(steps.verify.output).toContain('The requested URL returned error: 503');
    expect(steps['check-service-sh'].status).toBe('failed');
    expect(steps['check-service-sh'].output).toContain('FAILED: 1/3 models');
    expect(steps['check-service-sh'].output).toContain('<title>ERROR: The requested URL could not be retrieved');
    expect(steps['check-service-sh'].output).not.toContain('<style'); // the page's title, not the whole page
    for (const id of ['noproxy-all', 'noproxy-list', 'env-unset', 'no-proxy-once', 'python-requests', 'scenario-models', 'scenario-chat', 'listening']) {
      expect(steps[id].status, `${id}: ${steps[id].output}`).toBe('ok');
    }
    expect(steps['curl-verbose'].output).toMatch(/^< X-Squid-Error: ERR_CONNECT_FAIL 111/m);
    expect(steps['curl-verbose'].output).toContain('://***@127.0.0.1:');
    expect(ran.stdout + ran.stderr).not.toContain('s3cret');
  }, 150_000);

  it('with the quick fix\'s two lines: every step passes, the openai SDK snippet included', async () => {
    const ran = await runRunbook('proxy-quick-fixes', args(), after.env, 120_000);
    const report = jsonReport(ran);
    const failed = report.steps.filter((s) => s.status !== 'ok' && !(s.id === 'python-openai' && openaiPython === null));
    expect(failed.map((s) => `${s.id}: ${s.output}`)).toEqual([]);
    const steps = Object.fromEntries(report.steps.map((s) => [s.id, s]));
    expect(steps['check-service-sh'].output).toContain(`ok: ${stackInfo().mockVllm.url} serves ${stackInfo().mockVllm.model} (models, chat, stream)`);
    // Without the SDK (no OPENAI_PYTHON, see .ci/run) the snippet fails on its import, which says so.
    if (openaiPython !== null) expect(steps['python-openai'].output).toContain(`Mock reply from ${stackInfo().mockVllm.model}`);
    else expect(steps['python-openai'].output).toMatch(/No module named '(openai|httpx)'/);
    expect(steps['show-no-proxy'].output).toContain('NO_PROXY=localhost,127.0.0.1,::1,0.0.0.0');
    expect(ran.stdout + ran.stderr).not.toContain('s3cret');
  }, 150_000);

  it('curl exit 7: the refused step tells a proxy that has quit from a service that is down', async () => {
    const deadPort = await freePort(); // nothing listens: a proxy that has quit, or a service that is down
    const refused = async (proxyVars: Record<string, string>, url: string) => {
      const home = tempHome(proxyVars);
      try {
        const ran = await runRunbook('proxy-quick-fixes', ['--only', 'refused', '--url', url, '--json'], home.env, 60_000);
        const [step] = jsonReport(ran).steps;
        return step;
      } finally {
        home.remove();
      }
    };
    const quit = await refused(proxyEverything(`http://127.0.0.1:${deadPort}`), stackInfo().mockVllm.url);
    expect(quit.status).toBe('failed');
    expect(quit.output).toMatch(/direct: curl exit 0; with your proxy settings: curl exit 7 .*port \d+/);
    expect(quit.output).toContain('the proxy your variables name refused: it has quit');
    const down = await refused({}, `http://127.0.0.1:${deadPort}`);
    expect(down.status).toBe('failed');
    expect(down.output).toContain('direct: curl exit 7');
    expect(down.output).toContain("nothing listens on the service's port");
    const up = await refused({}, stackInfo().mockVllm.url);
    expect(up.status, up.output).toBe('ok');
  }, 150_000);
});

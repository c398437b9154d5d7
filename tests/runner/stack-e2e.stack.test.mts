// End to end: a runbook generated from a page runs against the mock stack with every client
// pointed at the "corporate" Squid, which cannot reach our loopback. Each step's real effect is
// checked: Squid's access log, the mock vLLM's answers, the startup file, the written file.
import {readFileSync, existsSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {makeSandbox, type RunbookSandbox} from '../kit/runbooks.mts';
import {accessLog, describeWithSquid, settledLogFor, squidInfo, useOwnMockVllm} from '../kit/stack.mts';
import {proxyEverything} from '../kit/proxy-env.mts';

const PYTHON = '/usr/bin/python3'; // Debian's, with requests

describeWithSquid('a generated runbook against the mock stack', () => {
  // Its own mock: the remote Squid's log is shared with the files running beside this one.
  const mock = useOwnMockVllm();
  let box: RunbookSandbox;
  const proxied = () => ({...proxyEverything(squidInfo().remote.url), RUNBOOK_PYTHON: PYTHON});
  const args = () => ['--url', mock().url, '--model', mock().model, '--yes'];

  beforeAll(async () => {
    box = await makeSandbox(readFileSync('tests/runner/fixtures/stack.md', 'utf8'));
  });
  afterAll(() => box?.cleanup());

  it('sees the proxy intercept, then each step reach the service once NO_PROXY is set, and persists the fix', async () => {
    const log = accessLog('remote');
    const mark = log.mark();
    const report = join(box.dir, 'report.json');
    const result = await box.run('stack-demo', [...args(), '--json', report], {env: proxied()});
    const json = JSON.parse(readFileSync(report, 'utf8'));
    const step = (id: string) => json.steps.find((s: {id: string}) => s.id === id);
    expect(json.steps.map((s: {id: string; status: string}) => `${s.id}:${s.status}`), result.stdout).toEqual([
      'through-proxy:failed', 'bypass:ok', 'models:ok', 'chat:ok', 'persist:ok', 'compose:ok', 'fresh-shell:ok',
    ]);
    // The diagnosis found the problem; the fix ran and the fresh shell verified it.
    expect(result.code).toBe(0);
    // through-proxy: Squid answered instead of the service, and logged it.
    expect(step('through-proxy').output.trim()).toMatch(/^(503|502|504)$/);
    const logged = (await settledLogFor('remote', mark, mock().url)).map((e) => e.raw).filter((line) => line.includes('/v1/models'));
    expect(logged).toHaveLength(1);
    // bypass: later steps saw the merged NO_PROXY and went straight to the mock vLLM.
    expect(step('bypass').message).toContain('no_proxy');
    expect(JSON.parse(step('models').output).data.map((m: {id: string}) => m.id)).toContain(mock().model);
    expect(step('chat').output.trim()).toBe('chat.completion');
    // persist: the block is in ~/.bashrc, and a fresh shell with no inherited NO_PROXY used it.
    const bashrc = readFileSync(join(box.home, '.bashrc'), 'utf8');
    expect(bashrc).toMatch(/# >>> llm-network-runbooks:stack-demo-persist >>>\nexport NO_PROXY="localhost,127\.0\.0\.1,::1,0\.0\.0\.0"\n/);
    expect(step('fresh-shell').output).toContain(mock().model);
    // compose: the file carries the user's values, not the page's.
    expect(readFileSync(join(box.dir, 'compose.override.yaml'), 'utf8')).toBe(
      `services:\n  evaluator:\n    environment:\n      OPENAI_BASE_URL: ${mock().url}/v1\n      MODEL: ${mock().model}\n`,
    );
  });

  it('--undo takes the startup-file block and the written file back', async () => {
    const result = await box.run('stack-demo', [...args(), '--undo'], {env: proxied()});
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(readFileSync(join(box.home, '.bashrc'), 'utf8')).not.toContain('llm-network-runbooks');
    expect(existsSync(join(box.dir, 'compose.override.yaml'))).toBe(false);
  });
});

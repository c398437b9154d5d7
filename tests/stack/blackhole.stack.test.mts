// The blackhole proxy reproduces "EvalScope hangs": only a client timeout ends a request through it.
import {expect, it, describe} from 'vitest';
import {spawn} from 'node:child_process';
import {runClient} from '../kit/processes.mts';
import {clientEnv, stackInfo} from '../kit/stack.mts';

const PYTHON = '/usr/bin/python3';

describe('blackhole proxy', () => {
  const target = () => `${stackInfo().mockVllm.baseUrl}/models`;

  it('makes curl with --max-time 2 time out (exit 28)', async () => {
    const begin = performance.now();
    const {code, stderr} = await runClient('curl', ['-sS', '--max-time', '2', '-x', stackInfo().blackhole.url, target()], clientEnv());
    expect(code).toBe(28);
    expect(stderr).toMatch(/timed out/i);
    expect(performance.now() - begin).toBeGreaterThanOrEqual(1900);
  });

  it('makes Python requests with timeout=2 raise a timeout', async () => {
    const script = 'import os, requests\ntry:\n    requests.get(os.environ["TARGET"], timeout=2)\nexcept requests.exceptions.Timeout as e:\n    print(type(e).__name__)';
    const {stdout} = await runClient(PYTHON, ['-c', script], clientEnv({http_proxy: stackInfo().blackhole.url, TARGET: target()}));
    expect(stdout.trim()).toBe('ReadTimeout');
  });

  it('leaves a client without a timeout waiting', async () => {
    const curl = spawn('curl', ['-sS', '-x', stackInfo().blackhole.url, target()], {env: clientEnv(), stdio: 'ignore'});
    try {
      const exited = await new Promise<boolean>((resolve) => {
        curl.once('exit', () => resolve(true));
        setTimeout(() => resolve(false), 3000);
      });
      expect(exited).toBe(false);
    } finally {
      curl.kill('SIGKILL');
    }
  });
});

// src/stack/serve.mts, the container entry point: flags reach the mock, bad flags exit 2.
import {describe, expect, it} from 'vitest';
import {spawn} from 'node:child_process';
import {createInterface} from 'node:readline';
import path from 'node:path';
import {bundledEntry} from '../kit/bundled.mts';
import {runClient} from '../kit/processes.mts';

const ROOT = path.resolve(import.meta.dirname, '../..');
// serve.mts as `tsx src/stack/serve.mts` runs it, bundled once (tests/kit/bundled.mts).
const SERVE = [await bundledEntry('src/stack/serve.mts')];

async function withServer(args: string[], use: (url: string) => Promise<void>): Promise<void> {
  const server = spawn(process.execPath, [...SERVE, ...args], {cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit']});
  const exited = new Promise((resolve) => server.once('exit', resolve));
  try {
    const line = await new Promise<string>((resolve) => createInterface({input: server.stdout!}).once('line', resolve));
    await use(line.match(/http:\/\/\S+/)![0]);
  } finally {
    server.kill('SIGTERM');
    await exited;
  }
}

describe('serve entry point', () => {
  it('serves the mock vLLM with the given model and fault', async () => {
    await withServer(['mock-vllm', '--port', '0', '--model', 'qwen-test', '--fault', 'status:503'], async (url) => {
      const response = await fetch(`${url}/v1/models`);
      expect(response.status).toBe(503);
      expect((await response.json()).error.code).toBe(503);
    });
  });

  it('serves the blackhole', async () => {
    await withServer(['blackhole', '--port', '0'], async (url) => {
      const {code} = await runClient('curl', ['-sS', '--max-time', '1', '-x', url, 'http://127.0.0.1:9/'], process.env);
      expect(code).toBe(28);
    });
  });

  it.each([
    [['mock-vllm', '--fault', 'explode'], '--fault must be'],
    [['mock-vllm', '--port', 'x'], '--port must be'],
    [['mock-vllm', '--headers-timeout-ms', '0'], '--headers-timeout-ms must be a positive integer'],
    [['database'], 'unknown component "database"'],
    [[], 'unknown component ""'],
    [['mock-vllm', '--bogus'], 'unknown option --bogus'],
    [['mock-vllm', '--port'], '--port needs a value'],
    [['mock-vllm', '--port', '--model', 'm'], '--port needs a value'],
    [['mock-vllm', 'blackhole'], 'unexpected argument "blackhole"'],
  ])('rejects %j with exit 2: the reason, then the usage', async (args, reason) => {
    const {code, stdout, stderr} = await runClient(process.execPath, [...SERVE, ...args], process.env, 30_000, ROOT);
    expect({code, stdout}).toEqual({code: 2, stdout: ''});
    const [first, usage, ...rest] = stderr.split('\n');
    expect(first).toMatch(/^serve: /);
    expect(first).toContain(reason);
    expect(usage).toMatch(/^Usage: serve mock-vllm\|blackhole /);
    expect(rest).toEqual(['']);
  });
});

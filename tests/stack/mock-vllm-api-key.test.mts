// The proxy guide's 401 row: a service started with --api-key (the mock's apiKey) answers 401 with a
// JSON body and no proxy header to a request without the key, and the model list with it.
import {afterAll, beforeAll, expect, it} from 'vitest';
import {startMockVllm, type MockVllm} from '../../src/stack/mock-vllm.mts';
import {runClient} from '../kit/processes.mts';
import {clientEnv} from '../kit/stack.mts';

let mock: MockVllm;
beforeAll(async () => {
  mock = await startMockVllm({apiKey: 'sk-local-test'});
});
afterAll(() => mock?.close());

it('401 {"error": "Unauthorized"} without the key, no Via header; the model list with -H "Authorization: Bearer KEY"', async () => {
  const without = await runClient('curl', ['-sS', '-i', `${mock.url}/v1/models`], clientEnv());
  const [head, body] = without.stdout.split(/\r?\n\r?\n/);
  expect(head).toMatch(/^HTTP\/1\.1 401 /);
  expect(head).not.toMatch(/^via:/im);
  expect(JSON.parse(body)).toEqual({error: 'Unauthorized'});
  const withKey = await runClient('bash', ['-c', `KEY=sk-local-test; curl -sS --fail-with-body -H "Authorization: Bearer $KEY" ${mock.url}/v1/models`], clientEnv());
  expect(withKey.code, withKey.stdout).toBe(0);
  expect(JSON.parse(withKey.stdout).data[0].id).toBe(mock.model);
  const health = await runClient('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', `${mock.url}/health`], clientEnv());
  expect(health.stdout).toBe('200'); // like vLLM, only /v1 needs the key
});

import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import OpenAI from 'openai';
import {startMockVllm, type MockVllm} from '../../src/stack/mock-vllm.mts';
import {run, type Ran} from '../kit/processes.mts';

/** curl told to ignore every proxy variable, so only the mock answers. */
function curl(args: string[]): Promise<Ran> {
  return run('curl', ['-sS', '--noproxy', '*', ...args]);
}

describe('mock vLLM', () => {
  let mock: MockVllm;
  let client: OpenAI;
  beforeAll(async () => {
    mock = await startMockVllm();
    client = new OpenAI({baseURL: `${mock.url}/v1`, apiKey: 'EMPTY', maxRetries: 0});
  });
  afterAll(() => mock?.close());

  it('lists the served model through the openai SDK', async () => {
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(['mh-sft-7b']);
  });

  it('answers a chat completion with usage through the openai SDK', async () => {
    const reply = await client.chat.completions.create({model: 'mh-sft-7b', messages: [{role: 'user', content: 'ping from the test'}]});
    expect(reply.object).toBe('chat.completion');
    expect(reply.choices[0].message.content).toBe('Mock reply from mh-sft-7b: ping from the test');
    expect(reply.usage).toEqual({prompt_tokens: 4, completion_tokens: 8, total_tokens: 12});
  });

  it('streams a chat completion as server-sent events through the openai SDK', async () => {
    const stream = await client.chat.completions.create({
      model: 'mh-sft-7b',
      messages: [{role: 'user', content: 'stream me'}],
      stream: true,
      stream_options: {include_usage: true},
    });
    let text = '';
    let usage;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks += 1;
      text += chunk.choices[0]?.delta.content ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe('Mock reply from mh-sft-7b: stream me');
    expect(chunks).toBeGreaterThan(3);
    expect(usage).toEqual({prompt_tokens: 2, completion_tokens: 6, total_tokens: 8});
  });

  it('answers a text completion through the openai SDK', async () => {
    const reply = await client.completions.create({model: 'mh-sft-7b', prompt: 'say hi'});
    expect(reply.choices[0].text).toBe('Mock reply from mh-sft-7b: say hi');
  });

  it('ends a raw stream with data: [DONE] and carries usage on the closing chunk', async () => {
    const {code, stdout} = await curl(['-N', `${mock.url}/v1/chat/completions`, '-H', 'content-type: application/json',
      '-d', JSON.stringify({messages: [{role: 'user', content: 'hi'}], stream: true})]);
    expect(code).toBe(0);
    const events = stdout.split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    const closing = JSON.parse(events.at(-2)!.slice('data: '.length));
    expect(closing.choices[0].finish_reason).toBe('stop');
    expect(closing.usage.total_tokens).toBe(6);
  });

  it('serves /v1/models, /health and /version to curl', async () => {
    const models = await curl([`${mock.url}/v1/models`]);
    expect(JSON.parse(models.stdout).data[0].id).toBe('mh-sft-7b');
    const health = await curl(['-o', '/dev/null', '-w', '%{http_code}', `${mock.url}/health`]);
    expect(health.stdout).toBe('200');
    expect(JSON.parse((await curl([`${mock.url}/version`])).stdout).version).toMatch(/mock/);
  });

  const chat = (body: string, extra: string[] = []) =>
    curl(['-w', '\n%{http_code}', '-H', 'content-type: application/json', ...extra, '--data-binary', body, `${mock.url}/v1/chat/completions`]);

  it.each([
    ['malformed JSON', '{"messages": [', 400, 'Malformed JSON'],
    ['missing messages', '{"model": "mh-sft-7b"}', 400, '`messages` is a required property'],
    ['empty messages', '{"messages": []}', 400, 'non-empty array'],
    ['unknown model', '{"model": "gpt-4o", "messages": [{"role": "user", "content": "x"}]}', 404, 'The model `gpt-4o` does not exist'],
  ])('answers %s with an OpenAI-style %i error and keeps serving', async (_name, body, status, message) => {
    const {stdout} = await chat(body);
    const [json, code] = stdout.split('\n');
    expect(Number(code)).toBe(status);
    expect(JSON.parse(json).error).toMatchObject({code: status, message: expect.stringContaining(message)});
    expect((await curl([`${mock.url}/v1/models`])).code).toBe(0);
  });

  it('answers an unknown path with 404 and a wrong method with 405 and an Allow header', async () => {
    const missing = await curl(['-w', '\n%{http_code}', `${mock.url}/v1/embeddings`]);
    expect(missing.stdout.split('\n')[1]).toBe('404');
    const wrong = await curl(['-i', '-X', 'DELETE', `${mock.url}/v1/models`]);
    expect(wrong.stdout).toMatch(/^HTTP\/1.1 405/);
    expect(wrong.stdout).toMatch(/allow: GET/i);
    expect(wrong.stdout).toContain('"type":"MethodNotAllowedError"');
  });

  it('answers an oversized body with 413 and keeps serving', async () => {
    const body = JSON.stringify({messages: [{role: 'user', content: 'x'.repeat(2 * 1024 * 1024)}]});
    const response = await fetch(`${mock.url}/v1/chat/completions`, {method: 'POST', body, headers: {'content-type': 'application/json'}});
    expect(response.status).toBe(413);
    expect((await response.json()).error.type).toBe('PayloadTooLargeError');
    expect((await fetch(`${mock.url}/v1/models`)).status).toBe(200);
  });

  it('rejects a bad request through the openai SDK as a typed error', async () => {
    await expect(client.chat.completions.create({model: 'other', messages: [{role: 'user', content: 'x'}]})).rejects.toMatchObject({status: 404});
  });
});

describe('mock vLLM options and faults', () => {
  const started: MockVllm[] = [];
  afterAll(() => Promise.all(started.map((mock) => mock.close())));
  const start = async (options: Parameters<typeof startMockVllm>[0]) => {
    const mock = await startMockVllm(options);
    started.push(mock);
    return mock;
  };

  it('serves a configured model name', async () => {
    const mock = await start({model: 'qwen2-7b-instruct'});
    const body = await (await fetch(`${mock.url}/v1/models`)).json();
    expect(body.data[0].id).toBe('qwen2-7b-instruct');
  });

  it('injects an error status on every request', async () => {
    const mock = await start({fault: {type: 'status', status: 503}});
    const client = new OpenAI({baseURL: `${mock.url}/v1`, apiKey: 'EMPTY', maxRetries: 0});
    await expect(client.models.list()).rejects.toMatchObject({status: 503});
  });

  it('drops the connection without a response (curl exit 52, empty reply)', async () => {
    const mock = await start({fault: {type: 'drop'}});
    expect((await curl([`${mock.url}/v1/models`])).code).toBe(52);
  });

  it('delays the first byte on slow start, so a short read timeout fires', async () => {
    const mock = await start({fault: {type: 'slow-start', ms: 3000}});
    expect((await curl(['--max-time', '0.5', `${mock.url}/health`])).code).toBe(28);
  });

  it('adds latency before responses', async () => {
    const mock = await start({latencyMs: 300});
    const begin = performance.now();
    await fetch(`${mock.url}/health`);
    expect(performance.now() - begin).toBeGreaterThanOrEqual(290);
  });
});

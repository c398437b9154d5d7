// The mock vLLM under abuse (issue 15): every abusive request gets its documented status or is
// closed, the server answers normally afterwards, and its sockets and memory return to baseline.
// The cases run in order on one mock process; the last one checks what the others left behind.
// The limits asserted here are the ones src/stack/README.md documents.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {chatBody, footprint, raw, request, rssCeiling, settle, slowHeaders, spawnMock, streamStorm, LEAK_ALLOWANCE, type Footprint, type MockProcess} from '../kit/mock-abuse.mts';

const STREAMS = 1000;
// The mock's default. Shorter ones are not safe here: under a burst of 1,000 connections the server
// may take seconds to read a connection's headers, and Node times those out too (408).
const HEADERS_TIMEOUT_MS = 10_000;
const SETTLE_TIMEOUT_MS = 30_000;

describe('mock vLLM under abuse', () => {
  let mock: MockProcess;
  let baseline: Footprint;
  beforeAll(async () => {
    // A little latency between stream events, so a hang-up after the first event is mid-stream.
    mock = await spawnMock(['--latency-ms', '20', '--headers-timeout-ms', String(HEADERS_TIMEOUT_MS)]);
    expect((await request(mock.port, 'POST', '/v1/chat/completions', chatBody('warm up'))).status).toBe(200);
    await mock.collectGarbage();
    baseline = await footprint(mock);
  });
  afterAll(() => mock?.stop());

  it(`serves ${STREAMS} concurrent streams while every second client hangs up mid-stream`, {timeout: 120_000}, async () => {
    const tally = await streamStorm(mock.port, STREAMS);
    expect(tally).toEqual({completed: STREAMS / 2, 'dropped mid-stream': STREAMS / 2, failed: 0});
  });

  it('answers a slow-headers client with 408 and closes it once the headers timeout passes', {timeout: 4 * HEADERS_TIMEOUT_MS}, async () => {
    // The client would keep dribbling header lines for three headers timeouts; the server must cut it off.
    const answer = await slowHeaders(mock.port, HEADERS_TIMEOUT_MS / 20, 60);
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  });

  it('answers a 20 MB body with 413 (the limit is 1 MiB) and closes the connection', async () => {
    const reply = await request(mock.port, 'POST', '/v1/chat/completions', chatBody('x'.repeat(20 * 1024 * 1024)));
    expect(reply.status).toBe(413);
    expect(reply.headers.connection).toBe('close');
    expect(JSON.parse(reply.text).error).toMatchObject({type: 'PayloadTooLargeError', code: 413});
  });

  const invalidUtf8InString = Buffer.concat([Buffer.from('{"messages": [{"role": "user", "content": "caf'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}]}')]);
  it.each([
    ['a body of invalid UTF-8', Buffer.from([0xc3, 0x28, 0xa0, 0xa1])],
    ['invalid UTF-8 inside a JSON string', invalidUtf8InString],
  ])('answers %s with 400', async (_name, body) => {
    const reply = await request(mock.port, 'POST', '/v1/chat/completions', body);
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.text).error).toMatchObject({type: 'BadRequestError', message: 'Request body is not valid UTF-8.'});
  });

  it('echoes an escaped lone surrogate (valid JSON, not valid Unicode) as valid JSON', async () => {
    const reply = await request(mock.port, 'POST', '/v1/chat/completions', Buffer.from('{"messages": [{"role": "user", "content": "\\ud800 half"}]}'));
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('\\ud800 half');
    expect(JSON.parse(reply.text).choices[0].message.content).toBe('Mock reply from mh-sft-7b: \ud800 half');
  });

  it.each([
    ['a method the HTTP parser does not know', 'BREW /v1/models HTTP/1.1\r\nHost: mock\r\n\r\n', /^HTTP\/1\.1 400 Bad Request\r\n/],
    ['a known method the route does not allow', 'PROPFIND /v1/chat/completions HTTP/1.1\r\nHost: mock\r\nConnection: close\r\n\r\n', /^HTTP\/1\.1 405 Method Not Allowed\r\n[^]*allow: POST\r\n/],
    ['headers over 16 KiB', `GET /v1/models HTTP/1.1\r\nHost: mock\r\nX-Big: ${'b'.repeat(17 * 1024)}\r\n\r\n`, /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/],
    ['CONNECT (a client using the mock as its proxy)', 'CONNECT huggingface.co:443 HTTP/1.1\r\nHost: huggingface.co:443\r\n\r\n', /^HTTP\/1\.1 405 Method Not Allowed\r\n[^]*not a proxy/],
  ])('answers %s and closes the connection', async (_name, bytes, answer) => {
    // `raw` resolves only once the server has closed the socket.
    expect(await raw(mock.port, bytes)).toMatch(answer);
  });

  it('answers normally afterwards, and its open sockets and RSS return to baseline', {timeout: SETTLE_TIMEOUT_MS + 10_000}, async () => {
    const reply = await request(mock.port, 'POST', '/v1/chat/completions', chatBody('still there?'));
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.text).choices[0].message.content).toBe('Mock reply from mh-sft-7b: still there?');
    const settled = await settle(mock, rssCeiling(baseline, LEAK_ALLOWANCE), SETTLE_TIMEOUT_MS);
    console.log(`mock vLLM after abuse: ${settled.value.sockets} open sockets (baseline ${baseline.sockets}), ` +
      `RSS ${settled.value.rssKiB} KiB (baseline ${baseline.rssKiB} KiB, allowance ${LEAK_ALLOWANCE * 100} %)`);
    expect(settled.value.sockets).toBeLessThanOrEqual(baseline.sockets);
    expect(settled.value.rssKiB).toBeLessThanOrEqual(rssCeiling(baseline, LEAK_ALLOWANCE).rssKiB);
  });

  it('stays under the same ceiling after a second round of abuse (no leak per request)', {timeout: 120_000 + SETTLE_TIMEOUT_MS}, async () => {
    expect(await streamStorm(mock.port, STREAMS)).toMatchObject({failed: 0});
    expect((await request(mock.port, 'POST', '/v1/chat/completions', chatBody('x'.repeat(20 * 1024 * 1024)))).status).toBe(413);
    const settled = await settle(mock, rssCeiling(baseline, LEAK_ALLOWANCE), SETTLE_TIMEOUT_MS);
    console.log(`mock vLLM after a second round: ${settled.value.sockets} open sockets, RSS ${settled.value.rssKiB} KiB ` +
      `(baseline ${baseline.rssKiB} KiB, allowance ${LEAK_ALLOWANCE * 100} %)`);
    expect(settled.value.sockets).toBeLessThanOrEqual(baseline.sockets);
    expect(settled.value.rssKiB).toBeLessThanOrEqual(rssCeiling(baseline, LEAK_ALLOWANCE).rssKiB);
  });
});

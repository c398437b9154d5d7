// The mock vLLM bounds connections as a real server does: `Connection: close` is honoured (plain and
// streamed answers), an endless chunked body gets its 413 and a close once the drain bound passes,
// and a body trickling in at 1 byte/s is cut off with 408 when the request timeout passes (2 s
// here; the mock's default is 15 s).
import * as net from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startMockVllm, type MockVllm} from '../../src/stack/mock-vllm.mts';

let mock: MockVllm;
beforeAll(async () => {
  mock = await startMockVllm({headersTimeoutMs: 1_000, requestTimeoutMs: 2_000});
});
afterAll(() => mock?.close());

/** Opens a connection, lets `feed` write to it, and resolves with everything read once the server
 *  closes it, how long that took, and the socket's error codes (a reset: ECONNRESET, EPIPE). */
function exchange(feed: (socket: net.Socket) => void): Promise<{text: string; ms: number; errors: string[]}> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(mock.port, '127.0.0.1', () => feed(socket));
    let text = '';
    const errors: string[] = [];
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.on('error', (error: NodeJS.ErrnoException) => errors.push(error.code ?? error.message));
    socket.on('close', () => resolve({text, ms: Date.now() - started, errors}));
    socket.setTimeout(30_000, () => reject(new Error(`still open after 30 s; read so far: ${text.slice(0, 200)}`)));
  });
}

const chat = JSON.stringify({model: 'mh-sft-7b', messages: [{role: 'user', content: 'hi'}], stream: true});

describe('mock vLLM connection bounds', () => {
  it.each([
    ['GET /v1/models', 'GET /v1/models HTTP/1.1\r\nHost: mock\r\nConnection: close\r\n\r\n'],
    ['a streamed chat', `POST /v1/chat/completions HTTP/1.1\r\nHost: mock\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${chat.length}\r\n\r\n${chat}`],
  ])('honours Connection: close on %s', async (_name, request) => {
    const {text} = await exchange((socket) => socket.write(request));
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(text).toMatch(/\r\nconnection: close\r\n/i);
    expect(text).not.toMatch(/keep-alive/i);
  });

  // Closed as nginx's lingering close does: the client gets the 413 and the server's FIN, never a
  // reset, which on a loaded machine made the client's system drop the 413 unread.
  it('answers an endless chunked body with 413 and closes it without a reset', async () => {
    const chunk = `${(64 * 1024).toString(16)}\r\n${'x'.repeat(64 * 1024)}\r\n`;
    const {text, ms, errors} = await exchange((socket) => {
      socket.write('POST /v1/chat/completions HTTP/1.1\r\nHost: mock\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
      const pump = () => {
        while (!socket.destroyed && socket.write(chunk));
        if (!socket.destroyed) socket.once('drain', pump);
      };
      pump();
    });
    expect(text).toMatch(/^HTTP\/1\.1 413 Payload Too Large\r\n/);
    expect(errors).toEqual([]);
    expect(ms).toBeLessThan(20_000);
  }, 40_000);

  it('cuts off a body trickling in at 1 byte/s with 408', async () => {
    let timer: NodeJS.Timeout | undefined;
    const {text, ms} = await exchange((socket) => {
      socket.write('POST /v1/chat/completions HTTP/1.1\r\nHost: mock\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{');
      timer = setInterval(() => socket.destroyed || socket.write(' '), 1_000);
    });
    clearInterval(timer);
    expect(text).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(ms).toBeLessThan(10_000);
  }, 40_000);
});

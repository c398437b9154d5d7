// Abusive clients for the mock vLLM, shared by tests/stack/mock-vllm-abuse.stack.test.mts (what each gets)
// and bench/mock-abuse.bench.mts (what the server's sockets and memory do). The mock runs as a child
// process so its open sockets (/proc/<pid>/fd) and RSS (/proc/<pid>/status) are its own, not the
// clients'.
import http from 'node:http';
import net from 'node:net';
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {readFile, readdir, readlink} from 'node:fs/promises';
import {createInterface} from 'node:readline';
import path from 'node:path';
import {waitFor} from './wait.mts';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface MockProcess {
  pid: number;
  port: number;
  /** A full garbage collection in the child (see gc-on-signal.mts). */
  collectGarbage(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts `serve.mts mock-vllm` on an ephemeral port with extra flags. Two settings make its RSS
 * after the abuse measure the mock rather than the memory policies under it:
 * - `--max-semi-space-size=1`: V8's young generation otherwise grows to tens of MiB under the burst
 *   and shrinks only when V8's idle-time memory reducer gets to it;
 * - fixed glibc malloc thresholds and two arenas: with glibc's dynamic thresholds, about one process
 *   in five kept ~30 % above baseline for good (measured, stable over rounds: retention, not a
 *   leak); with these, every run returned to within 5 %.
 */
export async function spawnMock(flags: string[]): Promise<MockProcess> {
  const child = spawn(process.execPath, ['--expose-gc', '--max-semi-space-size=1', '--import', 'tsx', '--import', './tests/kit/gc-on-signal.mts', 'src/stack/serve.mts', 'mock-vllm', '--port', '0', ...flags], {
    cwd: ROOT,
    env: {...process.env, MALLOC_ARENA_MAX: '2', MALLOC_TRIM_THRESHOLD_: '131072', MALLOC_MMAP_THRESHOLD_: '131072'},
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const lines = createInterface({input: child.stdout!});
  const line = await Promise.race([
    new Promise<string>((resolve) => lines.once('line', resolve)),
    exited.then(([code]) => Promise.reject(new Error(`mock vLLM exited with ${code} before listening`))),
  ]);
  return {
    pid: child.pid!,
    port: Number(line.match(/:(\d+)\s*$/)![1]),
    async collectGarbage() {
      const done = new Promise<void>((resolve) => lines.on('line', function seen(text) {
        if (text !== 'gc done') return;
        lines.off('line', seen);
        resolve();
      }));
      child.kill('SIGUSR2');
      await done;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Sockets the process holds open (listening socket included). */
export async function openSockets(pid: number): Promise<number> {
  const dir = `/proc/${pid}/fd`;
  const links = await Promise.all((await readdir(dir)).map((fd) => readlink(`${dir}/${fd}`).catch(() => '')));
  return links.filter((link) => link.startsWith('socket:')).length;
}

/** Resident memory now and at its peak (VmHWM), in KiB. */
export async function memoryKiB(pid: number): Promise<{rss: number; peak: number}> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm'))![1]);
  return {rss: field('VmRSS'), peak: field('VmHWM')};
}

export interface Footprint {
  sockets: number;
  rssKiB: number;
}

export async function footprint(mock: MockProcess): Promise<Footprint> {
  return {sockets: await openSockets(mock.pid), rssKiB: (await memoryKiB(mock.pid)).rss};
}

/**
 * RSS after the abuse, after a full GC, may exceed the baseline by this fraction (what the
 * allocator keeps; measured −1 to 5 % with the settings above). It reuses what it keeps, so another
 * round of the same abuse settles under the same ceiling; a leak accumulates and crosses it.
 */
export const RSS_ALLOWANCE = 0.15;

/**
 * The test's bound, looser than the benchmark's goal above (memory targets live in benchmarks):
 * on a busy machine the allocator kept up to 21 % (one suite run with a CPU hog; 14 % on an idle
 * one), the old way of closing a 413 included. A leak of the size of what one round sends (the
 * 20 MB body, 1,000 streams) accumulates past it by the second round.
 */
export const LEAK_ALLOWANCE = 0.3;

export const rssCeiling = (base: Footprint, fraction: number): Footprint => ({...base, rssKiB: Math.round(base.rssKiB * (1 + fraction))});

/**
 * Waits (bounded) until the mock holds no more sockets and, after a full garbage collection, no
 * more RSS than `ceiling`. `met` is false if that did not happen in time; `value` is the last reading.
 */
export async function settle(mock: MockProcess, ceiling: Footprint, timeoutMs: number): Promise<{met: boolean; value: Footprint}> {
  return waitFor(
    async () => {
      await mock.collectGarbage();
      return footprint(mock);
    },
    (now) => now.sockets <= ceiling.sockets && now.rssKiB <= ceiling.rssKiB,
    timeoutMs,
    50,
  );
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** One request on its own connection (`Connection: close`), the body written in 64 KiB slices. */
export function request(port: number, method: string, urlPath: string, body?: Buffer, headers: http.OutgoingHttpHeaders = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({host: '127.0.0.1', port, method, path: urlPath, agent: false, headers: {'content-type': 'application/json', ...headers}}, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString('utf8')}));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (!body) return void req.end();
    req.setHeader('content-length', body.length);
    void (async () => {
      for (let offset = 0; offset < body.length && !req.destroyed; offset += 65536) {
        if (!req.write(body.subarray(offset, offset + 65536))) await once(req, 'drain');
      }
      req.end();
    })().catch(reject);
  });
}

export const chatBody = (content: string, extra: object = {}) => Buffer.from(JSON.stringify({messages: [{role: 'user', content}], ...extra}));

type StreamOutcome = 'completed' | 'dropped mid-stream';

// 32 words: the reply streams as 36 events, so a client that hangs up after the first one leaves
// most of the stream unsent even when its event loop lags behind the server's.
const STREAM_PROMPT = Array.from({length: 32}, (_, i) => `word${i}`).join(' ');

/** A streaming chat completion; `hangUp` disconnects as soon as the first event arrives. */
function stream(port: number, hangUp: boolean): Promise<StreamOutcome> {
  const body = chatBody(STREAM_PROMPT, {stream: true});
  return new Promise((resolve, reject) => {
    const req = http.request(
      {host: '127.0.0.1', port, method: 'POST', path: '/v1/chat/completions', agent: false, headers: {'content-type': 'application/json', 'content-length': body.length}},
      (res) => {
        if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
        let text = '';
        res.setEncoding('utf8');
        res.on('error', () => {}); // the hang-up below aborts the response on purpose
        res.on('data', (chunk: string) => {
          text += chunk;
          if (!hangUp) return;
          req.destroy();
          if (text.includes('[DONE]')) reject(new Error('the whole stream arrived before the hang-up: not mid-stream'));
          else resolve('dropped mid-stream');
        });
        res.on('end', () => (text.endsWith('data: [DONE]\n\n') ? resolve('completed') : reject(new Error(`stream ended without [DONE]: ${text.slice(-80)}`))));
      },
    );
    req.on('error', (error) => (hangUp && req.destroyed ? undefined : reject(error)));
    req.end(body);
  });
}

/** `count` concurrent streams, every second one hanging up mid-stream; counts each outcome. */
export async function streamStorm(port: number, count: number): Promise<Record<StreamOutcome | 'failed', number> & {firstFailure?: string}> {
  const settled = await Promise.allSettled(Array.from({length: count}, (_, i) => stream(port, i % 2 === 1)));
  const tally = {completed: 0, 'dropped mid-stream': 0, failed: 0} as Record<StreamOutcome | 'failed', number> & {firstFailure?: string};
  for (const outcome of settled) {
    if (outcome.status === 'fulfilled') tally[outcome.value] += 1;
    else {
      tally.failed += 1;
      tally.firstFailure ??= String(outcome.reason);
    }
  }
  return tally;
}

/** Raw bytes on a fresh socket; resolves with everything the server sent once it closes the socket. */
export function raw(port: number, bytes: Buffer | string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
  });
}

/**
 * Slowloris: starts a request and sends one more header line every `intervalMs`, never finishing
 * the headers. Resolves with what the server sent when it closed the socket, or with `null` if the
 * client gave up after `maxLines` lines (the server never closed it).
 */
export function slowHeaders(port: number, intervalMs: number, maxLines: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let lines = 0;
    socket.write('POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const timer = setInterval(() => {
      lines += 1;
      if (lines > maxLines) {
        clearInterval(timer);
        socket.destroy();
        return resolve(null);
      }
      if (!socket.destroyed) socket.write(`X-Slow-${lines}: ${'a'.repeat(8)}\r\n`);
    }, intervalMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('close', () => {
      clearInterval(timer);
      resolve(lines > maxLines ? null : Buffer.concat(chunks).toString('latin1'));
    });
    socket.on('error', () => {}); // a write racing the server's close: 'close' still reports
  });
}

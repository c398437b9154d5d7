// The mock stack: time from startStack() to ready (mock vLLM, blackhole and both Squids), and the
// mock vLLM's throughput on 64 concurrent keep-alive connections (load from this process, server in
// its own process so the two do not share an event loop).
import http from 'node:http';
import {spawn} from 'node:child_process';
import {createInterface} from 'node:readline';
import path from 'node:path';
import {startStack} from '../src/stack/index.mts';
import type {BenchResult} from './run.mts';

const ROOT = path.resolve(import.meta.dirname, '..');
const READY_GOAL_MS = 2000;
const CONNECTIONS = 64;
const LOAD_SECONDS = 3;
const STARTS = 3;

async function timeToReady(): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < STARTS; run += 1) {
    const begin = performance.now();
    const stack = await startStack();
    times.push(performance.now() - begin);
    await stack.stop();
  }
  return Math.round(times.sort((a, b) => a - b)[Math.floor(STARTS / 2)]); // median
}

function post(agent: http.Agent, port: number, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request({agent, host: '127.0.0.1', port, method: 'POST', path: '/v1/chat/completions', headers: {'content-type': 'application/json', 'content-length': Buffer.byteLength(body)}}, (res) => {
      if (res.statusCode !== 200) reject(new Error(`mock vLLM answered ${res.statusCode}`));
      res.resume().on('end', () => resolve());
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function requestsPerSecond(): Promise<number> {
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/stack/serve.mts', 'mock-vllm', '--port', '0'], {cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit']});
  try {
    const line = await new Promise<string>((resolve) => createInterface({input: server.stdout!}).once('line', resolve));
    const port = Number(line.match(/:(\d+)\s*$/)![1]);
    const agent = new http.Agent({keepAlive: true, maxSockets: CONNECTIONS});
    const body = JSON.stringify({model: 'mh-sft-7b', messages: [{role: 'user', content: 'benchmark the mock'}]});
    const deadline = performance.now() + LOAD_SECONDS * 1000;
    let done = 0;
    const worker = async () => {
      while (performance.now() < deadline) {
        await post(agent, port, body);
        done += 1;
      }
    };
    const begin = performance.now();
    await Promise.all(Array.from({length: CONNECTIONS}, worker));
    agent.destroy();
    return Math.round(done / ((performance.now() - begin) / 1000));
  } finally {
    server.kill('SIGTERM');
  }
}

export default async function bench(): Promise<BenchResult[]> {
  const readyMs = await timeToReady();
  const rps = await requestsPerSecond();
  return [
    {name: 'stack time to ready (mock vLLM, blackhole, remote + forward Squid; median of 3)', value: readyMs, unit: 'ms', goal: `< ${READY_GOAL_MS} ms`, ok: readyMs < READY_GOAL_MS},
    {name: `mock vLLM chat completions, ${CONNECTIONS} concurrent keep-alive connections`, value: rps, unit: 'req/s'},
  ];
}

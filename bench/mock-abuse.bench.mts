// The mock vLLM under abuse (the figures behind tests/stack/mock-vllm-abuse.test.mts): 1,000
// concurrent streams with every second client hanging up mid-stream, a slow-headers client, a 20 MB
// body, invalid UTF-8 and unknown methods, against a mock in its own process. Reports that process's
// open sockets and RSS before, at the peak, and once they have settled (after a full GC).
import {chatBody, footprint, memoryKiB, openSockets, raw, request, settle, slowHeaders, spawnMock, streamStorm, RSS_SLACK} from '../tests/stack/mock-vllm-abuse.mts';
import type {BenchResult} from './run.mts';

const STREAMS = 1000;
const SETTLE_TIMEOUT_MS = 30_000;

export default async function bench(): Promise<BenchResult[]> {
  const mock = await spawnMock(['--latency-ms', '20']); // the default 10 s headers timeout
  try {
    await request(mock.port, 'POST', '/v1/chat/completions', chatBody('warm up'));
    await mock.collectGarbage();
    const baseline = await footprint(mock);
    let peakSockets = baseline.sockets;
    const sampler = setInterval(() => void openSockets(mock.pid).then((n) => (peakSockets = Math.max(peakSockets, n)), () => {}), 100);
    const begin = performance.now();
    const slow = slowHeaders(mock.port, 500, 60);
    const tally = await streamStorm(mock.port, STREAMS);
    const stormSeconds = (performance.now() - begin) / 1000;
    await request(mock.port, 'POST', '/v1/chat/completions', chatBody('x'.repeat(20 * 1024 * 1024)));
    await request(mock.port, 'POST', '/v1/chat/completions', Buffer.from([0xc3, 0x28, 0xa0, 0xa1]));
    await raw(mock.port, 'BREW /v1/models HTTP/1.1\r\nHost: mock\r\n\r\n');
    await slow;
    clearInterval(sampler);
    const peakRss = (await memoryKiB(mock.pid)).peak;
    const settleBegin = performance.now();
    const settled = await settle(mock, baseline, SETTLE_TIMEOUT_MS);
    const settleMs = Math.round(performance.now() - settleBegin);
    const mib = (kib: number) => Math.round(kib / 102.4) / 10;
    const allAnswered = tally.failed === 0;
    return [
      {name: `${STREAMS} concurrent streams, half hung up mid-stream: failed requests`, value: tally.failed, unit: 'requests', goal: '0', ok: allAnswered},
      {name: `${STREAMS} concurrent streams: wall time`, value: Math.round(stormSeconds * 10) / 10, unit: 's'},
      {name: 'mock vLLM open sockets: baseline', value: baseline.sockets, unit: 'sockets'},
      {name: 'mock vLLM open sockets: peak during the abuse (sampled every 100 ms)', value: peakSockets, unit: 'sockets'},
      {name: 'mock vLLM open sockets: settled', value: settled.value.sockets, unit: 'sockets', goal: `≤ ${baseline.sockets} (baseline)`, ok: settled.value.sockets <= baseline.sockets},
      {name: 'mock vLLM RSS: baseline', value: mib(baseline.rssKiB), unit: 'MiB'},
      {name: 'mock vLLM RSS: peak (VmHWM)', value: mib(peakRss), unit: 'MiB'},
      {name: 'mock vLLM RSS: settled (after a full GC)', value: mib(settled.value.rssKiB), unit: 'MiB', goal: `≤ baseline + ${RSS_SLACK * 100} %`, ok: settled.met},
      {name: 'time for sockets and RSS to settle', value: settleMs, unit: 'ms', goal: `< ${SETTLE_TIMEOUT_MS} ms`, ok: settled.met},
    ];
  } finally {
    await mock.stop();
  }
}

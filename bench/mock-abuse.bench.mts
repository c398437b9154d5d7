// The mock vLLM under abuse (the figures behind tests/stack/mock-vllm-abuse.stack.test.mts): 1,000
// concurrent streams with every second client hanging up mid-stream, a slow-headers client, a 20 MB
// body, invalid UTF-8 and an unknown method, against a mock in its own process, twice. Reports that
// process's open sockets and RSS at baseline, at the peak, and settled (after a full GC) after each
// round.
import {chatBody, footprint, memoryKiB, openSockets, raw, request, rssCeiling, settle, slowHeaders, spawnMock, streamStorm, RSS_ALLOWANCE, type MockProcess} from '../tests/kit/mock-abuse.mts';
import type {BenchResult} from './run.mts';

const STREAMS = 1000;
const SETTLE_TIMEOUT_MS = 30_000;

/** One round of abuse; returns the failed requests and the peak of open sockets (sampled). */
async function abuse(mock: MockProcess): Promise<{failed: number; peakSockets: number; seconds: number}> {
  let peakSockets = 0;
  const sampler = setInterval(() => void openSockets(mock.pid).then((n) => (peakSockets = Math.max(peakSockets, n)), () => {}), 100);
  const begin = performance.now();
  const slow = slowHeaders(mock.port, 500, 60); // the default 10 s headers timeout cuts it off
  const tally = await streamStorm(mock.port, STREAMS);
  const seconds = Math.round((performance.now() - begin) / 100) / 10;
  const answers = [
    await request(mock.port, 'POST', '/v1/chat/completions', chatBody('x'.repeat(20 * 1024 * 1024))),
    await request(mock.port, 'POST', '/v1/chat/completions', Buffer.from([0xc3, 0x28, 0xa0, 0xa1])),
  ];
  const unknownMethod = await raw(mock.port, 'BREW /v1/models HTTP/1.1\r\nHost: mock\r\n\r\n');
  const cutOff = await slow;
  clearInterval(sampler);
  const wrong = Number(answers[0].status !== 413) + Number(answers[1].status !== 400) + Number(!unknownMethod.startsWith('HTTP/1.1 400')) + Number(!cutOff?.startsWith('HTTP/1.1 408'));
  return {failed: tally.failed + wrong, peakSockets, seconds};
}

export default async function bench(): Promise<BenchResult[]> {
  const mock = await spawnMock(['--latency-ms', '20']);
  try {
    await request(mock.port, 'POST', '/v1/chat/completions', chatBody('warm up'));
    await mock.collectGarbage();
    const baseline = await footprint(mock);
    const first = await abuse(mock);
    let begin = performance.now();
    const settled = await settle(mock, rssCeiling(baseline, RSS_ALLOWANCE), SETTLE_TIMEOUT_MS);
    const settleMs = Math.round(performance.now() - begin);
    const second = await abuse(mock);
    begin = performance.now();
    const again = await settle(mock, rssCeiling(baseline, RSS_ALLOWANCE), SETTLE_TIMEOUT_MS);
    const peakRss = (await memoryKiB(mock.pid)).peak;
    const mib = (kib: number) => Math.round(kib / 102.4) / 10;
    const failed = first.failed + second.failed;
    return [
      {name: `2 rounds of abuse (${STREAMS} concurrent streams, half hung up mid-stream, …): wrong or failed answers`, value: failed, unit: 'requests', goal: '0', ok: failed === 0},
      {name: `${STREAMS} concurrent streams: wall time (first round)`, value: first.seconds, unit: 's'},
      {name: 'mock vLLM open sockets: baseline', value: baseline.sockets, unit: 'sockets'},
      {name: 'mock vLLM open sockets: peak during the abuse (sampled every 100 ms)', value: Math.max(first.peakSockets, second.peakSockets), unit: 'sockets'},
      {name: 'mock vLLM open sockets: settled after the first round', value: settled.value.sockets, unit: 'sockets', goal: `≤ ${baseline.sockets} (baseline)`, ok: settled.value.sockets <= baseline.sockets},
      {name: 'mock vLLM RSS: baseline', value: mib(baseline.rssKiB), unit: 'MiB'},
      {name: 'mock vLLM RSS: peak (VmHWM)', value: mib(peakRss), unit: 'MiB'},
      {name: 'mock vLLM RSS: settled after the first round (full GC)', value: mib(settled.value.rssKiB), unit: 'MiB', goal: `≤ baseline + ${RSS_ALLOWANCE * 100} %`, ok: settled.met},
      {name: 'mock vLLM RSS: settled after the second round (full GC)', value: mib(again.value.rssKiB), unit: 'MiB', goal: `≤ baseline + ${RSS_ALLOWANCE * 100} %`, ok: again.met},
      {name: 'time for sockets and RSS to settle after the first round', value: settleMs, unit: 'ms', goal: `< ${SETTLE_TIMEOUT_MS} ms`, ok: settled.met},
    ];
  } finally {
    await mock.stop();
  }
}

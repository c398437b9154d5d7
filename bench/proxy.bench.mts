// The per-client table fix-noproxy prints: predictAll for one URL under a realistic environment
// (both cases set, a long NO_PROXY). It runs inside the 3-second diagnosis budget, so it must stay
// a negligible part of it.
import {predictAll} from '../src/proxy/predict.mts';
import type {BenchResult} from './run.mts';

const ROUNDS = 2000;
const GOAL_MS = 5;
const NO_PROXY = 'localhost,127.0.0.1,::1,0.0.0.0,.corp.example.com,corp.example.com,10.0.0.0/8,gpu01:8000';
const ENV = {http_proxy: 'http://user:pass@proxy.corp:3128', HTTP_PROXY: 'http://user:pass@proxy.corp:3128', no_proxy: NO_PROXY, NO_PROXY};
const URLS = ['http://127.0.0.1:8000/v1', 'http://[::1]:8000/v1', 'http://gpu01.corp.example.com:8000/v1'];

export default async (): Promise<BenchResult[]> => {
  for (let i = 0; i < 200; i++) predictAll(URLS[i % URLS.length]!, ENV);
  const started = performance.now();
  for (let i = 0; i < ROUNDS; i++) predictAll(URLS[i % URLS.length]!, ENV);
  const perCall = (performance.now() - started) / ROUNDS;
  return [{name: 'predictAll (12 clients, one URL)', value: Math.round(perCall * 1000) / 1000, unit: 'ms', goal: `< ${GOAL_MS} ms`, ok: perCall < GOAL_MS}];
};

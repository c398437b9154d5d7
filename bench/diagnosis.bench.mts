// fix-noproxy's diagnosis (`--check`: variables, per-client table, probes) timed as a user runs it,
// from `node runbooks/fix-noproxy.mjs` to exit: with a proxy that works (the forward Squid), with
// one that sends an error page (the remote Squid) and with one that never answers (the blackhole).
// Goals (issue 21): the whole diagnosis, with its processes step, ends within 1 s when the proxy
// answers and within 1.5 s when it never does (the probe alone waits 1 s for it).
import {spawn} from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {PROXY_VARIABLES} from '../src/proxy/env.mts';
import {startStack} from '../src/stack/index.mts';
import type {BenchResult} from './run.mts';

const ROOT = path.resolve(import.meta.dirname, '..');
const GOAL_S = {answers: 1, silent: 1.5};
const RUNS = 3;

/** Wall seconds of one `fix-noproxy --check` (exit 1 is expected: the proxy intercepts). */
function timeCheck(url: string, proxy: string, home: string): Promise<number> {
  const env: NodeJS.ProcessEnv = {...process.env, HOME: home, SHELL: '/bin/bash', CI: 'true', XDG_STATE_HOME: path.join(home, 'state')};
  for (const name of PROXY_VARIABLES) delete env[name];
  Object.assign(env, {http_proxy: proxy, HTTP_PROXY: proxy, https_proxy: proxy, HTTPS_PROXY: proxy});
  const started = performance.now();
  const child = spawn('node', [path.join(ROOT, 'runbooks/fix-noproxy.mjs'), '--url', url, '--check'], {env, stdio: 'ignore'});
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0 || code === 1) resolve((performance.now() - started) / 1000);
      else reject(new Error(`fix-noproxy --check exited with ${code}`));
    });
  });
}

async function median(url: string, proxy: string, home: string): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run += 1) times.push(await timeCheck(url, proxy, home));
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
}

export default async function (): Promise<BenchResult[]> {
  const stack = await startStack({squid: 'optional'});
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-diagnosis-'));
  try {
    const cases: [string, string, number][] = [
      ...(stack.squid ? [['working proxy (forward Squid)', stack.squid.forward.url, GOAL_S.answers], ['proxy error page (remote Squid)', stack.squid.remote.url, GOAL_S.answers]] as [string, string, number][] : []),
      ['proxy that never answers (blackhole)', stack.blackhole.url, GOAL_S.silent],
    ];
    const results: BenchResult[] = [];
    for (const [name, proxy, goal] of cases) {
      const seconds = await median(stack.mockVllm.url, proxy, home);
      results.push({name: `fix-noproxy --check, ${name}, median of ${RUNS}`, value: Number(seconds.toFixed(2)), unit: 's', goal: `≤ ${goal} s`, ok: seconds <= goal});
    }
    return results;
  } finally {
    fs.rmSync(home, {recursive: true, force: true});
    await stack.stop();
  }
}

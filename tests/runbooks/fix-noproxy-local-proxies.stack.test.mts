// fix-noproxy and runbook-netcheck against the proxies many readers run on their own machine: a
// local HTTP proxy that can reach the service (the stack's forward Squid, like Clash on
// 127.0.0.1:7890), a real SOCKS5 server (microsocks), a scheme-less value, and no variable at all
// while the service does not answer (where only a TUN-mode proxy's bypass rules could help).
import * as fs from 'node:fs';
import * as path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {freePort} from '../../src/stack/free-port.mts';
import {startBlackhole, type Blackhole} from '../../src/stack/blackhole.mts';
import {accessLog, describeWithSocks, describeWithSquid, settledLog, socksInfo, squidInfo, stackInfo} from '../kit/stack.mts';
import {jsonReport, runRunbook, tempHome} from '../kit/runbooks.mts';

const base = () => stackInfo().mockVllm.url;

// The openai SDK 2.x (httpx 0.28) and 3.x (httpx2) from the local wheel folder, installed by
// .ci/run under MATRIX_PY_EXTRAS; neither has socksio (no wheel of it exists there).
const PY_EXTRAS = process.env.MATRIX_PY_EXTRAS;
const SDKS = [
  {name: 'openai 2.x', dir: 'openai2', version: /openai SDK 2\.\d+\.\d+ here runs on httpx\)/},
  {name: 'openai 3.x', dir: 'openai3', version: /openai SDK 3\.\d+\.\d+ here runs on httpx2\)/},
].map((sdk) => {
  const dir = PY_EXTRAS ? path.join(PY_EXTRAS, sdk.dir) : undefined;
  const missing = !dir ? 'MATRIX_PY_EXTRAS is not set' : !fs.existsSync(path.join(dir, 'openai')) ? `${dir} has no openai SDK` : undefined;
  return {...sdk, pythonPath: dir, missing};
});

describeWithSocks('all_proxy=socks5:// with the openai SDK installed without socksio', () => {
  for (const sdk of SDKS) {
    it.skipIf(sdk.missing !== undefined)(`${sdk.name}: --check exits 1 and names the missing extra${sdk.missing ? ` (skipped: ${sdk.missing})` : ''}`, async () => {
      const home = tempHome({all_proxy: socksInfo().url, PYTHONPATH: sdk.pythonPath!, RUNBOOK_PYTHON: '/usr/bin/python3'});
      try {
        const ran = await runRunbook('fix-noproxy', ['--url', base(), '--check'], home.env);
        expect(ran.code, ran.stdout).toBe(1);
        expect(ran.stdout).toMatch(sdk.version);
        expect(ran.stdout).toContain("ImportError: Using SOCKS proxy, but the 'socksio' package is not installed");
        expect(ran.stdout).toContain("NO_PROXY cannot fix it: pip install 'httpx[socks]' (the socksio extra), or unset all_proxy/ALL_PROXY for that job");
        expect(ran.stdout).toMatch(/through socks5:\/\/127\.0\.0\.1:\d+ \(used for this URL by curl, git; set in all_proxy\): works/);
        expect(ran.stdout).not.toContain('verdict: works');
      } finally {
        home.remove();
      }
    }, 60_000);
  }

  it('fix-noproxy --yes fixes requests and curl, and says plainly that NO_PROXY cannot fix httpx', async () => {
    const home = tempHome({all_proxy: socksInfo().url, RUNBOOK_PYTHON: '/usr/bin/python3'});
    try {
      const ran = await runRunbook('fix-noproxy', ['--url', base(), '--yes', '--json'], home.env);
      const verify = jsonReport(ran).steps.find((s) => s.id === 'verify')!;
      expect(ran.code).toBe(1);
      expect(verify.output).toMatch(/^\s+curl\s+verified: direct, HTTP 200$/m);
      expect(verify.output).toMatch(/^\s+requests \(.*\)\s+verified: direct, HTTP 200$/m);
      expect(verify.output).toMatch(/^\s+httpx \(.*\)\s+failed: ImportError: Using SOCKS proxy.*: NO_PROXY cannot fix this: pip install 'httpx\[socks\]', or unset all_proxy\/ALL_PROXY for this job$/m);
    } finally {
      home.remove();
    }
  }, 90_000);
});

describeWithSquid('a local proxy that can reach the service (the forward Squid)', () => {
  it('--check says the service is reached through the local proxy and exits 1', async () => {
    const proxy = squidInfo().forward.url;
    const home = tempHome({http_proxy: proxy, HTTP_PROXY: proxy});
    try {
      const mark = accessLog('forward').mark();
      const ran = await runRunbook('fix-noproxy', ['--url', base(), '--check'], home.env);
      expect(ran.code, ran.stdout).toBe(1);
      const port = new URL(proxy).port;
      expect(ran.stdout).toContain(`verdict: reached through the local proxy 127.0.0.1:${port} by curl, git, wget, urllib, requests, httpx`);
      expect(ran.stdout).toContain('exempt it anyway (streaming and latency suffer');
      // The probe really went through it: Squid logged the request and the mock answered.
      const entries = await settledLog('forward', mark);
      expect(entries.map((e) => [e.status, e.url])).toContainEqual([200, `${base()}/v1/models`]);
    } finally {
      home.remove();
    }
  }, 60_000);
});

describe('a proxy written without a scheme, and no proxy at all', () => {
  let blackhole: Blackhole;
  beforeAll(async () => {
    blackhole = await startBlackhole();
  });
  afterAll(() => blackhole?.close());

  it('http_proxy=127.0.0.1:PORT (nothing listening) is never "works" while curl fails', async () => {
    const port = await freePort();
    const home = tempHome({http_proxy: `127.0.0.1:${port}`});
    try {
      const ran = await runRunbook('fix-noproxy', ['--url', base(), '--check'], home.env);
      expect(ran.code).toBe(1);
      expect(ran.stdout).toContain(`nothing listens at the proxy 127.0.0.1:${port}: start it, or unset http_proxy`);
      expect(ran.stdout).not.toContain('verdict: works');
    } finally {
      home.remove();
    }
  }, 60_000);

  it('no variable set and a service that never answers: the advice names TUN-mode proxies and their bypass rules', async () => {
    const home = tempHome({});
    try {
      const ran = await runRunbook('fix-noproxy', ['--url', blackhole.url, '--check'], home.env);
      expect(ran.code).toBe(1);
      expect(ran.stdout).toMatch(/verdict: service unreachable and no proxy variable is set: no answer within 1 s; .*if a proxy runs in TUN \(transparent\) mode, such as Clash or v2ray, .*add the host to the proxy's bypass rules \(NO_PROXY cannot help\)/);
    } finally {
      home.remove();
    }
  }, 60_000);
});

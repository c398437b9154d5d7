// runbook-netcheck as a reader runs it from runbooks/lib/bin (as the current src/ makes it): usage,
// bad input, exit codes.
import {spawnSync} from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {freePort} from '../../src/stack/free-port.mts';
import {runClient} from '../kit/processes.mts';
import {generatedFile} from '../kit/runbooks.mts';
import {NETCHECK_BIN} from '../../src/extraction/emit.mts';
import {clientEnv, describeWithSocks, socksInfo, stackInfo} from '../kit/stack.mts';

const BIN = await generatedFile(NETCHECK_BIN);

describe('runbook-netcheck command line', () => {
  it('--help lists the commands (exit 0)', async () => {
    const ran = await runClient(BIN, ['--help'], process.env);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(/^usage: runbook-netcheck clients URL \| probe URL/);
  });

  it.each([
    [['probe', 'not a url'], 'runbook-netcheck: not a URL: "not a url"'],
    [['clients', 'ftp://127.0.0.1/'], 'runbook-netcheck: not an http(s) URL: "ftp://127.0.0.1/"'],
    [['service', 'ping', 'http://127.0.0.1:8000'], 'runbook-netcheck: service needs one of models, chat, stream'],
    [['probe', 'http://127.0.0.1:8000', '--timeout', '0'], 'runbook-netcheck: --timeout 0: seconds, more than 0'],
    [['upload'], 'runbook-netcheck: unknown command upload'],
    [[], 'runbook-netcheck: missing command'],
    [['probe', 'http://127.0.0.1:8000', '--bogus'], 'runbook-netcheck: unknown option --bogus'],
    [['clients', 'http://127.0.0.1:8000', '--timeout', '3'], 'runbook-netcheck: unknown option --timeout'],
    [['verify', 'http://127.0.0.1:8000', '--rc'], 'runbook-netcheck: --rc needs a value'],
    [['service', 'models', 'http://127.0.0.1:8000', '--model', '--timeout', '3'], 'runbook-netcheck: --model needs a value'],
    [['clients', 'http://127.0.0.1:8000', 'http://127.0.0.1:9000'], 'runbook-netcheck: unexpected argument "http://127.0.0.1:9000"'],
    [['env-holders', 'fix', '--no-proxy'], 'runbook-netcheck: --no-proxy needs a value'],
    [['env-holders', 'undo', '--unit', 'x'], 'runbook-netcheck: unknown option --unit'],
    [['cluster-table', '--report'], 'runbook-netcheck: --report needs a value'],
    [['env-holders', 'fix', '--no-proxy', '--unit', 'x'], 'runbook-netcheck: --no-proxy needs a value'],
    [['env-holders', 'fix', 'now', '--no-proxy', 'localhost'], 'runbook-netcheck: unexpected argument "now"'],
  ])('%j is a usage error (exit 2): one clear line, then the usage', async (args, message) => {
    const ran = await runClient(BIN, args, process.env);
    expect(ran.code).toBe(2);
    expect(ran.stderr.split('\n')).toEqual([message, expect.stringMatching(/^usage: runbook-netcheck clients URL \| probe URL/), '']);
    expect(ran.stdout).toBe('');
  });
});

describe('RUNBOOK_NETCHECK_CACHE (the runner sets it for one run)', () => {
  let cache: string;
  beforeAll(() => {
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'netcheck-cache-'));
  });
  afterAll(() => fs.rmSync(cache, {recursive: true, force: true}));
  const url = 'http://127.0.0.1:8000/v1/models';
  const versionsLine = (stdout: string) => stdout.split('\n').find((line) => line.startsWith('versions found here: '));
  const cached = () => fs.readdirSync(cache).filter((f) => /^installed-[0-9a-f]{16}\.json$/.test(f)).sort();

  it('keeps what one command detected for the next, per PATH and working directory; unset, nothing is kept', async () => {
    const first = await runClient(BIN, ['clients', url], clientEnv({RUNBOOK_NETCHECK_CACHE: cache}));
    expect(first.stderr).toBe('');
    const [file] = cached();
    expect(cached()).toHaveLength(1);
    const detected = JSON.parse(fs.readFileSync(path.join(cache, file!), 'utf8'));
    expect(versionsLine(first.stdout)).toBe(`versions found here: ${detected.found.join('; ')}`);
    // The next command reads the file instead of detecting: a stand-in release shows through.
    detected.found = ['requests 99.1 (stand-in)'];
    detected.installed.versions.requests = '99.1';
    fs.writeFileSync(path.join(cache, file!), JSON.stringify(detected));
    const second = await runClient(BIN, ['clients', url], clientEnv({RUNBOOK_NETCHECK_CACHE: cache, http_proxy: 'http://127.0.0.1:9'}));
    expect(versionsLine(second.stdout)).toBe('versions found here: requests 99.1 (stand-in)');
    expect(second.stdout).toMatch(/Python requests +via http:\/\/127\.0\.0\.1:9 .*\[assumes requests 99\.1\]/);
    // Another PATH may find other interpreters: detected afresh, kept beside the first.
    const otherPath = await runClient(BIN, ['clients', url], clientEnv({RUNBOOK_NETCHECK_CACHE: cache, PATH: `${cache}${path.delimiter}${process.env.PATH}`}));
    expect(versionsLine(otherPath.stdout)).toBe(versionsLine(first.stdout));
    expect(cached()).toHaveLength(2);
    // Unset: detected afresh, nothing written.
    const unset = await runClient(BIN, ['clients', url], clientEnv());
    expect(versionsLine(unset.stdout)).toBe(versionsLine(first.stdout));
    expect(cached()).toHaveLength(2);
  });

  it('waits for the runner\'s detection under way (FILE.pending, a live pid) and takes its result; a dead one\'s is ignored', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netcheck-pending-'));
    try {
      const env = clientEnv({RUNBOOK_NETCHECK_CACHE: dir});
      const first = await runClient(BIN, ['clients', url], env);
      const [file] = fs.readdirSync(dir);
      const detected = JSON.parse(fs.readFileSync(path.join(dir, file!), 'utf8'));
      fs.rmSync(path.join(dir, file!));
      // Under way in this (live) process: the command waits, then reads what it wrote.
      fs.writeFileSync(path.join(dir, `${file}.pending`), String(process.pid));
      const waiting = runClient(BIN, ['clients', url], env);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      fs.writeFileSync(path.join(dir, file!), JSON.stringify({...detected, found: ['requests 98.1 (stand-in)']}));
      expect(versionsLine((await waiting).stdout)).toBe('versions found here: requests 98.1 (stand-in)');
      // The pid of a process that has ended: detected afresh.
      fs.rmSync(path.join(dir, file!));
      const ended = spawnSync('true');
      expect(ended.status).toBe(0);
      fs.writeFileSync(path.join(dir, `${file}.pending`), String(ended.pid));
      expect(versionsLine((await runClient(BIN, ['clients', url], env)).stdout)).toBe(versionsLine(first.stdout));
    } finally {
      fs.rmSync(dir, {recursive: true, force: true});
    }
  });
});

// The proxy the probe tests is the one src/proxy says the clients use, however the variable is
// written: no scheme, UPPERCASE only, credentials without a scheme, SOCKS. The probes share one
// detection cache, as the probes of one runbook run do.
describe('runbook-netcheck probe names the proxy that breaks the request', () => {
  let closedPort: number;
  let cache: string;
  const models = () => `${stackInfo().mockVllm.baseUrl}/models`;
  const probe = (vars: Record<string, string>) => runClient(BIN, ['probe', models()], clientEnv({...vars, RUNBOOK_NETCHECK_CACHE: cache}));
  beforeAll(async () => {
    closedPort = await freePort();
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'netcheck-cache-'));
  });
  afterAll(() => fs.rmSync(cache, {recursive: true, force: true}));

  it('http_proxy=127.0.0.1:PORT (no scheme, nothing listening): exit 1, the proxy named, never "works"', async () => {
    const ran = await probe({http_proxy: `127.0.0.1:${closedPort}`});
    expect(ran.code, ran.stdout).toBe(1);
    expect(ran.stdout).toContain('direct (no proxy): works: HTTP 200');
    expect(ran.stdout).toMatch(new RegExp(`through http://127\\.0\\.0\\.1:${closedPort} \\(used for this URL by curl, git, wget, urllib, requests, httpx, httpx2; set in http_proxy\\): proxy unreachable`));
    expect(ran.stdout).toContain(`verdict: proxy unreachable for curl, git, wget, urllib, requests, httpx, httpx2: nothing listens at the proxy 127.0.0.1:${closedPort}: start it, or unset http_proxy`);
    expect(ran.stdout).not.toContain('start the service');
    expect(ran.stdout).not.toContain('verdict: works');
    expect(ran.stdout).not.toContain('not used for this URL');
  });

  it('HTTP_PROXY=127.0.0.1:PORT alone: the Python clients use it (curl does not), exit 1', async () => {
    const ran = await probe({HTTP_PROXY: `127.0.0.1:${closedPort}`});
    expect(ran.code, ran.stdout).toBe(1);
    expect(ran.stdout).toMatch(/\(used for this URL by urllib, requests, httpx, httpx2; set in HTTP_PROXY\): proxy unreachable/);
    expect(ran.stdout).toContain(`nothing listens at the proxy 127.0.0.1:${closedPort}: start it, or unset HTTP_PROXY`);
  });

  it('credentials in a scheme-less value are never printed', async () => {
    const ran = await probe({http_proxy: `alice:s3cret-pw@127.0.0.1:${closedPort}`, HTTP_PROXY: `alice:s3cret-pw@127.0.0.1:${closedPort}`});
    expect(ran.code).toBe(1);
    expect(ran.stdout + ran.stderr).not.toContain('s3cret-pw');
    expect(ran.stdout + ran.stderr).not.toContain('alice');
    expect(ran.stdout).toContain(`through http://***@127.0.0.1:${closedPort} (used for this URL by curl`);
    expect(ran.stdout).toContain(`nothing listens at the proxy 127.0.0.1:${closedPort}`);
  });

  describeWithSocks('through the real SOCKS5 server', () => {
    it('all_proxy=socks5://… is not called "works", even though curl gets through', async () => {
      const ran = await probe({all_proxy: socksInfo().url});
      expect(ran.code, ran.stdout).toBe(1);
      expect(ran.stdout).toMatch(/through socks5:\/\/127\.0\.0\.1:\d+ \(used for this URL by curl.*\): works/);
      expect(ran.stdout).not.toContain('verdict: works');
    });
  });
});

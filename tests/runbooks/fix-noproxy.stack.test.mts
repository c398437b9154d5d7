// fix-noproxy against the real stack: the remote Squid (a corporate proxy that cannot see our
// loopback) intercepts the mock vLLM until the runbook's block is in ~/.bashrc; afterwards a fresh
// shell's clients reach the service directly, which Squid's access log confirms.
import * as fs from 'node:fs';
import {execFileSync} from 'node:child_process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runClient} from '../kit/processes.mts';
import {type Home, inFreshBash, jsonReport, proxyEverything, runbookPath, runRunbook, tempHome} from '../kit/runbooks.mts';
import {accessLog, describeWithSquid, settledLogFor, squidInfo, stackInfo, useOwnMockVllm} from '../kit/stack.mts';

const PYTHON = '/usr/bin/python3'; // Debian's, with requests, httpx and aiohttp
const SQUID_PAGE = 'The requested URL could not be retrieved';

// Each prints the HTTP status, then the body; the URL comes from $TARGET.
const PY_CLIENTS: Record<string, string> = {
  requests: 'import os, requests\nr = requests.get(os.environ["TARGET"], timeout=10)\nprint(r.status_code)\nprint(r.text)',
  httpx: 'import os, httpx\nr = httpx.get(os.environ["TARGET"], timeout=10)\nprint(r.status_code)\nprint(r.text)',
  aiohttp: [
    'import asyncio, os, aiohttp',
    'async def main():',
    '    async with aiohttp.ClientSession(trust_env=True) as s:',
    '        async with s.get(os.environ["TARGET"], timeout=aiohttp.ClientTimeout(total=10)) as r:',
    '            print(r.status)',
    '            print(await r.text())',
    'asyncio.run(main())',
  ].join('\n'),
};

// The remote Squid is shared by every file running at the same time: this file talks to a mock vLLM
// of its own and reads only the log lines for it.
const ownMock = useOwnMockVllm();
const ownRemoteLog = (mark: number) => settledLogFor('remote', mark, ownMock().url);

async function remoteLogSince(mark: number): Promise<string[]> {
  return (await ownRemoteLog(mark)).map((e) => e.raw);
}

describeWithSquid('fix-noproxy against the remote Squid', () => {
  let home: Home;
  const models = () => `${ownMock().url}/v1/models`;
  const base = () => ownMock().url;
  const original = '# the user\'s own line\nexport EDITOR=vi';  // no trailing newline, on purpose

  beforeAll(() => {
    home = tempHome(proxyEverything(squidInfo().remote.url), original);
  });
  afterAll(() => home?.remove());

  // One user's path, in order: each stage starts from the state the previous one left.
  it('before the fix, the fix, after the fix, a re-run and --undo', async () => {
    // 1. before the fix: curl and requests get the Squid error page, logged by Squid; --check finds the problem
    {
      const mark = accessLog('remote').mark();
      const curl = await inFreshBash(`curl -sS -w '\\n%{http_code}' ${models()}`, home.env);
      expect(curl.stdout).toContain(SQUID_PAGE);
      expect(curl.stdout.trim().split('\n').at(-1)).toBe('503');
      const requests = await runClient(PYTHON, ['-c', PY_CLIENTS.requests], {...home.env, TARGET: models()});
      expect(requests.stdout.split('\n')[0]).toBe('503');
      expect(requests.stdout).toContain(SQUID_PAGE);
      const entries = await ownRemoteLog(mark);
      expect(entries.map((e) => [e.status, e.url])).toEqual([[503, models()], [503, models()]]);

      const check = await runRunbook('fix-noproxy', ['--url', base(), '--check'], home.env);
      expect(check.code).toBe(1);
      expect(check.stdout).toMatch(/proxy error page: Squid error page \(HTTP 503, X-Squid-Error: ERR_CONNECT_FAIL 111/);
      expect(check.stdout).toContain('The system returned: (111) Connection refused');
      expect(check.stdout).not.toContain('<html');
      expect(check.stdout).toMatch(/Python requests +via http:\/\/127\.0\.0\.1:\d+/);
      expect(check.stdout).toContain('direct (no proxy): works: HTTP 200');
      expect(check.stdout).not.toContain('[5/'); // the fix and the verification are not part of --check
      expect(fs.readFileSync(home.rc, 'utf8')).toBe(original);
    }
    // 2. without --yes and without a terminal it refuses (exit 2); --dry-run shows the merged value and changes nothing
    {
      const refused = await runRunbook('fix-noproxy', ['--url', base()], home.env);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/refused: step persist .* changes this machine; no terminal to ask, rerun with --yes/);
      const dry = await runRunbook('fix-noproxy', ['--url', base(), '--dry-run', '--also', 'gpu-01'], home.env);
      expect(dry.code).toBe(0);
      expect(dry.stdout).toContain('export NO_PROXY="localhost,127.0.0.1,::1,0.0.0.0,gpu-01"');
      expect(dry.stdout).toContain(`runbook-netcheck verify ${models()}`);
      expect(fs.readFileSync(home.rc, 'utf8')).toBe(original);
    }
    // 3. fix-noproxy --yes writes one block, and its fresh-shell verification passes for every client without touching Squid
    {
      const mark = accessLog('remote').mark();
      const ran = await runRunbook('fix-noproxy', ['--url', base(), '--yes', '--json'], home.env);
      const report = jsonReport(ran);
      expect(ran.code, ran.stderr).toBe(0);
      expect(report.exitCode).toBe(0);
      const byId = Object.fromEntries(report.steps.map((s) => [s.id, s]));
      expect(byId.probe.status).toBe('failed'); // a finding of the diagnosis, not the verdict
      expect(byId.persist.status).toBe('ok');
      expect(byId.verify.status).toBe('ok');
      for (const client of ['curl', 'wget', 'requests', 'httpx', 'aiohttp-trust-env']) {
        expect(byId.verify.output).toMatch(new RegExp(`^\\s+${client}\\b.*verified: direct, HTTP 200$`, 'm'));
      }
      expect(ran.stderr).toMatch(/fixed: verify passed; the diagnosis had found: clients, probe/);
      const rc = fs.readFileSync(home.rc, 'utf8');
      expect(rc.startsWith(`${original}\n# >>> llm-network-runbooks:fix-noproxy-persist`)).toBe(true);
      expect(rc).toContain('export no_proxy="localhost,127.0.0.1,::1,0.0.0.0"\nexport NO_PROXY="localhost,127.0.0.1,::1,0.0.0.0"\n');
      // Only the diagnosis's deliberate probe went through Squid; the verification did not.
      expect(await remoteLogSince(mark)).toHaveLength(1);
    }
    // 4. after the fix, curl, wget, requests, httpx and aiohttp (trust_env) in a fresh shell reach the mock vLLM directly
    {
      const mark = accessLog('remote').mark();
      const curl = await inFreshBash(`curl -sS --fail ${models()}`, home.env);
      expect(JSON.parse(curl.stdout).data[0].id).toBe(ownMock().model);
      const wget = await inFreshBash(`wget -q -O - ${models()}`, home.env);
      expect(JSON.parse(wget.stdout).object).toBe('list');
      for (const [name, code] of Object.entries(PY_CLIENTS)) {
        const ran = await inFreshBash(`TARGET=${models()} ${PYTHON} -c '${code}'`, home.env);
        expect(ran.stdout.split('\n')[0], `${name}: ${ran.stderr}`).toBe('200');
        expect(JSON.parse(ran.stdout.split('\n').slice(1).join('\n')).object).toBe('list');
      }
      expect(await remoteLogSince(mark)).toEqual([]);
    }
    // 5. --check in a fresh shell now finds no problem (exit 0), in this shell it still does (exit 1)
    {
      const fresh = await inFreshBash(`node ${await runbookPath('fix-noproxy')} --url ${base()} --check`, home.env);
      expect(fresh.code, fresh.stdout).toBe(0);
      expect(fresh.stdout).toContain('every client connects directly');
      expect(fresh.stdout).toContain('verdict: works: every client reaches the service directly');
      const here = await runRunbook('fix-noproxy', ['--url', base(), '--check'], home.env);
      expect(here.code).toBe(1);
    }
    // 6. check-service then passes all three checks from a fresh shell, reading the model from /v1/models
    {
      const ran = await inFreshBash(`node ${await runbookPath('check-service')} --url ${base()} --json`, home.env);
      const report = jsonReport(ran);
      expect(report.exitCode).toBe(0);
      expect(report.steps.map((s) => [s.id, s.status])).toEqual([['find', 'ok'], ['models', 'ok'], ['chat', 'ok'], ['stream', 'ok']]);
      expect(report.steps[2].output).toMatch(/^ok \d+ ms: POST \/v1\/chat\/completions with model mh-sft-7b/);
      expect(report.steps[3].output).toMatch(/then data: \[DONE\]/);
    }
    // 7. a re-run changes nothing, --undo restores the file byte for byte
    {
      const before = fs.readFileSync(home.rc);
      const again = await runRunbook('fix-noproxy', ['--url', base(), '--yes'], home.env);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('block fix-noproxy-persist already in');
      expect(fs.readFileSync(home.rc)).toEqual(before);
      const undo = await runRunbook('fix-noproxy', ['--undo', '--yes'], home.env);
      expect(undo.code).toBe(0);
      expect(fs.readFileSync(home.rc, 'utf8')).toBe(original);
    }
  }, 480_000);
});

describeWithSquid('fix-noproxy keeps existing NO_PROXY entries and drops the ones clients crash on', () => {
  it('merges --also, keeps the user entry, drops [::1] with a warning, same value in both cases', async () => {
    const home = tempHome({...proxyEverything(squidInfo().remote.url), NO_PROXY: '.corp.example,[::1]', no_proxy: '.corp.example,[::1]'});
    try {
      const ran = await runRunbook('fix-noproxy', ['--url', stackInfo().mockVllm.url, '--yes', '--only', 'persist', '--also', 'gpu-01'], home.env);
      expect(ran.code).toBe(0);
      expect(ran.stdout).toMatch(/note: dropped \[::1\] from NO_PROXY: .*InvalidURL/);
      const value = '.corp.example,localhost,127.0.0.1,::1,0.0.0.0,gpu-01';
      expect(fs.readFileSync(home.rc, 'utf8')).toContain(`export no_proxy="${value}"\nexport NO_PROXY="${value}"\n`);
    } finally {
      home.remove();
    }
  });
});

describeWithSquid('fix-noproxy with --rc and a proxy URL that carries credentials', () => {
  it('writes the chosen file, verifies a fresh shell reading that file, and never prints the password', async () => {
    const proxy = squidInfo().remote.url.replace('http://', 'http://alice:s3cret-pw@');
    const home = tempHome(proxyEverything(proxy));
    const rc = `${home.dir}/proxy-env.sh`;
    try {
      const ran = await runRunbook('fix-noproxy', ['--url', stackInfo().mockVllm.url, '--yes', '--rc', rc, '--json'], home.env);
      expect(ran.code, ran.stderr).toBe(0);
      const verify = jsonReport(ran).steps.find((s) => s.id === 'verify')!;
      expect(verify.output).toContain(`a fresh bash reading ${rc}`);
      expect(fs.readFileSync(rc, 'utf8')).toContain('export NO_PROXY="localhost,127.0.0.1,::1,0.0.0.0"');
      expect(fs.readFileSync(home.rc, 'utf8')).not.toContain('NO_PROXY');
      expect(ran.stdout + ran.stderr).not.toContain('s3cret-pw');
      expect(ran.stdout).toContain('http://***@127.0.0.1:');
    } finally {
      home.remove();
    }
  }, 90_000);
});

function installed(shell: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${shell}`], {stdio: 'ignore'});
    return true;
  } catch {
    return false;
  }
}

// Behind the blackhole, a verification that went through the proxy would hang and fail.
describe.each([
  {shell: 'zsh', rc: '.zshrc', line: 'export NO_PROXY="localhost,127.0.0.1,::1,0.0.0.0"'},
  {shell: 'fish', rc: '.config/fish/config.fish', line: 'set -gx NO_PROXY "localhost,127.0.0.1,::1,0.0.0.0"'},
])('fix-noproxy for a $shell user', ({shell, rc, line}) => {
  it.skipIf(!installed(shell))(`writes ~/${rc} and verifies a fresh ${shell} (skipped when ${shell} is not installed)`, async () => {
    const home = tempHome(proxyEverything(stackInfo().blackhole.url));
    try {
      const ran = await runRunbook('fix-noproxy', ['--url', stackInfo().mockVllm.url, '--yes', '--json'], {...home.env, SHELL: `/usr/bin/${shell}`});
      expect(ran.code, ran.stderr).toBe(0);
      expect(fs.readFileSync(`${home.dir}/${rc}`, 'utf8')).toContain(line);
      const verify = jsonReport(ran).steps.find((s) => s.id === 'verify')!;
      expect(verify.output).toContain(`a fresh ${shell} reading ${home.dir}/${rc}`);
      expect(verify.output).toMatch(/^\s+curl\s+verified: direct, HTTP 200$/m);
    } finally {
      home.remove();
    }
  }, 90_000);
});

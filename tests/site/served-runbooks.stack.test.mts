// The runbooks as the built site serves them (src/site-runbooks), from the one site build the browser
// tests share (./built-site.mts): each one file with the runtime inlined. A user on the machine with
// the problem runs them with `npx zx <site>/runbooks/<name>.mjs`, or downloads one and runs it with
// Node alone, from an empty directory, behind the remote Squid.
import {sha256} from '../../src/io/hash.mts';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {RUNBOOKS_DIR, scriptFile} from '../../src/plan/files.mts';
import {CODE_MARK, LINE_END} from '../../src/plan/whole-file.mts';
import {servedRunbook} from '../../src/site-runbooks/published.mts';
import {runClient, type Ran} from '../kit/processes.mts';
import {proxyEverything, REPO, tempHome, type Home} from '../kit/runbooks.mts';
import {describeWithSquid, squidInfo, stackInfo} from '../kit/stack.mts';
import {TEST_SITE_URL} from '../kit/site-build.mts';
import {useBuiltSite} from './built-site.mts';
import {oneLiners} from './one-liners.mts';

// The address the shared build is made for (SITE_URL): the one-liners on the pages name it, not the
// test server.
const SITE_URL = `${TEST_SITE_URL}/`;
const names = fs.readdirSync(path.join(REPO, RUNBOOKS_DIR)).filter((f) => f.endsWith('.mjs')).map((f) => f.slice(0, -4));

async function get(url: string): Promise<{status: number; type: string | null; body: Buffer}> {
  const res = await fetch(url);
  return {status: res.status, type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer())};
}

const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

/**
 * zx installed the way a user installs it (`npm install -g zx`), into a temp npm prefix: `npx zx`
 * then runs it without asking the registry, from any directory.
 */
function globalZx(): {env: Record<string, string>; remove(): void} {
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'npm-global-'));
  fs.mkdirSync(path.join(prefix, 'lib/node_modules'), {recursive: true});
  fs.mkdirSync(path.join(prefix, 'bin'));
  fs.symlinkSync(path.join(REPO, 'node_modules/zx'), path.join(prefix, 'lib/node_modules/zx'));
  fs.symlinkSync('../lib/node_modules/zx/build/cli.js', path.join(prefix, 'bin/zx'));
  return {
    env: {npm_config_prefix: prefix, npm_config_offline: 'true', npm_config_update_notifier: 'false', npm_config_fund: 'false'},
    remove: () => fs.rmSync(prefix, {recursive: true, force: true}),
  };
}

const session = useBuiltSite({browser: false});
/** The served site: its root URL, ending in "/". */
const site = () => ({url: session.server.url});

describe('the runbooks the site serves', () => {
  it.each(names)('%s.mjs is served as runbooks/ makes it with the runtime inlined and the site\'s address, importing nothing by relative path, as JavaScript', async (name) => {
    const served = await get(`${site().url}${scriptFile(name)}`);
    expect(served.status).toBe(200);
    expect(served.type).toMatch(/^text\/javascript\b/);
    expect(served.body.equals(servedRunbook(REPO, name, TEST_SITE_URL))).toBe(true);
    // The code is the one comment line that line 1, the loader, runs (src/plan/whole-file.mts), its line ends as LINE_END.
    const codeLine = served.body.toString('utf8').split('\n').find((line) => line.startsWith(CODE_MARK))!;
    const code = codeLine.slice(CODE_MARK.length).replaceAll(LINE_END, '\n');
    const imports = [...code.matchAll(/^\s*import\b[^;]*?\bfrom\s*["']([^"']+)["']/gm)].map((m) => m[1]);
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((from) => !from.startsWith('node:'))).toEqual([]);
  });

  it.each(['', 'zh-Hans/'])('the Runbooks page (%s) lists the sha256 and size of every served file', async (locale) => {
    const page = await get(`${site().url}${locale}runbooks`);
    expect(page.status).toBe(200);
    const html = page.body.toString('utf8');
    for (const name of names) {
      const bytes = (await get(`${site().url}${scriptFile(name)}`)).body;
      // The HTML is minified (unquoted attributes, no closing tags): a row runs up to the next one.
      const row = html.split(/<tr\b/).find((chunk) => new RegExp(`^ data-runbook="?${name}[ ">]`).test(chunk));
      expect(row, `${name} row`).toBeDefined();
      expect(text(`<tr${row!.split(/<\/(?:tbody|table)>/)[0]}`)).toBe(`${name}.mjs${bytes.length}${sha256(bytes)}`);
    }
  });

  it.each(['', 'zh-Hans/'])('the %sguides/local-service-proxy page shows the one-liner with the site URL and the served sha256, --check first', async (locale) => {
    const html = (await get(`${site().url}${locale}guides/local-service-proxy`)).body.toString('utf8');
    const bytes = (await get(`${site().url}${scriptFile('fix-noproxy')}`)).body;
    const download = [
      `curl -fsSLo fix-noproxy.mjs ${SITE_URL}${scriptFile('fix-noproxy')} &&`,
      `  echo "${sha256(bytes)}  fix-noproxy.mjs" | sha256sum -c --quiet &&`,
    ].join('\n');
    // Then the same line without --check: the fix itself.
    expect(oneLiners(html).slice(0, 2)).toEqual([`${download}\n  node fix-noproxy.mjs --check`, `${download}\n  node fix-noproxy.mjs`]);
  });
});

describeWithSquid('npx zx <site>/runbooks/… from an empty directory behind the remote Squid', () => {
  let empty: string;
  let home: Home;
  let zx: ReturnType<typeof globalZx>;
  const original = "# the user's own line\nexport EDITOR=vi";

  beforeAll(() => {
    empty = fs.mkdtempSync(path.join(os.tmpdir(), 'empty-'));
    home = tempHome(proxyEverything(squidInfo().remote.url), original);
    zx = globalZx();
  });
  afterAll(() => {
    for (const dir of [empty]) fs.rmSync(dir, {recursive: true, force: true});
    home?.remove();
    zx?.remove();
  });

  /** `npx zx <site>/runbooks/NAME.mjs ARGS` in the empty directory; `fresh`: in a new login-like bash that reads ~/.bashrc. */
  async function npxZx(name: string, args: string[], fresh = false): Promise<Ran> {
    const env: NodeJS.ProcessEnv = {...home.env, ...zx.env, PATH: `${zx.env.npm_config_prefix}/bin${path.delimiter}${home.env.PATH}`};
    const argv = ['zx', `${site().url}${scriptFile(name)}`, ...args];
    if (fresh) {
      delete env.no_proxy;
      delete env.NO_PROXY;
    }
    const ran = fresh
      ? await runClient('bash', ['-i', '-c', ['npx', ...argv].map((a) => `'${a}'`).join(' ')], env, 90_000, empty)
      : await runClient('npx', argv, env, 90_000, empty);
    expect(fs.readdirSync(empty), 'left behind in the working directory').toEqual([]);
    return ran;
  }

  it('fix-noproxy: --check names the proxy error page (exit 1); --yes fixes and verifies; check-service then passes; --undo restores the file', async () => {
    const url = stackInfo().mockVllm.url;
    const check = await npxZx('fix-noproxy', ['--url', url, '--check']);
    expect(check.code, check.stderr).toBe(1);
    expect(check.stdout).toMatch(/proxy error page: Squid error page \(HTTP 503/);
    expect(check.stdout).toContain('Connection refused');
    expect(fs.readFileSync(home.rc, 'utf8')).toBe(original);

    const fix = await npxZx('fix-noproxy', ['--url', url, '--yes']);
    expect(fix.code, fix.stdout + fix.stderr).toBe(0);
    expect(fix.stdout).toMatch(/^\s+│?\s*curl\b.*verified: direct, HTTP 200$/m);
    expect(fix.stdout + fix.stderr).toContain('fixed: verify passed');
    expect(fs.readFileSync(home.rc, 'utf8')).toContain('# >>> llm-network-runbooks:fix-noproxy-persist >>>');

    const service = await npxZx('check-service', ['--url', url], true);
    expect(service.code, service.stdout + service.stderr).toBe(0);
    expect(service.stdout).toMatch(/stream \(check\)/);

    const undo = await npxZx('fix-noproxy', ['--undo', '--yes']);
    expect(undo.code, undo.stderr).toBe(0);
    expect(fs.readFileSync(home.rc, 'utf8')).toBe(original);
  }, 300_000);

  it('downloaded, it runs with Node alone: no zx, no node_modules', async () => {
    const file = path.join(empty, 'fix-noproxy.mjs');
    fs.writeFileSync(file, (await get(`${site().url}${scriptFile('fix-noproxy')}`)).body);
    try {
      const check = await runClient(process.execPath, [file, '--url', stackInfo().mockVllm.url, '--check'], home.env, 90_000, empty);
      expect(check.code, check.stderr).toBe(1);
      expect(check.stdout).toMatch(/proxy error page: Squid error page \(HTTP 503/);
      expect(fs.readFileSync(home.rc, 'utf8')).toBe(original);
    } finally {
      fs.rmSync(file);
    }
  }, 120_000);

  it('--version names the docs commit, as the local file does', async () => {
    const ran = await npxZx('check-service', ['--version']);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(/docs commit [0-9a-f]{40} \(\d{4}-\d{2}-\d{2}\)/);
  }, 60_000);
});

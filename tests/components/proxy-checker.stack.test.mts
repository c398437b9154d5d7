// The proxy checker's model (src/components/ProxyChecker/model.mts, what the component renders)
// against the real `runbook-netcheck clients` (the bundled CLI the runbooks run): same input, same
// verdict, proxy and rule for every client, before and after the suggested lines, which bash and
// fish themselves execute here.
import {execFileSync, spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {build} from 'esbuild';
import fc from 'fast-check';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {checkerModel, GROUPS, redactPaste, type Row} from '../../src/components/ProxyChecker/model.mts';
import {readShareFragment, shareFragment} from '../../src/components/ProxyChecker/share.mts';
import {DETECTED_CACHE, detectInstalled} from '../../src/netcheck/installed.mts';
import {parseEnvText, shellQuote} from '../../src/proxy/pasted.mts';
import {CLIENTS, type Installed} from '../../src/proxy/predict.mts';
import {generatedFile} from '../kit/runbooks.mts';
import {NETCHECK_BIN} from '../../src/extraction/emit.mts';

const CLI = await generatedFile(NETCHECK_BIN);

interface Case {
  name: string;
  /** What the reader pastes. */
  text: string;
  urlText: string;
  /** The environment the text stands for, when it is not a script bash can run (env output,
   *  Windows set, traces); otherwise bash runs the text itself. */
  env?: Record<string, string>;
}

const GUIDE_PROXY = 'http://proxy.example.com:8080';
const CASES: Case[] = [
  {
    name: 'the guide\'s proxy variables, no NO_PROXY',
    text: `export http_proxy=${GUIDE_PROXY}\nexport https_proxy=${GUIDE_PROXY}\nexport HTTP_PROXY=${GUIDE_PROXY}\nexport HTTPS_PROXY=${GUIDE_PROXY}`,
    urlText: 'http://127.0.0.1:8000/v1/models',
  },
  {
    name: 'the guide\'s "curl works but Python hangs": only HTTP_PROXY',
    text: `export HTTP_PROXY=${GUIDE_PROXY}`,
    urlText: 'http://127.0.0.1:8000/v1/models',
  },
  {
    name: 'the guide\'s empty no_proxy beside NO_PROXY=127.0.0.1',
    text: `export http_proxy=${GUIDE_PROXY} HTTP_PROXY=${GUIDE_PROXY}\nexport no_proxy=\nexport NO_PROXY=127.0.0.1`,
    urlText: 'http://127.0.0.1:8000/v1/models',
  },
  {
    name: 'the guide\'s startup block in place',
    text: `export http_proxy=${GUIDE_PROXY} HTTP_PROXY=${GUIDE_PROXY}\nexport no_proxy="localhost,127.0.0.1,::1,0.0.0.0"\nexport NO_PROXY="localhost,127.0.0.1,::1,0.0.0.0"`,
    urlText: 'http://127.0.0.1:8000',
  },
  {
    name: 'env output with credentials and no_proxy=[::1]',
    text: 'http_proxy=http://alice:s3cret@proxy.corp:3128\nno_proxy=[::1],.corp.example.com\n',
    urlText: 'http://127.0.0.1:8000',
    env: {http_proxy: 'http://alice:s3cret@proxy.corp:3128', no_proxy: '[::1],.corp.example.com'},
  },
  {
    name: 'a Clash-style proxy without scheme',
    text: 'export http_proxy=127.0.0.1:7890 https_proxy=127.0.0.1:7890 all_proxy=socks5://127.0.0.1:7890',
    urlText: 'http://127.0.0.1:8000/v1',
  },
  {
    name: 'the address vLLM prints, pasted without scheme',
    text: `export http_proxy=${GUIDE_PROXY} no_proxy=localhost,127.0.0.1`,
    urlText: '0.0.0.0:8000',
  },
  {
    name: 'an IPv6 loopback URL',
    text: `export http_proxy=${GUIDE_PROXY} HTTP_PROXY=${GUIDE_PROXY}`,
    urlText: 'http://[::1]:8000/v1',
  },
  {
    name: 'a server on the internal network',
    text: `export http_proxy=${GUIDE_PROXY} no_proxy=.corp.example.com NO_PROXY=.corp.example.com`,
    urlText: 'http://gpu01.corp.example.com:8000/v1',
  },
  {
    name: 'set -x traces with CRLF',
    text: '+ export http_proxy=http://p.corp:3128\r\n++ export NO_PROXY=[::1]\r\n+ curl -sS http://127.0.0.1:8000/v1/models\r\n',
    urlText: 'http://127.0.0.1:8000/v1/models',
    env: {http_proxy: 'http://p.corp:3128', NO_PROXY: '[::1]'},
  },
  {
    name: 'Windows set output and commands',
    text: 'HTTP_PROXY=http://proxy.corp:3128\r\nset https_proxy=http://proxy.corp:3128\r\nset NO_PROXY=localhost\r\n',
    urlText: 'http://localhost:8000',
    env: {HTTP_PROXY: 'http://proxy.corp:3128', https_proxy: 'http://proxy.corp:3128', NO_PROXY: 'localhost'},
  },
  {
    name: 'a CGI environment',
    text: 'export HTTP_PROXY=http://p.corp:3128 http_proxy=http://p.corp:3128 REQUEST_METHOD=GET',
    urlText: 'http://127.0.0.1:8000',
  },
  {
    name: 'an https service',
    text: 'export https_proxy=http://p.corp:3128 HTTPS_PROXY=http://p.corp:3128 no_proxy=localhost',
    urlText: 'https://127.0.0.1:8443/v1',
  },
];

// The CLI predicts for the client versions it finds on this machine; the checker is given the same.
// Detected once, here, into the cache the CLI reads (as the steps of one runbook run share it).
const PATH = process.env.PATH!;
let cache: string;
let installed: Installed;
beforeAll(async () => {
  cache = mkdtempSync(join(tmpdir(), 'netcheck-cache-'));
  installed = (await detectInstalled({PATH, [DETECTED_CACHE]: cache})).installed;
});
afterAll(() => rmSync(cache, {recursive: true, force: true}));

/** Runs `script` in bash (nothing inherited but PATH, the detection cache and `env`), then the CLI: its rows and exit code. */
function cli(script: string, url: string, env: Record<string, string> = {}): {rows: Omit<Row, 'client'>[]; code: number} {
  const run = spawnSync('bash', ['--noprofile', '--norc', '-c', `${script}\nexec "$0" "$1" clients "$2"`, process.execPath, CLI, url], {
    env: {PATH, [DETECTED_CACHE]: cache, ...env},
    encoding: 'utf8',
  });
  if (run.status === 2 || run.stderr) throw new Error(`runbook-netcheck failed: ${run.stderr}`);
  return {rows: run.stdout.split('\n').filter((line) => line.startsWith('  ')).map(parseLine), code: run.status!};
}

/** One `  <name>  <direct|fails|via PROXY>  <rule> [assumes RELEASE]` line of `runbook-netcheck clients`. */
function parseLine(line: string): Omit<Row, 'client'> {
  const name = CLIENTS.map((c) => c.name).filter((n) => line.startsWith(`  ${n} `)).sort((a, b) => b.length - a.length)[0];
  if (!name) throw new Error(`no client name in: ${line}`);
  const match = /^(direct|fails|via (\S+))\s+(.*)$/.exec(line.slice(2 + name.length).trim());
  if (!match) throw new Error(`cannot read: ${line}`);
  const outcome = match[1]!.startsWith('via') ? 'via' : (match[1] as 'direct' | 'fails');
  const [, rule, assumes] = /^(.*?)(?: \[assumes (.*)\])?$/.exec(match[3]!)!;
  return {name, outcome, ...(match[2] ? {proxy: match[2]} : {}), rule: rule!, ...(assumes ? {assumes} : {})};
}

const withoutIds = (rows: Row[]) => rows.map(({client: _, ...row}) => row);

describe('the proxy checker agrees with runbook-netcheck clients', () => {
  it.each(CASES)('$name', ({text, urlText, env}) => {
    const model = checkerModel({envText: text, urlText, installed});
    expect(model.url.ok).toBe(true);
    const url = model.url.ok ? model.url.url : '';
    if (env) expect(parseEnvText(text).env).toEqual(env);
    const before = cli(env ? '' : text, url, env);
    expect(before.rows).toHaveLength(CLIENTS.length);
    expect(withoutIds(model.rows)).toEqual(before.rows);
    expect(before.code).toBe(model.rows.every((row) => row.outcome === 'direct') ? 0 : 1);
    // The suggested lines, run by bash after the reader's own.
    const after = cli(`${env ? '' : text}\n${model.fix.bash}`, url, env);
    expect(withoutIds(model.after)).toEqual(after.rows);
    expect(after.code).toBe(model.after.every((row) => row.outcome === 'direct') ? 0 : 1);
  });

  it('makes every client direct for the loopback URLs the guide uses, keeping the reader\'s entries', () => {
    for (const urlText of ['http://127.0.0.1:8000', 'http://localhost:8000/v1', '0.0.0.0:8000']) {
      const model = checkerModel({envText: 'http_proxy=http://p.corp:3128\nHTTP_PROXY=http://p.corp:3128\nno_proxy=[::1],.corp.example.com,fd00::/8', urlText});
      expect(model.after.filter((row) => row.outcome !== 'direct')).toEqual([]);
      expect(model.fix.value).toBe('.corp.example.com,localhost,127.0.0.1,::1,0.0.0.0');
      expect(model.fix.dropped.map((d) => d.entry)).toEqual(['[::1]', 'fd00::/8']);
    }
  });

  it('writes fish lines that fish reads as the same value', () => {
    const {fix} = checkerModel({envText: 'no_proxy=.corp.example.com,gpu\'s-box', urlText: 'http://127.0.0.1:8000'});
    const out = execFileSync('fish', ['--no-config', '-c', `${fix.fish}\nenv`], {env: {}, encoding: 'utf8'});
    expect(out.split('\n').filter((line) => /^no_proxy=|^NO_PROXY=/i.test(line)).sort()).toEqual([`NO_PROXY=${fix.value}`, `no_proxy=${fix.value}`]);
    expect(fix.value).toContain("gpu's-box");
  });
});

describe('the proxy checker model', () => {
  it('bundles for the browser: no Node built-in anywhere in what it imports', async () => {
    const result = await build({
      entryPoints: [join(import.meta.dirname, '../../src/components/ProxyChecker/model.mts'), join(import.meta.dirname, '../../src/components/ProxyChecker/share.mts')],
      bundle: true, platform: 'browser', format: 'esm', write: false, outdir: '/nonexistent', logLevel: 'silent', metafile: true,
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((input) => input.startsWith('node:') || !input.startsWith('src/'))).toEqual([]);
    expect(inputs).toContain('src/proxy/predict.mts');
  });

  it('puts every client in exactly one group', () => {
    expect(GROUPS.flatMap((group) => group.clients).sort()).toEqual(CLIENTS.map((client) => client.id).sort());
  });

  it('shows no credential anywhere, and lists ignored lines', () => {
    const model = checkerModel({envText: 'export http_proxy=http://alice:s3cret@proxy.corp:3128\nhello http://bob:pw@x.example/\nAPI_KEY=k3y', urlText: 'http://u:p4ss@127.0.0.1:8000'});
    const json = JSON.stringify(model);
    for (const secret of ['s3cret', ':pw@', 'k3y']) expect(json).not.toContain(secret);
    expect(model.variables).toEqual([{name: 'http_proxy', value: 'http://***@proxy.corp:3128'}]);
    expect(model.ignored.map((line) => [line.line, line.text, line.reason])).toEqual([
      [2, 'hello http://***@x.example/', 'not-an-assignment'],
      [3, 'API_KEY', 'not-a-proxy-variable'],
    ]);
  });

  it('reports an unusable URL instead of predicting', () => {
    const model = checkerModel({envText: 'http_proxy=http://p:1', urlText: '127.0.0.1:8000:8000'});
    expect([model.url, model.rows, model.after]).toEqual([{ok: false, problem: 'not-a-url'}, [], []]);
  });

  it('share links carry the redacted input and reproduce the same tables', () => {
    for (const {text, urlText} of CASES) {
      const input = {envText: text, urlText};
      const fragment = shareFragment(input);
      expect(fragment).toMatch(/^#proxy-check\?/);
      expect(decodeURIComponent(fragment)).not.toContain('s3cret');
      const shared = checkerModel(readShareFragment(fragment)!);
      const original = checkerModel(input);
      expect([shared.rows, shared.after, shared.fix, shared.variables]).toEqual([original.rows, original.after, original.fix, original.variables]);
    }
    expect(readShareFragment('#permanent-fix')).toBeUndefined();
  });
});

describe('the proxy checker shows no password (property)', () => {
  // Every printable ASCII character, raw or percent-encoded, with or without a scheme; the marker
  // finds any part of the password, not only the whole.
  const MARKER = 'Qz7';
  const printable = fc.string({unit: fc.integer({min: 0x20, max: 0x7e}).map((code) => String.fromCharCode(code)), minLength: 3, maxLength: 12});
  const password = fc.tuple(printable, printable).map(([a, b]) => `${a}${MARKER}${b}`);

  it('in the pasted field, the variables, both tables, the fix lines and the share link', () => {
    fc.assert(fc.property(password, fc.boolean(), fc.constantFrom('http://', 'socks5h://', ''), fc.constantFrom('env', 'export'), (secret, encoded, scheme, form) => {
      const value = `${scheme}alice:${encoded ? encodeURIComponent(secret) : secret}@127.0.0.1:3128`;
      const lines = ['http_proxy', 'HTTPS_PROXY', 'all_proxy'].map((name) => (form === 'env' ? `${name}=${value}` : `export ${name}=${shellQuote(value)}`));
      const envText = `${lines.join('\n')}\nno_proxy=localhost\n`;
      expect(parseEnvText(envText).env.http_proxy).toBe(value);
      const input = {envText, urlText: 'http://127.0.0.1:8000/v1'};
      const model = checkerModel(input);
      const shown = [redactPaste(envText), JSON.stringify(model), model.fix.bash, model.fix.fish, decodeURIComponent(shareFragment(input)), shareFragment(input)].join('\n');
      for (const form of [secret, encodeURIComponent(secret), MARKER]) expect(shown).not.toContain(form);
      expect(model.variables.find((v) => v.name === 'http_proxy')?.value).toBe(`${scheme}***@127.0.0.1:3128`);
    }), {numRuns: 300});
  });
});


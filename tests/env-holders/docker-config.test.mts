// `runbook-netcheck env-holders fix` and `undo` on ~/.docker/config.json files of the shapes the
// Docker CLI and credential helpers write: noProxy merged into each proxies entry, every other key
// kept, undo byte for byte, an invalid file refused (exit 2) and left untouched.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {generatedFile} from '../kit/runbooks.mts';
import {NETCHECK_BIN} from '../../src/extraction/emit.mts';
import {runClient, type Ran} from '../kit/processes.mts';
import {clientEnv} from '../kit/stack.mts';

const NETCHECK = await generatedFile(NETCHECK_BIN);
const VALUE = 'localhost,127.0.0.1,::1,0.0.0.0';
const AUTH = 'YWxpY2U6czNjcmV0LXJlZ2lzdHJ5'; // base64 of alice:s3cret-registry

// As `docker login` and `docker context` leave it: tab-indented, a final newline.
const tabbed = (config: object) => `${JSON.stringify(config, null, '\t')}\n`;

const FIXTURES: Record<string, string> = {
  'logins only, no proxies': tabbed({auths: {'https://index.docker.io/v1/': {auth: AUTH}}, credsStore: 'desktop'}),
  'proxies without noProxy, and unknown keys': tabbed({
    auths: {'registry.example.com': {auth: AUTH}},
    credHelpers: {'123456789.dkr.ecr.us-east-1.amazonaws.com': 'ecr-login'},
    proxies: {default: {httpProxy: 'http://proxy.corp:3128', httpsProxy: 'http://proxy.corp:3128'}},
    detachKeys: 'ctrl-e,e',
    psFormat: 'table {{.ID}}\\t{{.Names}}',
    currentContext: 'remote',
    plugins: {debug: {hooks: 'exec'}},
  }),
  'proxies with entries of their own, two spaces, no final newline': JSON.stringify({
    proxies: {default: {httpProxy: 'http://proxy.corp:3128', noProxy: '*.test.example.com,.example.org,127.0.0.0/8'}},
  }, null, 2),
  'a per-daemon entry beside default': tabbed({
    proxies: {
      'default': {httpsProxy: 'http://proxy.corp:3128'},
      'tcp://docker-daemon1.example.com': {httpProxy: 'http://proxy.dc1:3128', noProxy: 'dc1.internal'},
    },
  }),
  'noProxy already complete': tabbed({proxies: {default: {httpProxy: 'http://p:3128', noProxy: `intranet,${VALUE}`}}}),
};

describe('env-holders and ~/.docker/config.json', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, {recursive: true, force: true});
  });

  function home(config: string): {env: NodeJS.ProcessEnv; file: string} {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docker-config-'));
    dirs.push(dir);
    const file = path.join(dir, '.docker', 'config.json');
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, config, {mode: 0o600});
    return {env: clientEnv({HOME: dir}), file};
  }
  const netcheck = (env: NodeJS.ProcessEnv, ...args: string[]): Promise<Ran> => runClient('node', [NETCHECK, 'env-holders', ...args], env);

  it.each(Object.entries(FIXTURES))('%s: merged with nothing else changed; undo restores the bytes', async (_, original) => {
    const {env, file} = home(original);
    const fixed = await netcheck(env, 'fix', '--no-proxy', VALUE);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stdout + fixed.stderr).not.toContain(AUTH);
    const before = JSON.parse(original);
    const after = JSON.parse(fs.readFileSync(file, 'utf8'));
    const proxied = Object.entries(before.proxies ?? {}) as [string, {noProxy?: string}][];
    const needsNothing = proxied.length === 0 || proxied.every(([, e]) => VALUE.split(',').every((v) => (e.noProxy ?? '').split(',').includes(v)));
    if (needsNothing) {
      expect(fixed.stdout).toContain(`${file}: no change needed`);
      expect(fs.readFileSync(file, 'utf8')).toBe(original);
      expect(fs.readdirSync(path.dirname(file)).filter((name) => name.includes('.bak-'))).toEqual([]);
      return;
    }
    for (const [key, entry] of proxied) {
      const kept = (entry.noProxy ?? '').split(',').filter(Boolean);
      expect(after.proxies[key].noProxy).toBe([...kept, ...VALUE.split(',').filter((v) => !kept.includes(v))].join(','));
      after.proxies[key].noProxy = entry.noProxy;
      if (entry.noProxy === undefined) delete after.proxies[key].noProxy;
    }
    expect(after).toEqual(before); // every other key, as it was
    const text = fs.readFileSync(file, 'utf8');
    expect(text.split('\n')[1]).toMatch(original.includes('\n\t') ? /^\t"/ : /^ {2}"/);
    expect(text.endsWith('\n')).toBe(original.endsWith('\n'));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    const again = await netcheck(env, 'fix', '--no-proxy', VALUE);
    expect(again.stdout).toContain(`${file}: no change needed`);

    const undone = await netcheck(env, 'undo');
    expect(undone.code, undone.stdout).toBe(0);
    expect(undone.stdout).toContain(`restored ${file} as it was before the runbook`);
    expect(fs.readFileSync(file, 'utf8')).toBe(original);
  });

  it('a file edited by hand after the fix is left alone by undo (exit 1), and restored with --force', async () => {
    const original = FIXTURES['proxies without noProxy, and unknown keys'];
    const {env, file} = home(original);
    expect((await netcheck(env, 'fix', '--no-proxy', VALUE)).code).toBe(0);
    const edited = fs.readFileSync(file, 'utf8').replace('ctrl-e,e', 'ctrl-p,q');
    fs.writeFileSync(file, edited);
    const kept = await netcheck(env, 'undo');
    expect(kept.code).toBe(1);
    expect(kept.stdout).toContain(`left ${file} alone: it changed since the runbook wrote it; the file before the runbook's change is ${file}.bak-`);
    expect(kept.stdout).toMatch(/\.bak-\d{14}(?:-\d+)?\b/);
    expect(fs.readFileSync(file, 'utf8')).toBe(edited);
    const forced = await netcheck(env, 'undo', '--force');
    expect(forced.code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(original);
  });

  it('a login written after the fix is kept: a second fix and undo give back the file as the login left it', async () => {
    const original = FIXTURES['proxies without noProxy, and unknown keys'];
    const {env, file} = home(original);
    expect((await netcheck(env, 'fix', '--no-proxy', VALUE)).code).toBe(0);
    // `docker login` rewrites the file: a new registry, and (say) the noProxy entries tidied away.
    const config = JSON.parse(fs.readFileSync(file, 'utf8'));
    config.auths['ghcr.io'] = {auth: AUTH};
    delete config.proxies.default.noProxy;
    const afterLogin = tabbed(config);
    fs.writeFileSync(file, afterLogin);
    expect((await netcheck(env, 'fix', '--no-proxy', VALUE)).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).auths['ghcr.io']).toEqual({auth: AUTH});
    const undone = await netcheck(env, 'undo');
    expect(undone.code, undone.stdout).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(afterLogin);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['config.json']);
  });

  it.each([
    ['a trailing comma', '{\n\t"proxies": {"default": {"httpProxy": "http://p:3128",}}\n}\n'],
    ['an array', '[]\n'],
    ['proxies that is a string', '{"proxies": "http://p:3128"}\n'],
  ])('invalid (%s): refused with exit 2 and one line; the file and the state are untouched', async (_, text) => {
    const {env, file} = home(text);
    const ran = await netcheck(env, 'fix', '--no-proxy', VALUE);
    expect(ran.code).toBe(2);
    expect(ran.stderr.split('\n')[0]).toMatch(new RegExp(`^runbook-netcheck: refused: ${file.replaceAll('.', '\\.')}(:| is not)`));
    expect(ran.stdout).toBe('');
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['config.json']);
    expect(fs.existsSync(path.join(env.HOME!, '.local'))).toBe(false);
  });
});

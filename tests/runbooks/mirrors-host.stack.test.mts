// The restricted-network guide's host-side commands, run for real: host-mirrors writes the page's
// first lines (HF_ENDPOINT, the Hub timeouts, PIP_INDEX_URL) into a startup file that bash and zsh
// both read, and sets pip's and Go's user-wide mirrors in a temp HOME; pip's own proxy setting
// (PIP_PROXY, `proxy =` in pip.conf) overrides NO_PROXY, as the page warns; download-model fetches the tiny model with `hf download` from the
// HF stand-in into ./models/<repo> and finds the folder complete; and the cache commands the page names (hf cache ls / rm / prune)
// exist and work on the installed huggingface_hub, while `hf cache delete` does not exist.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startMirrors, tinyModelFiles, type RunningMirrors} from '../../src/stack/mirrors/index.mts';
import {freePort} from '../../src/stack/free-port.mts';
import {cleanEnv, findHfPython, run} from '../stack/mirrors-fixtures/clients.mts';
import {runClient} from '../kit/processes.mts';
import {REPO, jsonReport, runRunbookIn} from '../kit/runbooks.mts';

const hfPython = await findHfPython();
const hfBin = hfPython.python === null ? null : path.dirname(hfPython.python);
const hasHf = hfBin !== null && fs.existsSync(path.join(hfBin, 'hf'));
const page = fs.readFileSync(path.join(REPO, 'docs/guides/restricted-networks.md'), 'utf8');

describe('host-side mirror commands of the restricted-network guide', () => {
  let mirrors: RunningMirrors;
  let home: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    mirrors = await startMirrors();
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'mirrors-host-'));
    // Debian's pip and go, the hf venv first when there is one; pip and Go config under this HOME.
    const base = cleanEnv({HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_STATE_HOME: path.join(home, 'state'), CI: 'true', GOTOOLCHAIN: 'local'});
    delete base.PIP_CONFIG_FILE;
    delete base.GOENV;
    env = {...base, PATH: [...(hasHf ? [hfBin!] : []), '/usr/local/bin', '/usr/bin', '/bin'].join(':')};
  });
  afterAll(async () => {
    await mirrors?.close();
    if (home) fs.rmSync(home, {recursive: true, force: true});
  });

  it('host-mirrors --yes writes the pip index and the Go proxy into the user\'s config; the page\'s undo commands take them back', async () => {
    const workdir = fs.mkdtempSync(path.join(home, 'work-'));
    const rc = path.join(home, '.bashrc');
    fs.writeFileSync(rc, '# the user\'s own line\n');
    const ran = await runRunbookIn(workdir, 'host-mirrors', ['--yes', '--json', '--rc', rc, '--hf-endpoint', mirrors.hf.url, '--pip-index', mirrors.pypi.indexUrl, '--goproxy', mirrors.goProxy.url], env);
    expect(jsonReport(ran).steps.map((s) => [s.id, s.status]), ran.stdout).toEqual([['mirror-env', 'ok'], ['go-env-w', 'ok'], ['pip-config-set', 'ok']]);
    // The first-screen lines, from the startup file, in bash and in zsh: pip downloads from the
    // index they name, and the page's show-env loop prints them (it once used bash-only ${!name}).
    const showEnv = (JSON.parse(fs.readFileSync(path.join(REPO, 'runbooks', 'check-mirrors.plan.json'), 'utf8')) as {steps: {id: string; code: string}[]})
      .steps.find((s) => s.id === 'show-env')!.code;
    for (const shell of ['bash', 'zsh']) {
      const script = `. ${rc}\n${showEnv}\n/usr/bin/python3 -m pip download --no-deps --no-cache-dir --disable-pip-version-check -d ${workdir}/${shell} tinypkg`;
      const fresh = await runClient(shell, ['-c', script], {...env, PIP_CONFIG_FILE: '/dev/null'}, 120_000, workdir);
      expect(fresh.code, `${shell}: ${fresh.stderr}`).toBe(0);
      expect(fresh.stdout).toMatch(new RegExp(`^HF_ENDPOINT +${mirrors.hf.url.replaceAll('.', '\\.')}$`, 'm'));
      expect(fresh.stdout).toMatch(/^GOSUMDB +\(not set\)$/m);
      expect(fs.readdirSync(path.join(workdir, shell))).toEqual(['tinypkg-0.1.0-py3-none-any.whl']);
    }
    expect(fs.readFileSync(rc, 'utf8')).toContain('export HF_HUB_DOWNLOAD_TIMEOUT=60 HF_HUB_ETAG_TIMEOUT=30');
    const undoRc = await runRunbookIn(workdir, 'host-mirrors', ['--undo', '--yes', '--rc', rc], env);
    expect(undoRc.code, undoRc.stderr).toBe(0);
    expect(fs.readFileSync(rc, 'utf8')).toBe('# the user\'s own line\n');
    expect(fs.readFileSync(path.join(home, '.config/pip/pip.conf'), 'utf8')).toContain(`index-url = ${mirrors.pypi.indexUrl}`);
    const goEnv = await runClient('go', ['env', 'GOPROXY', 'GOSUMDB'], env, 30_000, workdir);
    expect(goEnv.stdout.trim().split('\n')).toEqual([`${mirrors.goProxy.url},direct`, 'sum.golang.google.cn']);
    // The Runbooks page's undo, as written there.
    for (const command of ['pip config unset global.index-url', 'go env -u GOPROXY GOSUMDB']) {
      expect(page.includes(command) || fs.readFileSync(path.join(REPO, 'docs/runbooks.md'), 'utf8').includes(command), command).toBe(true);
      const undo = await runClient('sh', ['-c', command], env, 30_000, workdir);
      expect(undo.code, undo.stderr).toBe(0);
    }
    expect((await runClient('go', ['env', 'GOPROXY'], env, 30_000, workdir)).stdout.trim()).toBe('https://proxy.golang.org,direct');
    expect(fs.readFileSync(path.join(home, '.config/pip/pip.conf'), 'utf8')).not.toContain('index-url');
  }, 120_000);

  it('pip\'s own proxy setting (PIP_PROXY, proxy = in pip.conf) makes it ignore NO_PROXY; the environment alone does not', async () => {
    const deadProxy = `http://127.0.0.1:${await freePort()}`; // a proxy that has quit: nothing listens
    const conf = path.join(home, 'proxy-pip.conf');
    fs.writeFileSync(conf, `[global]\nproxy = ${deadProxy}\n`);
    const base = cleanEnv({HOME: home, http_proxy: deadProxy, https_proxy: deadProxy, no_proxy: '127.0.0.1,localhost', NO_PROXY: '127.0.0.1,localhost'});
    const download = (extra: Record<string, string>, dest: string) => run('/usr/bin/python3', ['-m', 'pip', 'download', '--no-deps', '--no-cache-dir', '--disable-pip-version-check',
      '--retries', '0', '--timeout', '5', '--index-url', mirrors.pypi.indexUrl, '-d', path.join(home, dest), 'tinypkg'], {...base, ...extra}, 120_000);
    const served = () => mirrors.pypi.requests.filter((r) => r.path.includes('tinypkg')).length;
    const before = served();
    const viaEnvironment = await download({}, 'env');
    expect(viaEnvironment.code, viaEnvironment.stderr).toBe(0);
    expect(served()).toBeGreaterThan(before);
    for (const [label, extra] of [['PIP_PROXY', {PIP_PROXY: deadProxy}], ['pip.conf', {PIP_CONFIG_FILE: conf}]] as const) {
      const untouched = served();
      const viaOwnSetting = await download(extra, label);
      // pip went to the dead proxy, NO_PROXY notwithstanding: the index never saw the request.
      expect(viaOwnSetting.code, label).not.toBe(0);
      expect(viaOwnSetting.stdout + viaOwnSetting.stderr, label).toMatch(/ProxyError|Cannot connect to proxy|No matching distribution found for tinypkg/);
      expect(served(), label).toBe(untouched);
    }
  }, 120_000);

  // The page's table: 1.x and 2.x list with ls and remove with rm; scan and delete (0.34 to 0.36) are gone.
  const hfReleases = [
    ...(hfPython.python === null ? [] : [{label: `the hf venv (${hfPython.version})`, python: hfPython.python, pythonPath: undefined}]),
    ...(process.env.MATRIX_PY_EXTRAS && fs.existsSync(path.join(process.env.MATRIX_PY_EXTRAS, 'hf1', 'huggingface_hub'))
      ? [{label: 'huggingface_hub 1.x (MATRIX_PY_EXTRAS/hf1)', python: '/usr/bin/python3', pythonPath: path.join(process.env.MATRIX_PY_EXTRAS, 'hf1')}] : []),
  ];
  it.skipIf(hfReleases.length === 0).each(hfReleases)('$label: hf cache has ls, rm, prune and verify, and no scan or delete', async ({python, pythonPath}) => {
    for (const command of ['hf cache ls', 'hf cache rm model/ORG/NAME', 'hf cache prune', 'hf cache scan', 'hf cache delete']) expect(page).toContain(command);
    const hfEnv = {...cleanEnv({HOME: home}), ...(pythonPath ? {PYTHONPATH: pythonPath} : {})};
    const hf = (args: string[]) => run(python, ['-m', 'huggingface_hub.cli.hf', ...args], hfEnv, 60_000);
    const help = await hf(['cache', '--help']);
    expect(help.code, help.stderr).toBe(0);
    for (const command of ['list', 'rm', 'prune', 'verify']) expect(help.stdout).toMatch(new RegExp(`^\\s+${command}\\s`, 'm'));
    expect(help.stdout).toMatch(/alias: ls/);
    for (const gone of ['scan', 'delete']) {
      expect(help.stdout).not.toMatch(new RegExp(`^\\s+${gone}\\s`, 'm'));
      expect((await hf(['cache', gone])).code, gone).not.toBe(0);
    }
  }, 120_000);

  it.skipIf(!hasHf)('download-model fetches the repository from HF_ENDPOINT into ./models/<repo>; hf cache ls / rm / prune work, hf cache delete does not exist', async () => {
    const workdir = fs.mkdtempSync(path.join(home, 'work-'));
    const hfEnv = {...env, HF_ENDPOINT: mirrors.hf.url, HF_HUB_CACHE: path.join(home, 'hf-cache')};
    const ran = await runRunbookIn(workdir, 'download-model', ['--yes', '--json', '--hf-repo', mirrors.hf.repoId], hfEnv, 180_000);
    expect(jsonReport(ran).steps.map((s) => [s.id, s.status]), ran.stdout).toEqual([['download-local', 'ok'], ['check-local', 'ok']]);
    expect(jsonReport(ran).steps[1].output).toContain(`models/${mirrors.hf.repoId}: config.json and 1 .safetensors file(s) complete`);
    const folder = path.join(workdir, 'models', mirrors.hf.repoId);
    for (const file of tinyModelFiles()) expect(fs.existsSync(path.join(folder, file.path)), file.path).toBe(true);

    // The cache commands the page names, on a cached copy of the same repository.
    for (const command of ['hf cache ls', 'hf cache rm model/ORG/NAME', 'hf cache prune']) expect(page).toContain(command);
    const hf = (args: string[]) => runClient('hf', args, hfEnv, 120_000, workdir);
    expect((await hf(['download', mirrors.hf.repoId])).code).toBe(0);
    const listed = await hf(['cache', 'ls']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(mirrors.hf.repoId);
    const removed = await hf(['cache', 'rm', `model/${mirrors.hf.repoId}`, '--yes']);
    expect(removed.code, removed.stderr).toBe(0);
    expect((await hf(['cache', 'ls'])).stdout).not.toContain(mirrors.hf.repoId);
    expect((await hf(['cache', 'prune', '--yes'])).code).toBe(0);
    const help = await hf(['cache', '--help']);
    expect(help.stdout).toMatch(/^\s+rm\s/m);
    expect(help.stdout).not.toMatch(/^\s+delete\s/m);
    expect((await hf(['cache', 'delete'])).code).not.toBe(0);
  }, 300_000);
});

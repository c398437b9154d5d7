// The restricted-network guide's host-side commands, run for real: host-mirrors sets pip's and Go's
// user-wide mirrors in a temp HOME; download-model fetches the tiny model with `hf download` from the
// HF stand-in into ./models/<repo>; and the cache commands the page names (hf cache ls / rm / prune)
// exist and work on the installed huggingface_hub, while `hf cache delete` does not exist.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startMirrors, tinyModelFiles, type RunningMirrors} from '../../src/stack/mirrors/index.mts';
import {cleanEnv, findHfPython} from '../stack/mirrors-fixtures/clients.mts';
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
    const ran = await runRunbookIn(workdir, 'host-mirrors', ['--yes', '--json', '--pip-index', mirrors.pypi.indexUrl, '--goproxy', mirrors.goProxy.url], env);
    expect(jsonReport(ran).steps.map((s) => [s.id, s.status]), ran.stdout).toEqual([['go-env-w', 'ok'], ['pip-config-set', 'ok']]);
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

  it.skipIf(!hasHf)('download-model fetches the repository from HF_ENDPOINT into ./models/<repo>; hf cache ls / rm / prune work, hf cache delete does not exist', async () => {
    const workdir = fs.mkdtempSync(path.join(home, 'work-'));
    const hfEnv = {...env, HF_ENDPOINT: mirrors.hf.url, HF_HUB_CACHE: path.join(home, 'hf-cache')};
    const ran = await runRunbookIn(workdir, 'download-model', ['--yes', '--json', '--hf-repo', mirrors.hf.repoId], hfEnv, 180_000);
    expect(jsonReport(ran).steps.map((s) => [s.id, s.status]), ran.stdout).toEqual([['download-local', 'ok']]);
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

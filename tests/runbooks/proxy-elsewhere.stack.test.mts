// The proxy-elsewhere runbook (docs/guides/other-environments.md) against real pieces: a tmux server
// started with the proxy (credentials included) and no NO_PROXY, on the default socket of a temp
// TMUX_TMPDIR; a GNU screen session started the same way, in a temp SCREENDIR; a process with the
// command line of a VS Code Remote server; a ~/.docker/config.json whose proxies go to containers; the remote Squid, which
// cannot reach our loopback, as the proxy; and the stack's mock vLLM as the service.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {runClient} from '../kit/processes.mts';
import {type Home, jsonReport, proxyEverything, runRunbook, tempHome} from '../kit/runbooks.mts';
import {accessLog, describeWithSquid, settledLogFor, squidInfo, useOwnMockVllm} from '../kit/stack.mts';
import {screenWindowEnv, startLive, startScreen, startTmux, type Live} from '../env-holders/live-processes.mts';

const ownMock = useOwnMockVllm();
const SECRET = 'elsewhereS3cret';

describeWithSquid('proxy-elsewhere runbook', () => {
  let home: Home;
  let env: NodeJS.ProcessEnv;
  let server: Live;
  let screen: Live;
  let vscode: Live;
  let screenDir: string;

  beforeAll(async () => {
    const {hostname, port} = new URL(squidInfo().remote.url);
    home = tempHome(proxyEverything(`http://bob:${SECRET}@${hostname}:${port}`));
    const tmuxDir = path.join(home.dir, 'tmux');
    fs.mkdirSync(tmuxDir);
    screenDir = path.join(home.dir, 'screens');
    env = {...home.env, TMUX_TMPDIR: tmuxDir, SCREENDIR: screenDir};
    fs.mkdirSync(path.join(home.dir, '.docker'));
    fs.writeFileSync(path.join(home.dir, '.docker', 'config.json'), JSON.stringify({auths: {}, proxies: {default: {httpProxy: `http://bob:${SECRET}@proxy.corp:3128`}}}, null, '\t'));
    // Remote-SSH's server as ps shows it (`exec -a` gives sleep that command line).
    const vscodeNode = path.join(home.dir, '.vscode-server/cli/servers/Stable-0123abcd/server/node');
    [server, screen, vscode] = await Promise.all([
      startTmux(null, env),
      startScreen('model server', screenDir, env),
      startLive('bash', ['-c', 'exec -a "$0" sleep 600', vscodeNode], env, vscodeNode),
    ]);
  });
  afterAll(async () => {
    await Promise.all([server?.stop(), screen?.stop(), vscode?.stop()]);
    home?.remove();
  });

  it('lists the tmux server, shows what tmux, Docker and Python carry, reaches the service directly from Python, and sets the NO_PROXY of tmux and screen', async () => {
    const mark = accessLog('remote').mark();
    const ran = await runRunbook('proxy-elsewhere', ['--url', ownMock().url, '--yes', '--json'], env);
    const report = jsonReport(ran);
    const step = Object.fromEntries(report.steps.map((s) => [s.id, s]));
    expect(report.steps.map((s) => [s.id, s.status]), JSON.stringify(report.steps.filter((s) => s.status !== 'ok'))).toEqual(
      ['processes', 'system-files', 'tmux-show', 'docker-config', 'python-proxies', 'wsl-host', 'notebook-env', 'vscode-servers', 'tmux-set', 'screen-set'].map((id) => [id, 'ok']));
    expect(report.exitCode).toBe(0);
    expect(step.processes.output).toMatch(new RegExp(`PID ${server.pid}  tmux server \\(holder, yours\\): what it starts from now on goes via http://\\*\\*\\*@127\\.0\\.0\\.1:${port()}`));
    expect(step['tmux-show'].output).toContain(`http_proxy=http://***@127.0.0.1:${port()}`);
    expect(step['docker-config'].output).toContain('default {"httpProxy": "http://***@proxy.corp:3128"}');
    expect(step['python-proxies'].output).toContain(`'http': 'http://***@127.0.0.1:${port()}'`);
    expect(step['notebook-env'].output).toMatch(/^200 \{"object":"list"/);
    expect(step['wsl-host'].output).toMatch(/^Windows host \(NAT networking\): /);
    expect(step['vscode-servers'].output).toMatch(new RegExp(`^ *${vscode.pid} \\w{3} \\w{3} +\\d+ [\\d:]+ \\d{4} sleep$`, 'm'));
    expect(ran.stdout + ran.stderr).not.toContain(SECRET);
    // The Python block reached the mock directly: Squid saw nothing for it.
    expect(await settledLogFor('remote', mark, ownMock().url)).toEqual([]);

    const shown = await runClient('tmux', ['show-environment', '-g'], env);
    expect(shown.stdout).toMatch(/^NO_PROXY=localhost,127\.0\.0\.1,::1,0\.0\.0\.0$/m);
    expect(shown.stdout).toMatch(/^no_proxy=localhost,127\.0\.0\.1,::1,0\.0\.0\.0$/m);

    // The screen session (its name has a space) was found by name; a window opened now gets both.
    expect(step['screen-set'].output.trim()).toBe(`screen session ${screen.pid}.model server: windows opened from now on get NO_PROXY and no_proxy`);
    const windowEnv = await screenWindowEnv('model server', screenDir, env, path.join(home.dir, 'screen-window-env'));
    expect(windowEnv).toMatch(/^NO_PROXY=localhost,127\.0\.0\.1,::1,0\.0\.0\.0$/m);
    expect(windowEnv).toMatch(/^no_proxy=localhost,127\.0\.0\.1,::1,0\.0\.0\.0$/m);
  });

  it('with no screen session, the screen step says so and succeeds', async () => {
    const ran = await runRunbook('proxy-elsewhere', ['--only', 'screen-set', '--yes', '--json'], {...env, SCREENDIR: path.join(home.dir, 'no-screens')});
    const [step] = jsonReport(ran).steps;
    expect([step.id, step.status, step.output.trim()]).toEqual(['screen-set', 'ok', 'no screen session of yours is running']);
  });
});

function port(): string {
  return new URL(squidInfo().remote.url).port;
}

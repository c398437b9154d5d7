// fix-noproxy and a tmux server started before the fix, with http_proxy (credentials included)
// and no NO_PROXY: every new window inherits the server's environment, so before the fix a new
// window's shell reaches the mock vLLM through the remote Squid (which cannot see our loopback);
// fix-noproxy --yes sets the server's global environment, after which a new window's shell
// reaches it directly (Squid logs nothing); --undo gives the server back exactly what it had.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {runClient} from '../kit/processes.mts';
import {type Home, proxyEverything, runRunbook, tempHome} from '../kit/runbooks.mts';
import {accessLog, describeWithSquid, settledLogFor, squidInfo, useOwnMockVllm} from '../kit/stack.mts';
import {startTmux, type Live} from './live-processes.mts';

const ownMock = useOwnMockVllm();
const SECRET = 'tmuxS3cret';

describeWithSquid('fix-noproxy and a running tmux server', () => {
  let home: Home;
  let socket: string;
  let server: Live;
  let windows = 0;

  const tmux = (...args: string[]) => runClient('tmux', ['-S', socket, ...args], home.env);
  const globalEnv = async () => (await tmux('show-environment', '-g')).stdout;

  /** What curl in a new window's (non-interactive) shell gets: `HTTP-code proxy-header-seen`. */
  async function curlInNewWindow(): Promise<string> {
    const out = path.join(home.dir, `window-${++windows}`);
    const command = `curl -sS -o /dev/null -w '%{http_code}' ${ownMock().url}/v1/models > ${out}.tmp 2>${out}.err; mv ${out}.tmp ${out}`;
    const opened = await tmux('new-window', '-d', command);
    expect(opened.code, opened.stderr).toBe(0);
    const deadline = Date.now() + 20_000;
    while (!fs.existsSync(out)) {
      if (Date.now() > deadline) throw new Error('the tmux window never wrote its result');
      await sleep(25);
    }
    return `${fs.readFileSync(out, 'utf8')}${fs.readFileSync(`${out}.err`, 'utf8')}`.trim();
  }

  beforeAll(async () => {
    const {hostname, port} = new URL(squidInfo().remote.url);
    home = tempHome({...proxyEverything(`http://alice:${SECRET}@${hostname}:${port}`), no_proxy: 'intranet.example'});
    socket = path.join(home.dir, 'tmux.sock');
    server = await startTmux(socket, home.env);
  });
  afterAll(async () => {
    await server?.stop();
    home?.remove();
  });

  it('before: Squid answers a new window; --check lists the server and changes nothing; --yes fixes new windows; --undo restores exactly', async () => {
    const before = await globalEnv();
    expect(before).toContain('no_proxy=intranet.example\n');
    expect(before).not.toMatch(/^NO_PROXY=/m);
    {
      const mark = accessLog('remote').mark();
      expect(await curlInNewWindow()).toBe('503');
      expect((await settledLogFor('remote', mark, ownMock().url)).map((e) => e.status)).toEqual([503]);
    }
    {
      const check = await runRunbook('fix-noproxy', ['--url', ownMock().url, '--check'], home.env);
      expect(check.code).toBe(1);
      expect(check.stdout).toMatch(new RegExp(`PID ${server.pid}  tmux server \\(holder, yours\\): what it starts from now on goes via http://\\*\\*\\*@`));
      expect(check.stdout).toContain(`fix: tmux -S ${socket} set-environment -g NO_PROXY 'intranet.example,localhost,127.0.0.1,::1,0.0.0.0'`);
      expect(check.stdout + check.stderr).not.toContain(SECRET);
      expect(await globalEnv()).toBe(before);
    }
    {
      const ran = await runRunbook('fix-noproxy', ['--url', ownMock().url, '--yes'], home.env);
      expect(ran.code, ran.stdout + ran.stderr).toBe(0);
      expect(ran.stdout).toContain(`tmux server ${server.pid} (${socket}): set NO_PROXY and no_proxy to "intranet.example,localhost,127.0.0.1,::1,0.0.0.0"`);
      expect(ran.stdout + ran.stderr).not.toContain(SECRET);
      const after = await globalEnv();
      expect(after).toMatch(/^NO_PROXY=intranet\.example,localhost,127\.0\.0\.1,::1,0\.0\.0\.0$/m);
      expect(after).toMatch(/^no_proxy=intranet\.example,localhost,127\.0\.0\.1,::1,0\.0\.0\.0$/m);
      const mark = accessLog('remote').mark();
      expect(await curlInNewWindow()).toBe('200');
      expect(await settledLogFor('remote', mark, ownMock().url)).toEqual([]);
    }
    {
      const again = await runRunbook('fix-noproxy', ['--url', ownMock().url, '--yes'], home.env);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain(`tmux server ${server.pid} (${socket}): NO_PROXY and no_proxy already`);
    }
    {
      const undone = await runRunbook('fix-noproxy', ['--undo', '--yes'], home.env);
      expect(undone.code, undone.stdout + undone.stderr).toBe(0);
      expect(undone.stdout).toContain(`tmux server at ${socket}: NO_PROXY is unset again`);
      expect(await globalEnv()).toBe(before);
    }
  });

  it('a value changed by hand after the fix is left alone by --undo (exit 1) unless --force', async () => {
    const before = await globalEnv();
    expect((await runRunbook('fix-noproxy', ['--url', ownMock().url, '--yes'], home.env)).code).toBe(0);
    await tmux('set-environment', '-g', 'NO_PROXY', 'mine,localhost');
    const kept = await runRunbook('fix-noproxy', ['--undo', '--yes'], home.env);
    expect(kept.code).toBe(1);
    expect(kept.stdout).toContain(`left NO_PROXY of the tmux server at ${socket} alone: it is now "mine,localhost"`);
    expect(await globalEnv()).toMatch(/^NO_PROXY=mine,localhost$/m);
    const forced = await runRunbook('fix-noproxy', ['--undo', '--yes', '--force'], home.env);
    expect(forced.code, forced.stdout).toBe(0);
    expect(await globalEnv()).toBe(before);
  });
});

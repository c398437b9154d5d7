// `runbook-netcheck processes` over real processes started with proxy variables (credentials
// included): a tmux server, a GNU screen session, a process named vllm, an openai client script, a Jupyter kernel
// (`python3 -m ipykernel_launcher`), and the same user's process under another HOME; then the
// command run as another user (nobody), which cannot read root's processes' environments.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {generatedFile} from '../kit/runbooks.mts';
import {NETCHECK_BIN} from '../../src/extraction/emit.mts';
import {runClient, type Ran} from '../kit/processes.mts';
import {clientEnv} from '../kit/stack.mts';
import {screenWindowEnv, startLive, startScreen, startTmux, type Live} from './live-processes.mts';

const NETCHECK = await generatedFile(NETCHECK_BIN);
const SECRET = 'S3cretPw-procs';
const PROXY = `http://alice:${SECRET}@127.0.0.1:9`;
const URL = 'http://127.0.0.1:8000/v1/models';
const LOOPBACK = 'localhost,127.0.0.1,::1,0.0.0.0';

/** The report's line for `pid` and the `fix:` lines under it. */
function entry(out: string, pid: number): string[] {
  const lines = out.split('\n');
  const at = lines.findIndex((l) => l.startsWith(`  PID ${pid} `));
  if (at < 0) return [];
  const end = lines.findIndex((l, i) => i > at && !l.startsWith('    fix: '));
  return lines.slice(at, end < 0 ? undefined : end);
}

// Another user's processes need root to start (setpriv); CI runs as root.
const asRoot = process.getuid?.() === 0;

describe.skipIf(!asRoot)(asRoot ? 'runbook-netcheck processes' : 'runbook-netcheck processes (skipped: needs root to start another user\'s process)', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const live: Record<string, Live> = {};
  let byRoot: Ran;
  let asNobody: Ran;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'procs-'));
    fs.chmodSync(dir, 0o755);
    env = clientEnv({HOME: dir, http_proxy: PROXY, HTTPS_PROXY: PROXY});
    fs.writeFileSync(path.join(dir, 'openai_eval.py'), 'import time\ntime.sleep(600)\n');
    fs.writeFileSync(path.join(dir, 'ipykernel_launcher.py'), 'import time\ntime.sleep(600)\n');
    const python = 'python3';
    [live.tmux, live.screen, live.vllm, live.client, live.kernel, live.otherHome, live.nobody] = await Promise.all([
      startTmux(path.join(dir, 'tmux.sock'), env),
      startScreen('procs-test', path.join(dir, 'screens'), env),
      // vllm serve … --api-key SECRET, as /proc shows it (python ignores the arguments after -c CODE)
      startLive('bash', ['-c', `exec -a vllm python3 -c 'import time; time.sleep(600)' --api-key ${SECRET} --hf-token=${SECRET}`], env, 'vllm'),
      startLive(python, [path.join(dir, 'openai_eval.py')], {...env, NO_PROXY: LOOPBACK, no_proxy: LOOPBACK}, python),
      startLive(python, ['-m', 'ipykernel_launcher', '-f', path.join(dir, 'kernel-1.json')], {...env, PYTHONPATH: dir}, python),
      startLive('bash', ['-c', 'exec -a lm_eval sleep 600'], {...env, HOME: '/elsewhere'}, 'lm_eval'),
      startLive('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'bash', '-c', 'exec -a evalscope sleep 600'], env, 'evalscope'),
    ]);
    byRoot = await runClient('node', [NETCHECK, 'processes', URL], env);
    // The command as the current sources make it, copied where nobody can read it.
    fs.cpSync(path.resolve(NETCHECK, '../..'), path.join(dir, 'lib'), {recursive: true}); // the command and the runtime it imports
    const readable = path.join(dir, 'lib', 'bin', path.basename(NETCHECK));
    asNobody = await runClient('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, readable, 'processes', URL], env);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(Object.values(live).map((p) => p.stop()));
    fs.rmSync(dir, {recursive: true, force: true});
  });

  it('a tmux server started with http_proxy: new panes go through the proxy; the fix sets its global environment', () => {
    const [line, ...fix] = entry(byRoot.stdout, live.tmux.pid);
    expect(line).toMatch(/tmux server \(holder, yours\): what it starts from now on goes via http:\/\/\*\*\*@127\.0\.0\.1:9/);
    const socket = path.join(dir, 'tmux.sock');
    expect(fix).toContain(`    fix: tmux -S ${socket} set-environment -g NO_PROXY '${LOOPBACK}'`);
    expect(fix).toContain(`    fix: tmux -S ${socket} set-environment -g no_proxy '${LOOPBACK}'`);
  });

  it('a screen session started with the proxy: the printed setenv lines give its new windows NO_PROXY', async () => {
    const [line, ...fix] = entry(byRoot.stdout, live.screen.pid);
    expect(line).toMatch(/screen session \(holder, yours\): what it starts from now on goes via http:\/\/\*\*\*@127\.0\.0\.1:9/);
    const setenv = fix.map((l) => l.replace('    fix: ', '')).filter((l) => l.includes(' -X setenv '));
    expect(setenv).toHaveLength(2);
    for (const command of setenv) expect((await runClient('bash', ['-c', command], env)).code).toBe(0);
    const windowEnv = await screenWindowEnv(String(live.screen.pid), path.join(dir, 'screens'), env, path.join(dir, 'screen-window-env'));
    expect(windowEnv).toContain(`\nNO_PROXY=${LOOPBACK}\n`);
    expect(windowEnv).toContain(`\nno_proxy=${LOOPBACK}\n`);
  });

  it('a model server and a Jupyter kernel with the proxy: the restart line, and the %env line for the kernel', () => {
    const [vllm, ...vllmFix] = entry(byRoot.stdout, live.vllm.pid);
    expect(vllm).toMatch(/vLLM \(server, yours\): its own requests go via http:\/\/\*\*\*@127\.0\.0\.1:9/);
    expect(vllmFix).toEqual([`    fix: kill ${live.vllm.pid}`, `    fix: then start it again as: NO_PROXY='${LOOPBACK}' no_proxy='${LOOPBACK}' vllm -c 'import time; time.sleep(600)' --api-key *** --hf-token=***`]);
    const [kernel, ...kernelFix] = entry(byRoot.stdout, live.kernel.pid);
    expect(kernel).toMatch(/Jupyter kernel \(client, yours\): its requests go via/);
    expect(kernelFix[0]).toBe(`    fix: in the notebook, before creating the client: %env NO_PROXY=${LOOPBACK} and %env no_proxy=${LOOPBACK}`);
  });

  it('a client whose NO_PROXY covers the URL goes directly; the same user under another HOME is listed, not counted', () => {
    expect(entry(byRoot.stdout, live.client.pid)).toEqual([`  PID ${live.client.pid}  openai SDK client (client, yours): its requests go directly`]);
    expect(entry(byRoot.stdout, live.otherHome.pid)[0]).toMatch(/lm-evaluation-harness \(client, yours, but HOME=\/elsewhere: not counted\): its requests go via/);
    expect(entry(byRoot.stdout, live.nobody.pid)[0]).toMatch(/EvalScope \(client, another user's: uid 65534\): its requests go via/);
    // Counted: this HOME's tmux server and kernel (a server's own requests are not the problem).
    expect(byRoot.stdout).toMatch(new RegExp(`process\\(es\\) of yours will not reach it directly: .*tmux server ${live.tmux.pid}`));
    expect(byRoot.code).toBe(1);
  });

  it('run as another user: root\'s processes are listed as unreadable with the reason, its own is read', () => {
    expect(asNobody.stderr).toBe('');
    for (const p of [live.tmux, live.vllm, live.kernel]) {
      expect(entry(asNobody.stdout, p.pid)[0]).toMatch(/another user's: uid 0\): unreadable: permission denied \(uid 0's process: run this as that user, or as root\)$/);
    }
    expect(entry(asNobody.stdout, live.nobody.pid)[0]).toMatch(/EvalScope \(client, yours\): its requests go via http:\/\/\*\*\*@127\.0\.0\.1:9/);
    expect(asNobody.code).toBe(1);
  });

  it('no credential in any output', () => {
    for (const ran of [byRoot, asNobody]) {
      expect(ran.stdout + ran.stderr).not.toContain(SECRET);
      expect(ran.stdout + ran.stderr).not.toContain('alice');
    }
  });
});

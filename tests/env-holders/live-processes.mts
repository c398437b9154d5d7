// Real long-running processes for the env-holders tests: started with the environment given,
// looked up by pid once they show the expected command line, and ended by pid.
import {spawn, type ChildProcess} from 'node:child_process';
import * as fs from 'node:fs';
import {setTimeout as sleep} from 'node:timers/promises';
import {runClient} from '../kit/processes.mts';

export interface Live {
  pid: number;
  stop(): Promise<void>;
}

async function until(what: string, ready: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function cmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/** `command args…` in the background, once /proc shows `argv0` as its first word. */
export async function startLive(command: string, args: string[], env: NodeJS.ProcessEnv, argv0: string): Promise<Live> {
  const child: ChildProcess = spawn(command, args, {env, stdio: 'ignore'});
  const pid = child.pid!;
  await until(`${argv0} (pid ${pid})`, () => cmdline(pid).startsWith(`${argv0}\0`) || child.exitCode !== null);
  if (child.exitCode !== null) throw new Error(`${command} exited with ${child.exitCode}`);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    pid,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A tmux server with one session running `sleep`: on `socket`, or (null) on the default socket of
 *  the environment's TMUX_TMPDIR; its pid from tmux itself. */
export async function startTmux(socket: string | null, env: NodeJS.ProcessEnv): Promise<Live> {
  const where = socket === null ? [] : ['-S', socket];
  const started = await runClient('tmux', [...where, 'new-session', '-d', 'sleep 600'], env);
  const shown = await runClient('tmux', [...where, 'display-message', '-p', '#{pid}'], env);
  const pid = Number(shown.stdout.trim());
  // tmux exits 0 even when it could not create its socket: the pid is the proof it runs.
  if (started.code !== 0 || !(pid > 0)) throw new Error(`tmux did not start: ${started.stderr}${shown.stderr}`);
  return {
    pid,
    async stop() {
      await runClient('tmux', [...where, 'kill-server'], env);
      await until(`tmux server ${pid} to end`, () => cmdline(pid) === '');
    },
  };
}

/** A detached GNU screen session `name` (running `sleep`) with its sockets in `screenDir` (SCREENDIR). */
export async function startScreen(name: string, screenDir: string, env: NodeJS.ProcessEnv): Promise<Live> {
  fs.mkdirSync(screenDir, {recursive: true, mode: 0o700});
  const screenEnv = {...env, SCREENDIR: screenDir};
  const session = await startLive('screen', ['-DmS', name, 'sleep', '600'], screenEnv, 'SCREEN');
  return {
    pid: session.pid,
    async stop() {
      // `quit` ends the session's windows too (a SIGKILL would leave its `sleep` behind).
      await runClient('screen', ['-S', String(session.pid), '-X', 'quit'], screenEnv);
      await session.stop();
    },
  };
}

/** The environment a new window of screen session `session` (in `screenDir`) gets, as `env` prints it. */
export async function screenWindowEnv(session: string, screenDir: string, env: NodeJS.ProcessEnv, out: string): Promise<string> {
  const opened = await runClient('screen', ['-S', session, '-X', 'screen', 'sh', '-c', `env > ${out}.tmp; mv ${out}.tmp ${out}`], {...env, SCREENDIR: screenDir});
  if (opened.code !== 0) throw new Error(`screen -X screen failed: ${opened.stderr}`);
  await until('the screen window to write its environment', () => fs.existsSync(out));
  return fs.readFileSync(out, 'utf8');
}

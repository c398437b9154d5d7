// A running tmux server's global environment, which every new window and pane starts with: where
// its socket is (from the server's own command line and environment), what it holds for a
// variable (set, unset, or marked removed with `-r`), and setting it back exactly.
import * as path from 'node:path';
import type {Env} from '../io/env.mts';
import {runCommand} from '../io/child-process.mts';

/** A variable in tmux's global environment: a value, absent, or present but marked removed
 *  (`set-environment -r`: `-NAME` in show-environment, taken out of new panes' environment). */
export type TmuxValue = {value: string} | {unset: true} | {removed: true};

function option(argv: string[], flag: string): string | undefined {
  for (let i = 1; i < argv.length; i++) {
    if (argv[i] === flag) return argv[i + 1];
    if (argv[i].startsWith(flag) && argv[i].length > flag.length && !argv[i].startsWith('--')) return argv[i].slice(flag.length);
    if (!argv[i].startsWith('-')) return undefined; // the tmux command starts: no more global options
  }
  return undefined;
}

/** The server's socket: `-S PATH`, else `-L NAME` (default `default`) in `$TMUX_TMPDIR/tmux-UID`,
 *  where the server looked when it started. */
export function tmuxSocket(argv: string[], env: Env, uid: number): string {
  const explicit = option(argv, '-S');
  if (explicit) return explicit;
  return path.join(env.TMUX_TMPDIR || '/tmp', `tmux-${uid}`, option(argv, '-L') ?? 'default');
}

/** `tmux -S SOCKET`, the start of every command to that server. */
export function tmuxCommand(argv: string[], env: Env, uid: number): string[] {
  return ['tmux', '-S', tmuxSocket(argv, env, uid)];
}

async function tmux(socket: string, args: string[]): Promise<{code: number | null; stdout: string; stderr: string}> {
  return runCommand('tmux', ['-S', socket, ...args], {timeoutMs: 10_000});
}

export async function readTmuxGlobal(socket: string, name: string): Promise<TmuxValue> {
  const shown = await tmux(socket, ['show-environment', '-g', name]);
  if (shown.code !== 0) {
    if (/unknown variable/.test(shown.stderr)) return {unset: true};
    throw new Error(`cannot read tmux's environment at ${socket}: ${shown.stderr.trim() || `exit ${shown.code}`}`);
  }
  const line = shown.stdout.replace(/\n$/, '');
  if (line === `-${name}`) return {removed: true};
  if (!line.startsWith(`${name}=`)) throw new Error(`cannot read tmux's environment at ${socket}: unexpected ${JSON.stringify(line)}`);
  return {value: line.slice(name.length + 1)};
}

export async function writeTmuxGlobal(socket: string, name: string, to: TmuxValue): Promise<void> {
  const args = 'value' in to ? [name, to.value] : 'removed' in to ? ['-r', name] : ['-u', name];
  const done = await tmux(socket, ['set-environment', '-g', ...args]);
  if (done.code !== 0) throw new Error(`cannot set tmux's environment at ${socket}: ${done.stderr.trim() || `exit ${done.code}`}`);
}

export function sameTmuxValue(a: TmuxValue, b: TmuxValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

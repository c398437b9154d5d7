// The environment a new terminal would have: a fresh interactive shell that reads the startup
// file, started from this environment minus no_proxy/NO_PROXY (so that only the file can supply
// them). What it exports is what the user's tools will see after the fix.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {runCommand} from '../io/child-process.mts';
import {readEnvDump, type Env} from '../io/env.mts';
import type {Shell} from './detect.mts';

function shellCommand(shell: Shell, file: string, dump: string): string[] {
  // The dump goes to a file: whatever the startup file prints cannot mix into it.
  if (shell === 'bash') return ['bash', '--rcfile', file, '-i', '-c', 'env -0 > "$0"', dump];
  if (shell === 'zsh') return ['zsh', '-f', '-i', '-c', 'source "$1"; env -0 > "$0"', dump, file];
  return ['fish', '--no-config', '-c', 'source $argv[1]; env -0 > $argv[2]', file, dump];
}

export async function freshShellEnv(shell: Shell, file: string, env: Env, timeoutS = 10): Promise<Env> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-shell-'));
  const dump = path.join(dir, 'env');
  // An undefined value is left out of the child's environment.
  const start: Env = {...env, no_proxy: undefined, NO_PROXY: undefined};
  const [command, ...args] = shellCommand(shell, file, dump);
  try {
    const ran = await runCommand(command, args, {env: start, timeoutMs: timeoutS * 1000});
    if (!fs.existsSync(dump)) {
      const why = ran.timedOut ? `no environment within ${timeoutS} s` : lastLine(ran.stderr) || `exit ${ran.code ?? ran.signal}`;
      throw new Error(`a fresh ${command} reading ${file} did not start: ${why}`);
    }
    return readEnvDump(dump);
  } finally {
    fs.rmSync(dir, {recursive: true, force: true});
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}

/**
 * What a marked block's lines alone set, read by the same shell from a file of their own (LF, no
 * other line): the values a fresh shell reading the whole startup file must have too. Only the
 * variables the block names (`export NAME=…`, `set -gx NAME …`).
 */
export async function blockValues(shell: Shell, body: string, timeoutS = 10): Promise<Record<string, string>> {
  const names = [...body.matchAll(/^\s*(?:export\s+|set\s+-gx\s+)([A-Za-z_][A-Za-z0-9_]*)/gm)].map((m) => m[1]!);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-block-'));
  const file = path.join(dir, 'block');
  try {
    fs.writeFileSync(file, `${body}\n`);
    const env = await freshShellEnv(shell, file, {PATH: process.env.PATH}, timeoutS);
    return Object.fromEntries(names.flatMap((name) => (env[name] === undefined ? [] : [[name, env[name]!]])));
  } finally {
    fs.rmSync(dir, {recursive: true, force: true});
  }
}

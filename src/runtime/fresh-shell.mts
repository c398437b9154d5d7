// The environment a new terminal would have: a fresh interactive shell that reads the startup
// file, started from this environment minus no_proxy/NO_PROXY (so that only the file can supply
// them). What it exports is what the user's tools will see after the fix.
import {execFile} from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type {Env} from './http-check.mts';
import type {Shell} from './startup-file.mts';

function shellCommand(shell: Shell, file: string, dump: string): string[] {
  // The dump goes to a file: whatever the startup file prints cannot mix into it.
  if (shell === 'bash') return ['bash', '--rcfile', file, '-i', '-c', 'env -0 > "$0"', dump];
  if (shell === 'zsh') return ['zsh', '-f', '-i', '-c', 'source "$1"; env -0 > "$0"', dump, file];
  return ['fish', '--no-config', '-c', 'source $argv[1]; env -0 > $argv[2]', file, dump];
}

export async function freshShellEnv(shell: Shell, file: string, env: Env, timeoutS = 10): Promise<Env> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-shell-'));
  const dump = path.join(dir, 'env');
  const start: Env = {...env};
  delete start.no_proxy;
  delete start.NO_PROXY;
  const [command, ...args] = shellCommand(shell, file, dump);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = execFile(command, args, {env: start as NodeJS.ProcessEnv, timeout: timeoutS * 1000, killSignal: 'SIGKILL'}, (error) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') reject(new Error(`${command} is not installed`));
        else if (!fs.existsSync(dump)) reject(new Error(`a fresh ${command} reading ${file} did not start: ${error?.message ?? 'no environment'}`));
        else resolve();
      });
      child.stdin?.end();
    });
    const fresh: Env = {};
    for (const entry of fs.readFileSync(dump, 'utf8').split('\0')) {
      const eq = entry.indexOf('=');
      if (eq > 0) fresh[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
    return fresh;
  } finally {
    fs.rmSync(dir, {recursive: true, force: true});
  }
}

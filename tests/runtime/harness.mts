// Builds real runbooks from a Markdown page into a temp dir (script, plan, bundled runtime, and a
// node_modules link so `zx` resolves) and runs them as a user would: a child process, no terminal.
import {spawn} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {extractPage} from '../../src/extraction/extract.mts';
import {REPO_ROOT} from '../../src/extraction/docs.mts';
import {renderRunbooks} from '../../src/extraction/emit.mts';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunbookSandbox {
  /** The temp dir: runbooks/ inside it, and a home/ used as HOME. */
  dir: string;
  home: string;
  /** `terminal` runs it under `script`, i.e. on a pseudo-terminal, typing `input`. */
  run(runbook: string, args?: string[], options?: {env?: Record<string, string>; via?: 'node' | 'zx' | 'terminal'; input?: string}): Promise<RunResult>;
  cleanup(): void;
}

export function runProcess(
  command: string,
  args: string[],
  options: {cwd: string; env: NodeJS.ProcessEnv; input?: string},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {cwd: options.cwd, env: options.env, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe']});
    if (options.input !== undefined) child.stdin!.end(options.input);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({code, stdout, stderr}));
  });
}

export async function makeSandbox(markdown: string): Promise<RunbookSandbox> {
  const page = extractPage('docs/test-page.md', markdown);
  if (page.errors.length > 0) throw new Error(page.errors.map((e) => `${e.line}: ${e.message}`).join('\n'));
  const dir = mkdtempSync(join(tmpdir(), 'runbook-test-'));
  const home = join(dir, 'home');
  mkdirSync(home);
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'));
  for (const [file, text] of await renderRunbooks(page.runbooks)) {
    mkdirSync(join(dir, file, '..'), {recursive: true});
    writeFileSync(join(dir, file), text);
  }
  return {
    dir,
    home,
    run(runbook, args = [], {env = {}, via = 'node', input} = {}) {
      const script = join('runbooks', `${runbook}.mjs`);
      const node = [process.execPath, script, ...args];
      const quoted = node.map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(' ');
      const [command, ...commandArgs] =
        via === 'zx' ? [join(REPO_ROOT, 'node_modules/.bin/zx'), script, ...args]
        : via === 'terminal' ? ['script', '-qec', quoted, '/dev/null']
        : node;
      const base: NodeJS.ProcessEnv = {PATH: process.env.PATH, HOME: home, SHELL: '/bin/bash', CI: 'true', LANG: 'C.UTF-8'};
      return runProcess(command, commandArgs, {cwd: dir, env: {...base, ...env}, input});
    },
    cleanup: () => rmSync(dir, {recursive: true, force: true}),
  };
}

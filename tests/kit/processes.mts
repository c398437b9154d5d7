// Runs a real program from a test, through the project's one child-process helper
// (src/io/child-process.mts). Always async: never block this process while a server it hosts
// (the mock vLLM) must answer. `run` reports any exit; `runOk` is for setup steps (git, a build)
// that must succeed, and throws naming the command and its output otherwise.
import {runCommand, type RunOptions} from '../../src/io/child-process.mts';

export interface Ran {
  /** The exit code; -1 when the program was killed (time limit, signal) or could not start. */
  code: number;
  stdout: string;
  stderr: string;
}

export type RunOpts = Omit<RunOptions, 'env'> & {env?: NodeJS.ProcessEnv};

export async function run(command: string, args: readonly string[], options: RunOpts = {}): Promise<Ran> {
  try {
    const ran = await runCommand(command, args, options);
    return {code: ran.code ?? -1, stdout: ran.stdout, stderr: ran.stderr};
  } catch (error) {
    return {code: -1, stdout: '', stderr: (error as Error).message};
  }
}

/** stdout of a program that must exit 0; otherwise an error with its exit code and output. */
export async function runOk(command: string, args: readonly string[], options: RunOpts = {}): Promise<string> {
  options.signal?.throwIfAborted();
  const ran = await run(command, args, options);
  options.signal?.throwIfAborted();
  if (ran.code !== 0) {
    const name = [command, ...args].join(' ').slice(0, 200);
    throw new Error(`${name} exited with ${ran.code}\n${ran.stderr}\n${ran.stdout.slice(-4000)}`);
  }
  return ran.stdout;
}

/** A client run with the given environment and a time limit (20 s unless said). */
export function runClient(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 20_000, cwd?: string, input?: string): Promise<Ran> {
  return run(command, args, {env, timeoutMs, cwd, input});
}

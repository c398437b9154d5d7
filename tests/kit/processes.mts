// Runs a real program from a test, through the project's one child-process helper
// (src/io/child-process.mts). Always async: never block this process while a server it hosts
// (the mock vLLM) must answer.
import {runCommand} from '../../src/io/child-process.mts';

export interface Ran {
  /** The exit code; -1 when the program was killed (time limit, signal) or could not start. */
  code: number;
  stdout: string;
  stderr: string;
}

export async function runClient(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 20_000, cwd?: string, input?: string): Promise<Ran> {
  try {
    const ran = await runCommand(command, args, {env, cwd, timeoutMs, input});
    return {code: ran.code ?? -1, stdout: ran.stdout, stderr: ran.stderr};
  } catch (error) {
    return {code: -1, stdout: '', stderr: (error as Error).message};
  }
}

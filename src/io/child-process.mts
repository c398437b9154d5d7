// The one way this project runs another program: an argument array (no shell), an optional time
// limit enforced with SIGKILL (a process that ignores SIGTERM still ends), stdin closed or fed
// `input`, output collected up to a bound. A program that is not installed is a clear error.
import {execFile, type ExecFileException} from 'node:child_process';
import type {Env} from './env.mts';

export interface RunOptions {
  env?: Env;
  cwd?: string;
  /** Written to the program's stdin, which is then closed (it is closed at once without it). */
  input?: string;
  /** Killed with SIGKILL after this long; no limit when absent. */
  timeoutMs?: number;
  /** Default 64 MiB per stream; more is an error. */
  maxBuffer?: number;
  /** How stdout and stderr are decoded (default utf8; `latin1` keeps one character per byte). */
  encoding?: 'utf8' | 'latin1';
  /** Aborting it kills the program (SIGKILL); the promise then rejects. */
  signal?: AbortSignal;
}

export interface Completed {
  /** null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when the time limit killed it. */
  timedOut: boolean;
}

/** The program is not on PATH (or the path given does not exist). */
export class CommandNotFoundError extends Error {
  constructor(readonly command: string) {
    super(`${command} is not installed`);
  }
}

const DEFAULT_MAX_BUFFER = 64 * 1024 * 1024;

export function runCommand(command: string, args: readonly string[], options: RunOptions = {}): Promise<Completed> {
  const maxBuffer = options.maxBuffer ?? DEFAULT_MAX_BUFFER;
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, {
      env: options.env as NodeJS.ProcessEnv | undefined,
      cwd: options.cwd,
      encoding: options.encoding ?? 'utf8',
      signal: options.signal,
      timeout: options.timeoutMs ?? 0,
      killSignal: 'SIGKILL',
      maxBuffer,
    }, (error: ExecFileException | null, stdout, stderr) => {
      if (!error) return resolve({code: 0, signal: null, stdout, stderr, timedOut: false});
      if (error.code === 'ENOENT') return reject(new CommandNotFoundError(command));
      if (error.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return reject(new Error(`${command} printed more than ${maxBuffer} bytes`));
      if (typeof error.code === 'string') return reject(new Error(`cannot run ${command}: ${error.message}`));
      const code = typeof error.code === 'number' ? error.code : null;
      resolve({code, signal: error.signal ?? null, stdout, stderr, timedOut: Boolean(error.killed) && (options.timeoutMs ?? 0) > 0});
    });
    // A program that exits without reading its input must not turn into an EPIPE here.
    child.stdin?.on('error', () => {});
    child.stdin?.end(options.input);
  });
}

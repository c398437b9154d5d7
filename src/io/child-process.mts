// The one way this project runs another program: an argument array (no shell), an optional time
// limit enforced with SIGKILL (a process that ignores SIGTERM still ends), stdin closed or fed
// `input`, output collected up to a bound. A program that is not installed is a clear error.
// runCommandTree is the runner's variant for steps: interleaved output, the whole tree killed, and
// signalRunningTrees hands a signal the runner got on to the trees it is running.
import {execFile, execFileSync, spawn, type ExecFileException} from 'node:child_process';
import {existsSync, readFileSync, readdirSync} from 'node:fs';
import type {Env} from './env.mts';
import {processExists} from './safe-write.mts';
import {sleepSync} from './sleep-sync.mts';

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

export interface CompletedTree extends Completed {
  /** stdout and stderr interleaved as they arrived. */
  all: string;
}

/**
 * Runs a program as a pasted script runs in a terminal, for the runner's steps: no shell, stdin
 * from /dev/null, no output bound, and done when the program has exited and every process that
 * holds its output has let go. At `timeoutMs` its whole process tree is killed (SIGKILL): the
 * program and every process it started that is still its descendant.
 */
export function runCommandTree(command: string, args: readonly string[], options: Omit<RunOptions, 'input' | 'maxBuffer'> = {}): Promise<CompletedTree> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {env: options.env as NodeJS.ProcessEnv | undefined, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe']});
    if (child.pid !== undefined) {
      const pid = child.pid;
      runningTrees.add(pid);
      child.once('exit', () => runningTrees.delete(pid));
    }
    const chunks = {stdout: [] as Buffer[], stderr: [] as Buffer[], all: [] as Buffer[]};
    for (const name of ['stdout', 'stderr'] as const) {
      child[name].on('data', (chunk: Buffer) => {
        chunks[name].push(chunk);
        chunks.all.push(chunk);
      });
    }
    let timedOut = false;
    const timer = options.timeoutMs === undefined ? null : setTimeout(() => {
      timedOut = true;
      signalTree(child.pid, 'SIGKILL');
      // A descendant that left the tree (its parent exited first) may still hold the pipes.
      child.stdout.destroy();
      child.stderr.destroy();
    }, options.timeoutMs);
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (timer) clearTimeout(timer);
      reject(error.code === 'ENOENT' ? new CommandNotFoundError(command) : new Error(`cannot run ${command}: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      const text = (list: Buffer[]) => Buffer.concat(list).toString('utf8');
      resolve({code, signal, stdout: text(chunks.stdout), stderr: text(chunks.stderr), all: text(chunks.all), timedOut});
    });
  });
}

/** The programs runCommandTree runs now (until they exit), by pid. */
const runningTrees = new Set<number>();

/**
 * Sends `signal` to every process of each tree runCommandTree runs now: how a runner that a TERM or
 * HUP stops stops its step with it (they share the runner's process group, which such a signal, sent
 * to one process, does not reach). Best effort, like the time limit's kill.
 */
export function signalRunningTrees(signal: NodeJS.Signals): number[] {
  return [...runningTrees].flatMap((pid) => signalTree(pid, signal));
}

/**
 * Waits until each of `pids` has ended (a zombie counts: its parent may be the caller, which is not
 * reaping while it waits here), at most `graceMs`, then sends SIGKILL to the rest: a step that
 * ignores TERM (`trap '' TERM`) does not outlive a run stopped by one. Blocks: it is for a process
 * that is ending.
 */
export function killSurvivors(pids: number[], graceMs: number): void {
  const deadline = Date.now() + graceMs;
  for (let left = pids.filter(isRunning); left.length > 0; left = left.filter(isRunning)) {
    if (Date.now() >= deadline) {
      for (const pid of left) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone meanwhile
        }
      }
      return;
    }
    sleepSync(20);
  }
}

/** Alive and not a zombie (where /proc tells; elsewhere, whether it exists). */
function isRunning(pid: number): boolean {
  if (!existsSync('/proc/self/stat')) return processExists(pid);
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false; // gone
  }
}

/**
 * Sends `signal` to `pid` and its descendants (those alive when it looks; best effort). Parents
 * first, so that a shell is gone before the command it waits for ends and it could start the next.
 */
function signalTree(pid: number | undefined, signal: NodeJS.Signals): number[] {
  if (pid === undefined) return [];
  const children = new Map<number, number[]>();
  for (const [child, parent] of processParents()) children.set(parent, [...(children.get(parent) ?? []), child]);
  const tree: number[] = [];
  for (let queue = [pid]; queue.length > 0;) {
    const next = queue.shift()!;
    tree.push(next);
    queue = [...queue, ...(children.get(next) ?? [])];
  }
  for (const member of tree) {
    try {
      process.kill(member, signal);
    } catch {
      // already gone
    }
  }
  return tree;
}

/** [pid, parent pid] of every process: from /proc on Linux, else from `ps`. */
function processParents(): Array<[number, number]> {
  try {
    return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).flatMap((entry): Array<[number, number]> => {
      try {
        // `pid (comm) state ppid …`: comm may contain spaces and parentheses, so read after the last ')'.
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        return [[Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])]];
      } catch {
        return [];
      }
    });
  } catch {
    const listing = execFileSync('ps', ['-A', '-o', 'pid=', '-o', 'ppid='], {encoding: 'utf8'});
    return listing.trim().split('\n').map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  }
}

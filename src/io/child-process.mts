// The one way this project runs another program: an argument array (no shell), an optional time
// limit enforced with SIGKILL (a process that ignores SIGTERM still ends), stdin closed or fed
// `input`, output collected up to a bound. A program that is not installed is a clear error.
// runCommandTree is the runner's variant for steps: interleaved output, the whole tree killed, and
// stopRunningTrees hands a signal the runner got on to the trees it is running.
import {execFile, execFileSync, spawn, type ChildProcess, type ExecFileException} from 'node:child_process';
import {accessSync, constants, existsSync, readFileSync, readdirSync} from 'node:fs';
import * as path from 'node:path';
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
    if (child.pid !== undefined) {
      runningCommands.add(child);
      child.once('exit', () => runningCommands.delete(child));
    }
  });
}

/** The programs runCommand runs now (until they exit). */
const runningCommands = new Set<ChildProcess>();

/**
 * Sends `signal` to every program runCommand runs now: a process a signal stops stops them too
 * (a curl of the probe would otherwise run to its own time limit; one started just after a terminal
 * sent Ctrl-C to the process group did not get it).
 */
export function signalRunningCommands(signal: NodeJS.Signals): void {
  for (const child of runningCommands) child.kill(signal);
}

/**
 * The file `command` runs under `env`: a name as PATH finds it (the first executable match), a path
 * as it is (resolved); undefined when there is none. Not a symlink's target: a venv's python3 links
 * to the system's but has its own packages.
 */
export function commandPath(command: string, env: Env): string | undefined {
  const executable = (file: string) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (command.includes('/')) return executable(command) ? path.resolve(command) : undefined;
  return (env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, command)).find(executable);
}

export interface CompletedTree extends Completed {
  /** stdout and stderr interleaved as they arrived. */
  all: string;
}

/**
 * Runs a program as a pasted script runs in a terminal, for the runner's steps: no shell, stdin
 * from /dev/null, no output bound, and done when the program has exited and every process that
 * holds its output has let go. At `timeoutMs` its whole process tree is killed (SIGKILL): the
 * program and every process it started (its descendants, and those marked as its tree's).
 */
export function runCommandTree(command: string, args: readonly string[], options: Omit<RunOptions, 'input' | 'maxBuffer'> = {}): Promise<CompletedTree> {
  return new Promise((resolve, reject) => {
    const mark = `${process.pid}-${++treesStarted}`;
    const env = {...(options.env ?? process.env), [TREE_MARK_VARIABLE]: mark};
    const child = spawn(command, args, {env: env as NodeJS.ProcessEnv, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe']});
    if (child.pid !== undefined) {
      const pid = child.pid;
      runningTrees.set(pid, mark);
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
      for (const pid of markedProcesses(new Set([mark]))) signalPid(pid, 'SIGKILL');
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

/**
 * Every process of a tree runCommandTree starts inherits this variable, with a value of its own per
 * tree. A process started just after the tree was read (bash starting its next command, a helper its
 * curl) is missed by the walk, and once its parent has ended it is no longer in the tree at all; the
 * mark still finds it. (Jenkins's ProcessTreeKiller finds a build's processes the same way.)
 */
export const TREE_MARK_VARIABLE = 'RUNBOOK_STEP_TREE';
let treesStarted = 0;

/** The programs runCommandTree runs now (until they exit): pid → their tree's mark. */
const runningTrees = new Map<number, string>();

/**
 * Stops every tree runCommandTree runs now with `signal`: how a runner that a TERM or HUP stops
 * stops its step with it (they share the runner's process group, which such a signal, sent to one
 * process, does not reach). Each tree gets it parents first; then, for at most `graceMs`, every
 * process of this session that carries a tree's mark and is not gone gets it too (once each), and
 * what still runs at the end gets SIGKILL: a step that ignores TERM (`trap '' TERM`) does not outlive
 * a run stopped by one. A process that left the session (a daemon, `setsid`) is not the step's to
 * stop. Blocks: it is for a process that is ending. Best effort, like the time limit's kill.
 */
export function stopRunningTrees(signal: NodeJS.Signals, graceMs: number): void {
  const marks = new Set(runningTrees.values());
  const signalled = new Set([...runningTrees.keys()].flatMap((pid) => signalTree(pid, signal)));
  const deadline = Date.now() + graceMs;
  for (;;) {
    // The signalled ones first: a process one of them started before it ended is in /proc by then,
    // so the look for marked ones that follows finds it.
    const stillRunning = [...signalled].filter(isRunning);
    const left = [...new Set([...stillRunning, ...markedProcesses(marks)])];
    const now = Date.now();
    if (left.length === 0 || now >= deadline + KILL_ROUNDS_MS) return;
    // Past the grace, SIGKILL again each round: a process that started another between a round's
    // look and its kill leaves that one to the next round.
    const kill = now >= deadline;
    for (const pid of left) {
      if (!kill && signalled.has(pid)) continue;
      signalled.add(pid);
      signalPid(pid, kill ? 'SIGKILL' : signal);
    }
    sleepSync(20);
  }
}

/** How long after the grace stopRunningTrees goes on killing (a process stuck in the kernel ignores even SIGKILL). */
const KILL_ROUNDS_MS = 1_000;

/** The running processes of this session (not this one) whose environment holds one of `marks` ([] where /proc is not). */
function markedProcesses(marks: ReadonlySet<string>): number[] {
  if (marks.size === 0 || !existsSync('/proc/self/stat')) return [];
  const session = statFields('self')[SESSION];
  const wanted = new Set([...marks].map((mark) => `${TREE_MARK_VARIABLE}=${mark}`));
  return processIds().filter((pid) => pid !== process.pid).filter((pid) => {
    try {
      const fields = statFields(pid);
      if (fields[SESSION] !== session || !running(fields)) return false;
      return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').some((line) => wanted.has(line));
    } catch {
      return false; // gone meanwhile, or another user's
    }
  });
}

/** Alive and not a zombie (where /proc tells; elsewhere, whether it exists). */
function isRunning(pid: number): boolean {
  if (!existsSync('/proc/self/stat')) return processExists(pid);
  try {
    return running(statFields(pid));
  } catch {
    return false; // gone
  }
}

// /proc/PID/stat is `pid (comm) state ppid pgrp session …`; comm may hold spaces and parentheses,
// so the fields are read after the last ')'. Their indexes there:
const STATE = 0;
const PARENT = 1;
const SESSION = 3;

/** The fields of /proc/PID/stat after the command name (throws when the process is gone). */
function statFields(pid: number | 'self'): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** Neither a zombie nor dead. */
const running = (fields: string[]) => !/^[ZX]/.test(fields[STATE]!);

/** Every process id in /proc (throws where there is no /proc). */
function processIds(): number[] {
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).map(Number);
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
  for (const member of tree) signalPid(member, signal);
  return tree;
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** [pid, parent pid] of every process: from /proc on Linux, else from `ps`. */
function processParents(): Array<[number, number]> {
  try {
    return processIds().flatMap((pid): Array<[number, number]> => {
      try {
        return [[pid, Number(statFields(pid)[PARENT])]];
      } catch {
        return [];
      }
    });
  } catch {
    const listing = execFileSync('ps', ['-A', '-o', 'pid=', '-o', 'ppid='], {encoding: 'utf8'});
    return listing.trim().split('\n').map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  }
}

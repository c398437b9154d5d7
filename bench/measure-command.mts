// Runs a command and measures its wall time, its CPU time (user + system, all descendants included,
// from GNU time) and the peak resident memory of its whole process tree (the command plus every
// descendant, summed), sampled from /proc. Builds may fork workers, so the peak of the root process
// alone would under-report. CPU time is the figure to compare when other work shares the machine.
import {spawn} from 'node:child_process';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

export interface CommandMeasurement {
  seconds: number;
  cpuSeconds: number;
  peakRssMiB: number;
}

const GNU_TIME = '/usr/bin/time';

// Synchronous /proc reads every 200 ms cost the sampler ~1% of a core; async reads of a few hundred
// files per sample cost ~25%, which skewed the timing on a 2-core machine.
const SAMPLE_EVERY_MS = 200;

function readProc(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return ''; // the process exited between listing and reading
  }
}

/** pid → parent pid for every live process (entries that vanish mid-scan are skipped). */
function parentPids(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProc(`/proc/${entry}/stat`);
    // Fields after the parenthesised command name: state, ppid, ...
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid) parents.set(Number(entry), ppid);
  }
  return parents;
}

function rssKiB(pid: number): number {
  const status = readProc(`/proc/${pid}/status`);
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
}

function treeRssKiB(root: number): number {
  const parents = parentPids();
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (tree.has(ppid) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  return [...tree].reduce((sum, pid) => sum + rssKiB(pid), 0);
}

/**
 * Runs `command args` in `cwd` with extra `env`; rejects with the tail of its output if it exits
 * non-zero, so a broken build never yields a timing.
 */
export async function measureCommand(
  command: string,
  args: string[],
  options: {cwd: string; env?: Record<string, string>},
): Promise<CommandMeasurement> {
  if (!existsSync(GNU_TIME)) throw new Error(`measureCommand needs GNU time at ${GNU_TIME} (Debian package "time")`);
  const scratch = await mkdtemp(join(tmpdir(), 'measure-command-'));
  try {
    return await measure(command, args, options, join(scratch, 'cpu'));
  } finally {
    await rm(scratch, {recursive: true, force: true});
  }
}

async function measure(
  command: string,
  args: string[],
  options: {cwd: string; env?: Record<string, string>},
  cpuFile: string,
): Promise<CommandMeasurement> {
  const started = performance.now();
  const child = spawn(GNU_TIME, ['--format', '%U %S', '--output', cpuFile, command, ...args], {
    cwd: options.cwd,
    env: {...process.env, ...options.env},
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keepTail = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout.on('data', keepTail);
  child.stderr.on('data', keepTail);

  let peakKiB = 0;
  const sampler = setInterval(() => {
    if (child.pid) peakKiB = Math.max(peakKiB, treeRssKiB(child.pid));
  }, SAMPLE_EVERY_MS);

  const exitCode = await new Promise<number | null>((done, fail) => {
    child.once('error', fail);
    child.once('close', done);
  }).finally(() => clearInterval(sampler));
  const seconds = (performance.now() - started) / 1000;
  if (exitCode !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${exitCode}:\n${output}`);
  }
  const [user, system] = (await readFile(cpuFile, 'utf8')).trim().split(' ').map(Number);
  return {seconds, cpuSeconds: user! + system!, peakRssMiB: peakKiB / 1024};
}

// Runs a command and measures its wall time and the peak resident memory of its whole process tree
// (the command plus every descendant, summed), sampled from /proc. Builds may fork workers, so the
// peak of the root process alone would under-report.
import {spawn} from 'node:child_process';
import {readdir, readFile} from 'node:fs/promises';

export interface CommandMeasurement {
  seconds: number;
  peakRssMiB: number;
}

const SAMPLE_EVERY_MS = 100;

/** pid → parent pid for every live process (entries that vanish mid-scan are skipped). */
async function parentPids(): Promise<Map<number, number>> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // Fields after the parenthesised command name: state, ppid, ...
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid) parents.set(Number(entry), ppid);
  }
  return parents;
}

async function rssKiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
}

async function treeRssKiB(root: number): Promise<number> {
  const parents = await parentPids();
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
  const sizes = await Promise.all([...tree].map(rssKiB));
  return sizes.reduce((sum, size) => sum + size, 0);
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
  const started = performance.now();
  const child = spawn(command, args, {
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
  let sampling = Promise.resolve();
  const sampler = setInterval(() => {
    sampling = sampling.then(async () => {
      if (child.pid) peakKiB = Math.max(peakKiB, await treeRssKiB(child.pid));
    });
  }, SAMPLE_EVERY_MS);

  const exitCode = await new Promise<number | null>((done, fail) => {
    child.once('error', fail);
    child.once('close', done);
  }).finally(() => clearInterval(sampler));
  const seconds = (performance.now() - started) / 1000;
  await sampling;
  if (exitCode !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${exitCode}:\n${output}`);
  }
  return {seconds, peakRssMiB: peakKiB / 1024};
}

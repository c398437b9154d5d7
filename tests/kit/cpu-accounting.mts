// Where the suite's CPU goes, per test file: loaded as a vitest setup file only when TEST_CPU_LOG
// names a file (bench/test-suite.bench.mts sets it). On this 2-core machine the suite's wall time is
// bounded by its CPU time, not by waiting, so this is the figure to cut. Each file's worker appends
// one tab-separated line: the file, CPU seconds of the worker itself, CPU seconds of the processes it
// started and waited for (builds, browsers, clients: /proc's cutime + cstime), and wall seconds.
import {appendFileSync, readFileSync} from 'node:fs';
import {afterAll} from 'vitest';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function cpuTicks(): {self: number; children: number} {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  // Fields after the command name (which may hold spaces): utime is the 14th field of the line.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  return {self: fields[11]! + fields[12]!, children: fields[13]! + fields[14]!};
}

const log = process.env.TEST_CPU_LOG;
const start = cpuTicks();
const startedAt = performance.now();

// Registered before the test file's own hooks, so (hooks run as a stack) it runs after them: the
// browsers and servers they close are counted.
// vitest 4 passes fixtures first (which must be destructured), the file's suite second.
afterAll(({}, file) => {
  if (!log) return;
  const end = cpuTicks();
  const seconds = (ticks: number) => (ticks / TICKS_PER_SECOND).toFixed(2);
  const path = (file as {filepath?: string}).filepath ?? 'unknown file';
  const wall = ((performance.now() - startedAt) / 1000).toFixed(2);
  appendFileSync(log, `${path}\t${seconds(end.self - start.self)}\t${seconds(end.children - start.children)}\t${wall}\n`);
});

// Extraction of every page (both locales) plus the drift check (regenerating runbooks/ in memory,
// bundle included, and comparing it and the translations): in process, and as `npm run
// runbooks:check` is run in CI (a fresh tsx process).
import {join} from 'node:path';
import {driftProblems} from '../src/extraction/check.mts';
import {extractDocs} from '../src/extraction/docs.mts';
import {measureCommand} from './measure-command.mts';
import type {BenchResult} from './run.mts';

const ROOT = join(import.meta.dirname, '..');
const RUNS = 7;
const GOAL_MS = 1000;

const median = (values: number[]) => Math.round([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]);

/** Median wall time and median CPU time (the latter barely moves when other work loads the machine). */
async function measure(work: () => Promise<unknown> | unknown): Promise<{wall: number; cpu: number}> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    await work();
    const used = process.cpuUsage(cpuStart);
    wall.push(performance.now() - started);
    cpu.push((used.user + used.system) / 1000);
  }
  return {wall: median(wall), cpu: median(cpu)};
}

export default async function bench(): Promise<BenchResult[]> {
  const docs = extractDocs(ROOT);
  const extraction = await measure(() => extractDocs(ROOT));
  const total = await measure(async () => driftProblems(ROOT, extractDocs(ROOT)));
  // Timed whatever its verdict: a stale runbooks/ (another change in progress) costs the same.
  const check = `"${process.execPath}" node_modules/tsx/dist/cli.mjs src/extraction/cli.mts check >/dev/null 2>&1; true`;
  const cli = await measureCommand('bash', ['-c', check], {cwd: ROOT});
  return [
    {name: `extract ${docs.pages.length} pages: wall (median of ${RUNS})`, value: extraction.wall, unit: 'ms'},
    {name: `extract ${docs.pages.length} pages: CPU (median of ${RUNS})`, value: extraction.cpu, unit: 'ms'},
    {name: `extraction + drift check, ${docs.runbooks.length} runbooks: wall (median of ${RUNS})`, value: total.wall, unit: 'ms', goal: `< ${GOAL_MS} ms`, ok: total.wall < GOAL_MS},
    {name: `extraction + drift check, ${docs.runbooks.length} runbooks: CPU (median of ${RUNS})`, value: total.cpu, unit: 'ms'},
    {name: 'npm run runbooks:check, fresh process: wall time', value: Math.round(cli.seconds * 1000), unit: 'ms'},
    {name: 'npm run runbooks:check, fresh process: peak RSS', value: Math.round(cli.peakRssMiB), unit: 'MiB'},
  ];
}

// `npm test`'s wall time and where it goes: one `vitest run --reporter=json` of the full suite (global
// setup included), then each file's duration from the JSON summed per top-level tests/ folder.
// Per-area sums are time inside the workers; files run in parallel, so they add up to more than the
// wall time. BENCH_TEST_FILES="tests/structure tests/proxy/pasted.test.mts" limits the run to those
// files or folders (to try the bench without paying the whole suite).
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {loadavg, tmpdir} from 'node:os';
import {join, relative, sep} from 'node:path';
import {measureCommand, type CommandMeasurement} from './measure-command.mts';
import type {BenchResult} from './run.mts';

const REPO = join(import.meta.dirname, '..');
const VITEST = join(REPO, 'node_modules', 'vitest', 'vitest.mjs');
const WALL_GOAL_SECONDS = 180;

interface VitestJson {
  numTotalTests: number;
  numFailedTests: number;
  testResults: {name: string; startTime: number; endTime: number}[];
}

const round = (value: number) => Math.round(value * 10) / 10;

/** Seconds per top-level folder under tests/, largest first. */
function perArea(report: VitestJson): [area: string, seconds: number][] {
  const sums = new Map<string, number>();
  for (const file of report.testResults) {
    const area = relative(join(REPO, 'tests'), file.name).split(sep)[0]!;
    sums.set(area, (sums.get(area) ?? 0) + (file.endTime - file.startTime) / 1000);
  }
  return [...sums].sort((a, b) => b[1] - a[1]);
}

async function runSuite(outputFile: string, files: string[]): Promise<CommandMeasurement> {
  try {
    return await measureCommand(process.execPath, [VITEST, 'run', '--reporter=json', `--outputFile=${outputFile}`, ...files], {cwd: REPO});
  } catch (error) {
    // A failing test exits 1 but still writes the report; the failure count below says so.
    if (!String(error).includes('exited with 1')) throw error;
    return {seconds: NaN, cpuSeconds: NaN, peakRssMiB: NaN};
  }
}

export default async function testSuiteBench(): Promise<BenchResult[]> {
  const files = (process.env.BENCH_TEST_FILES ?? '').split(/\s+/).filter(Boolean);
  const scratch = await mkdtemp(join(tmpdir(), 'bench-test-suite-'));
  const label = files.length ? `vitest run ${files.join(' ')}` : 'npm test';
  try {
    const loadBefore = round(loadavg()[0]!);
    const started = performance.now();
    const run = await runSuite(join(scratch, 'report.json'), files);
    const seconds = Number.isNaN(run.seconds) ? (performance.now() - started) / 1000 : run.seconds;
    const report = JSON.parse(await readFile(join(scratch, 'report.json'), 'utf8')) as VitestJson;
    const wall: BenchResult = {name: `${label}: wall time`, value: round(seconds), unit: 's'};
    if (!files.length) Object.assign(wall, {goal: `≤ ${WALL_GOAL_SECONDS} s`, ok: seconds <= WALL_GOAL_SECONDS});
    return [
      {name: 'machine load before the run (1-min average)', value: loadBefore, unit: 'tasks'},
      wall,
      ...(Number.isNaN(run.cpuSeconds) ? [] : [{name: `${label}: CPU time (user + system)`, value: round(run.cpuSeconds), unit: 's'}]),
      {name: `${label}: tests`, value: report.numTotalTests, unit: 'tests'},
      {name: `${label}: failed tests`, value: report.numFailedTests, unit: 'tests', goal: '0', ok: report.numFailedTests === 0},
      ...perArea(report).map(([area, areaSeconds]): BenchResult => ({
        name: `tests/${area}: summed file time`,
        value: round(areaSeconds),
        unit: 's',
      })),
    ];
  } finally {
    await rm(scratch, {recursive: true, force: true});
  }
}

// `npm test`'s wall time and where it goes: one `vitest run --reporter=json` of the full suite (global
// setup included), then per top-level tests/ folder the summed file durations from the JSON and the
// CPU time its files used (tests/kit/cpu-accounting.mts, with the processes they started). Files
// run in parallel, so the duration sums exceed the wall time; on 2 cores the CPU sum divided by 2 is
// the floor the wall time cannot go below, so the CPU split is where to cut. BENCH_TEST_FILES="tests/structure tests/proxy/pasted.test.mts" limits the run to those
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
  testResults: {
    name: string;
    startTime: number;
    endTime: number;
    status: string;
    /** Why the file failed when no single test did (an import error, a failed beforeAll). */
    message?: string;
    assertionResults: {ancestorTitles: string[]; title: string; status: string; failureMessages: string[]}[];
  }[];
}

const round = (value: number) => Math.round(value * 10) / 10;

/**
 * Every failed test as `file > describe > test: first line of its error`, and every file that
 * failed without a failed test (it did not load, or a hook failed), so a red run says what to rerun.
 */
function failedTests(report: VitestJson): string[] {
  const failed: string[] = [];
  for (const file of report.testResults) {
    const name = relative(REPO, file.name);
    const tests = file.assertionResults.filter((test) => test.status === 'failed');
    for (const test of tests) failed.push(`${[name, ...test.ancestorTitles, test.title].join(' > ')}: ${firstLine(test.failureMessages[0])}`);
    if (!tests.length && file.status === 'failed') failed.push(`${name}: ${firstLine(file.message)}`);
  }
  return failed;
}

const firstLine = (text: string | undefined) => (text ?? 'failed').trim().split('\n')[0]!;

const areaOf = (file: string) => relative(join(REPO, 'tests'), file).split(sep)[0]!;

/** Summed seconds per top-level folder under tests/, largest first. */
function sumPerArea(entries: [file: string, seconds: number][]): [area: string, seconds: number][] {
  const sums = new Map<string, number>();
  for (const [file, seconds] of entries) sums.set(areaOf(file), (sums.get(areaOf(file)) ?? 0) + seconds);
  return [...sums].sort((a, b) => b[1] - a[1]);
}

/** The CPU log's lines: file, worker CPU s, children's CPU s, wall s. */
async function cpuPerFile(log: string): Promise<[file: string, seconds: number][]> {
  const text = await readFile(log, 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map((line) => {
    const [file, self, children] = line.split('\t');
    return [file!, Number(self) + Number(children)];
  });
}

async function runSuite(outputFile: string, cpuLog: string, files: string[]): Promise<CommandMeasurement> {
  try {
    return await measureCommand(process.execPath, [VITEST, 'run', '--reporter=json', `--outputFile=${outputFile}`, ...files], {cwd: REPO, env: {TEST_CPU_LOG: cpuLog}});
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
    const run = await runSuite(join(scratch, 'report.json'), join(scratch, 'cpu.tsv'), files);
    const seconds = Number.isNaN(run.seconds) ? (performance.now() - started) / 1000 : run.seconds;
    const report = JSON.parse(await readFile(join(scratch, 'report.json'), 'utf8')) as VitestJson;
    const failed = failedTests(report);
    for (const line of failed) console.error(`test-suite: FAILED ${line}`);
    const wall: BenchResult = {name: `${label}: wall time`, value: round(seconds), unit: 's'};
    if (!files.length) Object.assign(wall, {goal: `≤ ${WALL_GOAL_SECONDS} s`, ok: seconds <= WALL_GOAL_SECONDS});
    return [
      {name: 'machine load before the run (1-min average)', value: loadBefore, unit: 'tasks'},
      wall,
      ...(Number.isNaN(run.cpuSeconds) ? [] : [{name: `${label}: CPU time (user + system)`, value: round(run.cpuSeconds), unit: 's'}]),
      {name: `${label}: tests`, value: report.numTotalTests, unit: 'tests'},
      {name: `${label}: failed tests`, value: report.numFailedTests, unit: 'tests', goal: '0', ok: report.numFailedTests === 0 && !failed.length},
      ...failed.map((line): BenchResult => ({name: `failed: ${line}`, value: 1, unit: 'test', ok: false})),
      ...sumPerArea(report.testResults.map((file) => [file.name, (file.endTime - file.startTime) / 1000])).map(
        ([area, areaSeconds]): BenchResult => ({name: `tests/${area}: summed file time`, value: round(areaSeconds), unit: 's'}),
      ),
      ...sumPerArea(await cpuPerFile(join(scratch, 'cpu.tsv'))).map(
        ([area, cpuSeconds]): BenchResult => ({name: `tests/${area}: CPU time`, value: round(cpuSeconds), unit: 's'}),
      ),
    ];
  } finally {
    await rm(scratch, {recursive: true, force: true});
  }
}

// `npm run bench [-- <filter>...]`: runs every bench/*.bench.mts (or those whose name contains one of
// the filters) one after another, prints a table, and writes bench/results.json and bench/results.md.
// Exit codes: 0 all goals met, 1 a goal missed, 2 a benchmark crashed, no benchmark matched, or an
// option was given (there are none).
import {execFileSync} from 'node:child_process';
import {readdir, writeFile} from 'node:fs/promises';
import {cpus, totalmem} from 'node:os';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {readCommandLine, runCli} from '../src/io/command-line.mts';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  goal?: string;
  ok?: boolean;
}

interface SuiteOutcome {
  suite: string;
  seconds: number;
  results: BenchResult[];
  error?: string;
}

const BENCH_DIR = import.meta.dirname;
const SUFFIX = '.bench.mts';

async function selectSuites(filters: string[]): Promise<string[]> {
  const suites = (await readdir(BENCH_DIR))
    .filter((file) => file.endsWith(SUFFIX))
    .map((file) => file.slice(0, -SUFFIX.length))
    .sort();
  return filters.length ? suites.filter((suite) => filters.some((filter) => suite.includes(filter))) : suites;
}

async function runSuite(suite: string): Promise<SuiteOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) / 100) / 10;
  try {
    const module = (await import(pathToFileURL(join(BENCH_DIR, suite + SUFFIX)).href)) as {
      default: () => Promise<BenchResult[]>;
    };
    return {suite, results: await module.default(), seconds: elapsed()};
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {suite, results: [], seconds: elapsed(), error: message};
  }
}

const verdict = (result: BenchResult) => (result.ok === undefined ? '' : result.ok ? 'ok' : 'MISSED');

function rows(outcomes: SuiteOutcome[]): string[][] {
  return outcomes.flatMap(({suite, results, error}) =>
    error
      ? [[suite, 'CRASHED: ' + error.split('\n')[0], '', '', '', 'CRASHED']]
      : results.map((r) => [suite, r.name, String(r.value), r.unit, r.goal ?? '', verdict(r)]),
  );
}

const HEADER = ['suite', 'benchmark', 'value', 'unit', 'goal', 'verdict'];

function textTable(table: string[][]): string {
  const all = [HEADER, ...table];
  const widths = HEADER.map((_, column) => Math.max(...all.map((row) => row[column]!.length)));
  const line = (row: string[]) =>
    row.map((cell, column) => (column === 2 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ');
  return [line(HEADER), widths.map((width) => '-'.repeat(width)).join('  '), ...table.map(line)].join('\n');
}

function markdownTable(table: string[][]): string {
  const line = (row: string[]) => `| ${row.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(HEADER), line(HEADER.map(() => '---')), ...table.map(line)].join('\n');
}

function machine() {
  const commit = (() => {
    try {
      return execFileSync('git', ['rev-parse', 'HEAD'], {cwd: BENCH_DIR, encoding: 'utf8'}).trim();
    } catch {
      return 'unknown';
    }
  })();
  return {
    date: new Date().toISOString(),
    commit,
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  };
}

async function main(filters: string[]): Promise<number> {
  const suites = await selectSuites(filters);
  if (!suites.length) {
    console.error(`bench: no bench/*${SUFFIX} matches ${filters.map((f) => JSON.stringify(f)).join(', ')}`);
    return 2;
  }
  const outcomes: SuiteOutcome[] = [];
  for (const suite of suites) {
    console.log(`bench: running ${suite} …`);
    const outcome = await runSuite(suite);
    console.log(`bench: ${suite} ${outcome.error ? 'crashed' : 'done'} in ${outcome.seconds} s`);
    if (outcome.error) console.error(outcome.error);
    outcomes.push(outcome);
  }
  const about = machine();
  const table = rows(outcomes);
  console.log('\n' + textTable(table));
  await writeFile(join(BENCH_DIR, 'results.json'), JSON.stringify({...about, suites: outcomes}, null, 2) + '\n');
  const heading = `# Benchmark results\n\n${about.date}, commit ${about.commit.slice(0, 12)}, Node ${about.node}, ` +
    `${about.cpus} × ${about.cpuModel}, ${about.memoryGiB} GiB RAM\n\n`;
  await writeFile(join(BENCH_DIR, 'results.md'), heading + markdownTable(table) + '\n');
  console.log('\nbench: wrote bench/results.json and bench/results.md');
  if (outcomes.some((outcome) => outcome.error)) return 2;
  return outcomes.some((outcome) => outcome.results.some((result) => result.ok === false)) ? 1 : 0;
}

// Benchmarks import the BenchResult type from here; only running this file starts the benchmarks.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const usage = 'usage: npm run bench [-- <filter>...]';
  await runCli('bench', usage, () => main(readCommandLine(process.argv.slice(2), {}, {positionals: Infinity}).positionals));
}

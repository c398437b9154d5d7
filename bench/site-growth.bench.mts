// How the cold two-locale build grows with the number of pages: a temporary clone of this checkout's
// HEAD gets 10, 40, then 160 generated guide-like pages (docs/generated/, committed there so the
// i18n git plugin sees real history; no translation, so zh-Hans builds the English fallback) and is
// built cold each time. Reported: each build's wall and CPU time, the slope in seconds per 100 pages
// between neighbouring counts, and the least-squares slope over all of them. BENCH_GROWTH_PAGES="10,40"
// picks other counts (to try the bench cheaply).
// The clone shares this checkout's node_modules (a symlink), so, like site-build, it deletes
// node_modules/.cache/ before each build: don't run it beside another build.
import {execFileSync} from 'node:child_process';
import {mkdir, mkdtemp, rm, symlink, writeFile} from 'node:fs/promises';
import {loadavg, tmpdir} from 'node:os';
import {join} from 'node:path';
import {measureCommand, type CommandMeasurement} from './measure-command.mts';
import type {BenchResult} from './run.mts';

const REPO = join(import.meta.dirname, '..');
const DOCUSAURUS = join(REPO, 'node_modules', '@docusaurus', 'core', 'bin', 'docusaurus.mjs');
const DEFAULT_COUNTS = [10, 40, 160];

/** One guide-like page: headings, prose, a list, a table and a manual code block. */
function generatedPage(index: number): string {
  return [
    '---',
    `title: Generated page ${index}`,
    '---',
    '',
    `# Generated page ${index}`,
    '',
    `This page exists to measure build time; it reads like a short guide. Step ${index} checks a proxy.`,
    '',
    '## Symptom',
    '',
    '- the client times out',
    '- the proxy answers 407',
    '',
    '| variable | value |',
    '|---|---|',
    `| \`HTTPS_PROXY\` | \`http://proxy-${index}.example:3128\` |`,
    '',
    '## Fix',
    '',
    '```bash kind=manual reason="a generated benchmark page"',
    `export NO_PROXY="localhost,127.0.0.1,service-${index}.internal"`,
    '```',
    '',
  ].join('\n');
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', ...args], {cwd, stdio: 'pipe'});

async function withPages(site: string, count: number): Promise<void> {
  const dir = join(site, 'docs', 'generated');
  await rm(dir, {recursive: true, force: true});
  await mkdir(dir, {recursive: true});
  for (let index = 1; index <= count; index++) {
    await writeFile(join(dir, `page-${String(index).padStart(3, '0')}.md`), generatedPage(index));
  }
  git(site, 'add', '-A');
  git(site, 'commit', '-q', '--allow-empty', '-m', `${count} generated pages`);
}

async function coldBuild(site: string, outDir: string): Promise<CommandMeasurement> {
  for (const dir of [join(site, '.docusaurus'), join(REPO, 'node_modules', '.cache'), outDir]) {
    await rm(dir, {recursive: true, force: true, maxRetries: 5});
  }
  return measureCommand(process.execPath, [DOCUSAURUS, 'build', '--out-dir', outDir], {cwd: site});
}

/** Least-squares slope of y over x. */
function slope(points: [x: number, y: number][]): number {
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const mx = mean(points.map(([x]) => x));
  const my = mean(points.map(([, y]) => y));
  const covariance = points.reduce((sum, [x, y]) => sum + (x - mx) * (y - my), 0);
  const variance = points.reduce((sum, [x]) => sum + (x - mx) ** 2, 0);
  return covariance / variance;
}

const round = (value: number) => Math.round(value * 10) / 10;

export default async function siteGrowthBench(): Promise<BenchResult[]> {
  const counts = process.env.BENCH_GROWTH_PAGES?.split(',').map(Number) ?? DEFAULT_COUNTS;
  if (counts.length < 2 || counts.some((count) => !Number.isInteger(count) || count < 1)) {
    throw new Error(`BENCH_GROWTH_PAGES must list at least two positive page counts, got ${JSON.stringify(process.env.BENCH_GROWTH_PAGES)}`);
  }
  const scratch = await mkdtemp(join(tmpdir(), 'bench-site-growth-'));
  const site = join(scratch, 'site');
  const results: BenchResult[] = [{name: 'machine load before the builds (1-min average)', value: round(loadavg()[0]!), unit: 'tasks'}];
  try {
    git(scratch, 'clone', '--quiet', '--local', REPO, site);
    await symlink(join(REPO, 'node_modules'), join(site, 'node_modules'));
    const wall: [number, number][] = [];
    const cpu: [number, number][] = [];
    for (const count of counts) {
      await withPages(site, count);
      const run = await coldBuild(site, join(scratch, 'build'));
      wall.push([count, run.seconds]);
      cpu.push([count, run.cpuSeconds]);
      results.push(
        {name: `cold build, en+zh-Hans, +${count} pages: wall time`, value: round(run.seconds), unit: 's'},
        {name: `cold build, en+zh-Hans, +${count} pages: CPU time`, value: round(run.cpuSeconds), unit: 's'},
      );
    }
    // Between each pair of neighbouring counts, then over all of them: a slope that rises from one
    // segment to the next means the build grows faster than linearly with the pages.
    for (let index = 1; index < counts.length; index++) {
      const segment = `${counts[index - 1]} → ${counts[index]} pages`;
      results.push(
        {name: `growth, ${segment}: wall time per 100 pages`, value: round(slope(wall.slice(index - 1, index + 1)) * 100), unit: 's'},
        {name: `growth, ${segment}: CPU time per 100 pages`, value: round(slope(cpu.slice(index - 1, index + 1)) * 100), unit: 's'},
      );
    }
    results.push(
      {name: 'growth: wall time per 100 pages (least-squares slope)', value: round(slope(wall) * 100), unit: 's'},
      {name: 'growth: CPU time per 100 pages (least-squares slope)', value: round(slope(cpu) * 100), unit: 's'},
    );
    return results;
  } finally {
    await rm(scratch, {recursive: true, force: true});
  }
}

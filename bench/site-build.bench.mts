// Production build of both locales (en + zh-Hans): cold and warm with Rspack (the site's config), then
// cold with Docusaurus's default webpack pipeline for the side-by-side ratio.
// It deletes .docusaurus/ and node_modules/.cache/ of this checkout: don't run it while another build
// or `docusaurus start` is using them.
import {mkdtemp, rm} from 'node:fs/promises';
import {loadavg, tmpdir} from 'node:os';
import {join} from 'node:path';
import {measureCommand, type CommandMeasurement} from './measure-command.mts';
import type {BenchResult} from './run.mts';

const SITE_DIR = join(import.meta.dirname, '..');
const DOCUSAURUS = join(SITE_DIR, 'node_modules', '@docusaurus', 'core', 'bin', 'docusaurus.mjs');
const COLD_GOAL_SECONDS = 30;
const SPEEDUP_GOAL = 5;

async function clearBuildCaches(outDir: string): Promise<void> {
  for (const dir of [join(SITE_DIR, '.docusaurus'), join(SITE_DIR, 'node_modules', '.cache'), outDir]) {
    // Retries ride out a build that is still flushing its cache as it exits.
    await rm(dir, {recursive: true, force: true, maxRetries: 5});
  }
}

function build(outDir: string, bundler: 'rspack' | 'webpack'): Promise<CommandMeasurement> {
  return measureCommand(process.execPath, [DOCUSAURUS, 'build', '--out-dir', outDir], {
    cwd: SITE_DIR,
    // Read by docusaurus.config.ts: `webpack` switches every future.faster flag off.
    env: {DOCUSAURUS_BUNDLER: bundler},
  });
}

function report(label: string, run: CommandMeasurement, goalSeconds?: number): BenchResult[] {
  const time: BenchResult = {name: `${label}: wall time`, value: round(run.seconds), unit: 's'};
  if (goalSeconds !== undefined) {
    time.goal = `< ${goalSeconds} s`;
    time.ok = run.seconds < goalSeconds;
  }
  return [
    time,
    {name: `${label}: CPU time (user + system)`, value: round(run.cpuSeconds), unit: 's'},
    {name: `${label}: peak RSS (process tree)`, value: Math.round(run.peakRssMiB), unit: 'MiB'},
  ];
}

const round = (value: number) => Math.round(value * 10) / 10;

export default async function siteBuildBench(): Promise<BenchResult[]> {
  const outDir = await mkdtemp(join(tmpdir(), 'bench-site-build-'));
  // Wall times only mean something on an otherwise idle machine; this shows whether it was.
  const loadBefore: BenchResult = {
    name: 'machine load before the builds (1-min average)',
    value: round(loadavg()[0]!),
    unit: 'tasks',
  };
  try {
    await clearBuildCaches(outDir);
    const coldRspack = await build(outDir, 'rspack');
    const warmRspack = await build(outDir, 'rspack');
    await clearBuildCaches(outDir);
    const coldWebpack = await build(outDir, 'webpack');
    const speedup = coldWebpack.seconds / coldRspack.seconds;
    return [
      loadBefore,
      ...report('cold build, Rspack, en+zh-Hans', coldRspack, COLD_GOAL_SECONDS),
      ...report('warm build, Rspack, en+zh-Hans', warmRspack),
      ...report('cold build, webpack, en+zh-Hans', coldWebpack),
      {
        name: 'cold build speed-up, webpack time / Rspack time',
        value: round(speedup),
        unit: '×',
        goal: `≥ ${SPEEDUP_GOAL}×`,
        ok: speedup >= SPEEDUP_GOAL,
      },
      {
        name: 'cold build CPU-time ratio, webpack / Rspack',
        value: round(coldWebpack.cpuSeconds / coldRspack.cpuSeconds),
        unit: '×',
      },
    ];
  } finally {
    // Only this suite makes a webpack build; its cache is ~700 MiB that nothing else reads.
    await rm(join(SITE_DIR, 'node_modules', '.cache', 'webpack'), {recursive: true, force: true, maxRetries: 5});
    await rm(outDir, {recursive: true, force: true});
  }
}

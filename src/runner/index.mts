// The runner's entry point. `npm run runbooks` bundles it into every runbooks/<name>.mjs, below
// the readable part, and the file ends with `await startRunbook(<plan>, <origin>, import.meta.url)`.
// The same file is also runbook-netcheck (helper mode, see netcheck-shim.mts), which needs no zx.
import * as path from 'node:path';
import {fileURLToPath} from 'node:url';
import {RefusedError, UsageError} from '../io/command-line.mts';
import {runNetcheck} from '../netcheck/cli.mts';
import type {RunbookOrigin, RunbookPlan} from '../plan/plan.mts';
import {redactOutput} from './report.mts';
import {EXIT, scriptArgs} from './flags.mts';
import {main, type Zx} from './main.mts';
import {NETCHECK_MODE} from './netcheck-shim.mts';
import {useRunTempDir} from './run-temp.mts';

/**
 * zx's `$` and `spinner`: its globals when zx runs the file (`zx https://…/x.mjs` has nothing to
 * import from), the package when node does, and then only once steps are to run (main.mts), and
 * only `zx/core` (`$`) at first: the whole package costs node about twice as much again, and its
 * spinner is only ever shown on a terminal.
 */
async function loadZx(): Promise<Zx> {
  const globals = globalThis as Partial<Zx>;
  if (globals.$ && globals.spinner) return globals as Zx;
  try {
    const {$} = await import('zx/core');
    return {$, spinner: async (title, work) => (await import('zx')).spinner(title, work)};
  } catch {
    throw new UsageError('needs zx: run it with `npx zx FILE`, or install zx beside it (npm install zx)');
  }
}

export async function startRunbook(plan: RunbookPlan, origin: RunbookOrigin, scriptUrl: string): Promise<void> {
  const scriptPath = fileURLToPath(scriptUrl);
  const args = scriptArgs(scriptPath);
  const removeTemp = useRunTempDir();
  try {
    await run(plan, origin, scriptPath, args);
  } finally {
    removeTemp();
  }
}

async function run(plan: RunbookPlan, origin: RunbookOrigin, scriptPath: string, args: string[]): Promise<void> {
  if (args[0] === NETCHECK_MODE) {
    process.exitCode = await runNetcheck(args.slice(1));
    return;
  }
  // `… | head` closing the pipe ends the run quietly, as it does for any command-line tool.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(process.exitCode ?? EXIT.ok);
    });
  }
  try {
    process.exitCode = await main(loadZx, plan, origin, scriptPath, args);
  } catch (error) {
    const usage = error instanceof UsageError || error instanceof RefusedError;
    process.stderr.write(redactOutput(`${path.basename(scriptPath)}: ${(error as Error).message}${usage ? '' : ' (unexpected error)'}\n`));
    process.exitCode = usage ? EXIT.usage : EXIT.problem;
  }
}

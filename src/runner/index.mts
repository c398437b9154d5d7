// The runner's entry point, bundled by `npm run runbooks` into runbooks/lib/runtime.mjs. Each
// runbooks/<name>.mjs imports it and ends with `await startRunbook(<plan>, <origin>, import.meta.url)`;
// the file the site serves has the runtime inlined instead. Node alone runs it: steps run with
// node:child_process, so neither zx nor any other package is needed. The same file is also
// runbook-netcheck (helper mode, see netcheck-shim.mts), and runbooks/lib/bin/runbook-netcheck
// calls `runNetcheck` from the runtime.
import * as path from 'node:path';
import {fileURLToPath} from 'node:url';
import {RefusedError, UsageError, usageText} from '../io/index.mts';
import {runNetcheck} from '../netcheck/index.mts';
import type {RunbookOrigin, RunbookPlan} from '../plan/index.mts';
import {redactOutput} from './report.mts';
import {EXIT, scriptArgs, usageLine} from './flags.mts';
import {main} from './main.mts';
import {NETCHECK_MODE} from './netcheck-shim.mts';
import {useRunTempDir} from './run-temp.mts';
import {cleanUpOnInterrupt} from './interrupt.mts';

export {runNetcheck};

export async function startRunbook(plan: RunbookPlan, origin: RunbookOrigin, scriptUrl: string): Promise<void> {
  const scriptPath = fileURLToPath(scriptUrl);
  const args = scriptArgs(scriptPath);
  const removeTemp = useRunTempDir();
  const stopCleanUpOnInterrupt = cleanUpOnInterrupt(scriptPath, removeTemp);
  try {
    await run(plan, origin, scriptPath, args);
  } finally {
    stopCleanUpOnInterrupt();
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
    process.exitCode = await main(plan, origin, scriptPath, args);
  } catch (error) {
    const usage = error instanceof UsageError || error instanceof RefusedError;
    const name = path.basename(scriptPath);
    process.stderr.write(redactOutput(usage
      ? usageText(name, usageLine(path.relative(process.cwd(), scriptPath)), error as Error)
      : `${name}: ${(error as Error).message} (unexpected error)\n`));
    process.exitCode = usage ? EXIT.usage : EXIT.problem;
  }
}

// The runner's entry point, which the generated runbooks/<name>.mjs call (bundled to
// runbooks/lib/runtime.mjs): it runs main() and turns its outcome into the exit code.
import * as path from 'node:path';
import {fileURLToPath} from 'node:url';
import type {Shell} from 'zx';
import {UsageError} from '../io/command-line.mts';
import {redact} from '../proxy/redact.mts';
import {EXIT} from './flags.mts';
import {main} from './main.mts';

export async function runRunbook($: Shell, scriptUrl: string, stepIds: string[]): Promise<void> {
  const scriptPath = fileURLToPath(scriptUrl);
  // `… | head` closing the pipe ends the run quietly, as it does for any command-line tool.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(process.exitCode ?? EXIT.ok);
    });
  }
  try {
    process.exitCode = await main($, scriptPath, stepIds);
  } catch (error) {
    const usage = error instanceof UsageError;
    process.stderr.write(redact(`${path.basename(scriptPath)}: ${(error as Error).message}${usage ? '' : ' (unexpected error)'}\n`));
    process.exitCode = usage ? EXIT.usage : EXIT.problem;
  }
}

// The environment steps start with: the user's, plus the runbooks' own commands on PATH
// (lib/bin beside the script: runbook-netcheck) and the startup file `--rc` chose, so that a
// step's fresh shell reads the same file the rc-block step wrote.
import * as path from 'node:path';
import type {RuntimeOptions} from './flags.mts';

export function stepEnvironment(env: NodeJS.ProcessEnv, scriptPath: string, options: Pick<RuntimeOptions, 'rc'>): Record<string, string | undefined> {
  const bin = path.join(path.dirname(scriptPath), 'lib', 'bin');
  return {
    ...env,
    PATH: env.PATH ? `${bin}${path.delimiter}${env.PATH}` : bin,
    ...(options.rc === null ? {} : {RUNBOOK_RC: path.resolve(options.rc)}),
  };
}

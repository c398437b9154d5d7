// The environment steps start with: the user's, plus the runbook's own commands on PATH (the
// netcheck shim's folder: runbook-netcheck) and the startup file `--rc` chose, so that a step's
// fresh shell reads the same file the rc-block step wrote, and the cluster (--cluster,
// --cluster-hosts) for runbook-netcheck's node-to-node URL.
import * as path from 'node:path';
import type {RuntimeOptions} from './flags.mts';
import {userTmpdirValue} from './run-temp.mts';

export function stepEnvironment(env: NodeJS.ProcessEnv, binDir: string, options: Pick<RuntimeOptions, 'rc'> & Partial<Pick<RuntimeOptions, 'cluster'>>): Record<string, string | undefined> {
  return {
    ...env,
    TMPDIR: userTmpdirValue(),
    PATH: env.PATH ? `${binDir}${path.delimiter}${env.PATH}` : binDir,
    ...(options.rc === null ? {} : {RUNBOOK_RC: path.resolve(options.rc)}),
    ...(options.cluster?.entries.length ? {RUNBOOK_CLUSTER: options.cluster.entries.join(',')} : {}),
    ...(options.cluster?.hosts.length ? {RUNBOOK_CLUSTER_HOSTS: options.cluster.hosts.join(',')} : {}),
  };
}

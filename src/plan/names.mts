// Names a page's front matter may refer to and the runner must honour: its own command-line
// flags (a parameter's flag must not shadow one) and the resolvers a parameter can `compute:` with.

/** The runner's own options, as src/runner/flags.mts gives them to node:util's parseArgs. */
export const RUNTIME_OPTIONS = {
  help: {type: 'boolean', short: 'h'},
  version: {type: 'boolean'},
  'dry-run': {type: 'boolean'},
  json: {type: 'string'},
  yes: {type: 'boolean', short: 'y'},
  only: {type: 'string'},
  from: {type: 'string'},
  force: {type: 'boolean'},
  rc: {type: 'string'},
  undo: {type: 'boolean'},
  check: {type: 'boolean'},
  cluster: {type: 'string', multiple: true},
  'cluster-hosts': {type: 'string', multiple: true},
} as const;

/** The runner's own flags: a parameter's flag must not be one of them. */
export const RUNTIME_FLAGS: readonly string[] = Object.keys(RUNTIME_OPTIONS).map((name) => `--${name}`);

export type ResolverName = 'no-proxy-merge' | 'found-service';

/** Resolvers a parameter can name with `compute:` (src/runner/resolvers.mts implements each). */
export const RESOLVER_NAMES: readonly string[] = ['no-proxy-merge', 'found-service'] satisfies ResolverName[];

/** What each resolver does to the value, as `--help` and a runbook's header say it. */
export const RESOLVER_HELP: Record<ResolverName, string> = {
  'no-proxy-merge': 'added to the entries you have',
  'found-service': 'without the flag, the model server found on a well-known loopback port when none answers at the default',
};

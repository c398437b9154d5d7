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

export type ResolverName = 'no-proxy-merge';

/** Resolvers a parameter can name with `compute:` (src/runner/resolvers.mts implements each). */
export const RESOLVER_NAMES: readonly string[] = ['no-proxy-merge'] satisfies ResolverName[];

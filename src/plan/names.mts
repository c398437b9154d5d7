// Names a page's front matter may refer to and the runner must honour: its own command-line
// flags (a parameter's flag must not shadow one) and the resolvers a parameter can `compute:` with.

/** The runner's own flags (src/runner/flags.mts parses exactly these). */
export const RUNTIME_FLAGS: readonly string[] = ['--help', '--dry-run', '--json', '--yes', '--only', '--from', '--force', '--rc', '--undo', '--check', '--version', '--cluster', '--cluster-hosts'];

export type ResolverName = 'no-proxy-merge';

/** Resolvers a parameter can name with `compute:` (src/runner/resolvers.mts implements each). */
export const RESOLVER_NAMES: readonly string[] = ['no-proxy-merge'] satisfies ResolverName[];

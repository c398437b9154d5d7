// Named resolvers a parameter can declare with `compute:` in front matter: they compute the value
// from the environment and the flag (or the default the page shows).
import type {Env} from '../io/env.mts';
import type {ResolverName} from '../plan/names.mts';
import {type ClusterSpec, clusterNoProxy, expansionNotes} from '../cluster/no-proxy.mts';
import {mergeEnvNoProxy} from '../proxy/merge-no-proxy.mts';

export interface ResolverInput {
  /** The flag's value, or the parameter's default when the flag was not given. */
  value: string;
  env: Env;
  /**
   * What a fresh shell reading the startup file this run's rc-block steps write gets from it, or
   * null when the run writes no startup file: a value the file sets must survive the rewrite even
   * when this shell does not carry it (the file changed since, --rc names another shell's file, sudo, cron).
   */
  startupFile: Env | null;
  /** --cluster and --cluster-hosts, when given. */
  cluster?: ClusterSpec;
}

export interface Resolution {
  value: string;
  /** Lines worth telling the user (e.g. entries that were dropped and why). */
  notes: string[];
}

type Resolver = (input: ResolverInput) => Resolution;

// Keyed by the contract's names: a resolver the contract lists and this file lacks does not compile.
const resolvers: Record<ResolverName, Resolver> = {
  // The user's NO_PROXY/no_proxy entries first (the startup file's, then this shell's), then
  // loopback and the given hosts, then the cluster's entries and the node addresses some client
  // needs besides them; entries some client cannot parse are dropped with the reason.
  'no-proxy-merge': ({value, env, startupFile, cluster}) => {
    const forCluster = clusterNoProxy(cluster ?? {entries: [], hosts: []});
    const merged = mergeEnvNoProxy([startupFile ?? {}, env], [...value.split(','), ...forCluster.additions]);
    return {value: merged.value, notes: [...expansionNotes(forCluster), ...merged.dropped.map((d) => `dropped ${d.entry} from NO_PROXY: ${d.reason}`)]};
  },
};

export function resolveParam(resolver: string, input: ResolverInput): Resolution {
  const resolve = (resolvers as Record<string, Resolver | undefined>)[resolver];
  if (!resolve) throw new Error(`unknown resolver ${JSON.stringify(resolver)}`);
  return resolve(input);
}

// Named resolvers a parameter can declare with `compute:` in front matter: they compute the value
// from the environment and the flag (or the default the page shows).
import type {Env} from '../io/index.mts';
import type {ResolverName} from '../plan/index.mts';
import {type ClusterSpec, clusterNoProxy, expansionNotes} from '../cluster/index.mts';
import {findServices, portsToProbe, serviceToCheck} from '../netcheck/index.mts';
import {mergeEnvNoProxy} from '../proxy/index.mts';

export interface ResolverInput {
  /** The flag's value, or the parameter's default when the flag was not given. */
  value: string;
  /** Whether the flag was given. */
  given: boolean;
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

type Resolver = (input: ResolverInput) => Resolution | Promise<Resolution>;

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
  // A service URL the user did not give: the page's default when a server answers there or none
  // answers anywhere; else the model server found on a well-known loopback port (the find step
  // lists them all), so a service started on SGLang's or Ollama's port is the one checked.
  'found-service': async ({value, given, env}) => {
    if (given) return {value, notes: []};
    const port = Number(new URL(value).port || 80);
    const found = await findServices([...new Set([port, ...portsToProbe(env)])]);
    const chosen = serviceToCheck(found);
    if (!chosen || found.some((f) => f.port === port)) return {value, notes: []};
    const url = `http://127.0.0.1:${chosen.port}`;
    return {value: url, notes: [`no --url: checking ${url}, where ${chosen.server} answers (nothing answers at ${value}; --url checks another)`]};
  },
};

export function resolveParam(resolver: string, input: ResolverInput): Promise<Resolution> | Resolution {
  const resolve = (resolvers as Record<string, Resolver | undefined>)[resolver];
  if (!resolve) throw new Error(`unknown resolver ${JSON.stringify(resolver)}`);
  return resolve(input);
}

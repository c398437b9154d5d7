// The NO_PROXY entries a cluster needs: each `--cluster` entry as given (CIDR, host name, domain
// suffix), plus the node addresses it covers for the clients that do not honour that form. Which
// client honours which form is src/proxy's decision (predict), never repeated here.
import {CLIENTS, type ClientId, type PredictOptions, predict} from '../proxy/predict.mts';
import {inIPv4Network, isIPv4, isIPv6} from '../proxy/target.mts';

export interface ClusterSpec {
  /** `--cluster`: CIDRs (`10.0.0.0/8`), host names (`head-0`), domain suffixes (`.cluster.local`). */
  entries: string[];
  /** `--cluster-hosts`: the nodes' addresses or names (from the inventory). */
  hosts: string[];
}

export interface Expansion {
  /** The --cluster entry (or '' for a node no entry covers). */
  entry: string;
  host: string;
  /** The clients for which `entry` alone would leave `host` going through the proxy. */
  clients: ClientId[];
}

export interface ClusterNoProxy {
  /** What to add to NO_PROXY, in order: the entries, then the node addresses some client needs. */
  additions: string[];
  expansions: Expansion[];
  /** Nodes some client sends through the proxy even when named exactly (e.g. IPv6 for urllib). */
  unreachable: {host: string; clients: ClientId[]}[];
}

/** Splits a comma- or blank-separated option value; empty entries are ignored. */
export function listOption(value: string | null | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).filter(Boolean);
}

const CIDR = /^(\d+\.\d+\.\d+\.\d+)\/(\d{1,2})$/;

/** Whether the cluster entry is meant to cover the host (what the user asked, not what a client does). */
export function covers(entry: string, host: string): boolean {
  const lowerHost = host.toLowerCase();
  const lowerEntry = entry.toLowerCase();
  const cidr = CIDR.exec(entry);
  if (cidr) {
    const bits = Number(cidr[2]);
    return isIPv4(host) && bits <= 32 && (bits === 0 || inIPv4Network(host, cidr[1]!, bits));
  }
  if (lowerEntry === lowerHost) return true;
  if (isIPv4(host) || isIPv6(host)) return false;
  const suffix = lowerEntry.replace(/^\*?\.?/, '.');
  return lowerHost.endsWith(suffix);
}

// A proxy every client can use, so that only NO_PROXY decides the outcome.
const PROBE_PROXY = 'http://proxy.cluster-check.invalid:3128';

/** The clients that send `http://host/` through the proxy when NO_PROXY is exactly `noProxy`. */
export function clientsProxying(host: string, noProxy: string, options: PredictOptions = {}): ClientId[] {
  const url = `http://${isIPv6(host) ? `[${host}]` : host}/`;
  const env = {http_proxy: PROBE_PROXY, HTTP_PROXY: PROBE_PROXY, no_proxy: noProxy, NO_PROXY: noProxy};
  // node-fetch ignores the variables altogether and java reads none: neither can be helped here.
  return CLIENTS.map((c) => c.id)
    .filter((id) => id !== 'node-fetch' && id !== 'java')
    .filter((id) => predict(id, url, env, options).outcome !== 'direct');
}

export function clusterNoProxy(spec: ClusterSpec, options: PredictOptions = {}): ClusterNoProxy {
  const additions: string[] = [...spec.entries];
  const expansions: Expansion[] = [];
  const unreachable: ClusterNoProxy['unreachable'] = [];
  const add = (host: string) => {
    if (!additions.some((a) => a.toLowerCase() === host.toLowerCase())) additions.push(host);
  };
  for (const host of spec.hosts) {
    const covering = spec.entries.filter((entry) => covers(entry, host));
    if (covering.length === 0) {
      expansions.push({entry: '', host, clients: []});
      add(host);
    }
    for (const entry of covering) {
      const clients = clientsProxying(host, entry, options);
      if (clients.length === 0) continue;
      expansions.push({entry, host, clients});
      add(host);
    }
    const still = clientsProxying(host, additions.join(','), options);
    if (still.length > 0) unreachable.push({host, clients: still});
  }
  return {additions, expansions, unreachable};
}

/** The cluster the runner hands its steps (src/runner/step-env.mts). */
export function clusterFromEnv(env: Record<string, string | undefined>): ClusterSpec {
  return {entries: listOption(env.RUNBOOK_CLUSTER), hosts: listOption(env.RUNBOOK_CLUSTER_HOSTS)};
}

/** The run's notes: one line per --cluster entry some client does not honour (with the node
 *  addresses added for it), one for the nodes no entry covers. */
export function expansionNotes(result: ClusterNoProxy): string[] {
  const groups = new Map<string, Expansion[]>();
  for (const e of result.expansions) {
    const key = `${e.entry}\0${e.clients.join(',')}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  const notes = [...groups.values()].map((group) => {
    const {entry, clients} = group[0]!;
    const hosts = group.map((e) => e.host).join(', ');
    return entry === ''
      ? `cluster: added to NO_PROXY as they are (no --cluster entry covers them): ${hosts}`
      : `cluster: ${entry} kept for the clients that take it; ${clients.join(', ')} do not, so NO_PROXY also lists ${hosts}`;
  });
  for (const u of result.unreachable) notes.push(`cluster: ${u.host} still goes through the proxy for ${u.clients.join(', ')} whatever NO_PROXY says`);
  return notes;
}

/** A node-to-node URL for the per-client table: the local URL's scheme, port and path on the
 *  first node (or a representative of the first --cluster entry), or null without a cluster. */
export function clusterUrl(localUrl: string, spec: ClusterSpec): string | null {
  const host = spec.hosts[0] ?? representative(spec.entries[0]);
  if (!host) return null;
  const url = new URL(localUrl);
  url.hostname = isIPv6(host) ? `[${host}]` : host;
  return url.toString();
}

function representative(entry: string | undefined): string | null {
  if (!entry) return null;
  const cidr = CIDR.exec(entry);
  if (cidr) {
    const octets = cidr[1]!.split('.').map(Number);
    if (Number(cidr[2]) < 32) octets[3] = (octets[3]! | 1);
    return octets.join('.');
  }
  if (entry.startsWith('.') || entry.startsWith('*.')) return `node-1${entry.replace(/^\*/, '')}`;
  return entry;
}

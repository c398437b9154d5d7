// src/cluster's public surface: the cluster options the runner reads and turns into NO_PROXY
// additions, each node's facts for its report, and runbook-netcheck's cluster-table command.
export {clusterFromEnv, clusterNoProxy, type ClusterSpec, clusterUrl, expansionNotes, listOption} from './no-proxy.mts';
export {type NodeFacts, startNodeFacts} from './node-facts.mts';
export {CLUSTER_TABLE_USAGE, clusterTable} from './table-cli.mts';

// --cluster: each entry kept as given, node addresses added exactly for the clients src/proxy says
// do not honour the entry's form; the node-to-node URL the clients table reports.
import {describe, expect, it} from 'vitest';
import {clientsProxying, clusterNoProxy, clusterUrl, covers, expansionNotes, listOption} from '../../src/cluster/no-proxy.mts';
import {predict} from '../../src/proxy/predict.mts';

const PROXY = 'http://proxy.test:3128';

describe('clusterNoProxy', () => {
  it('keeps a CIDR and adds the nodes it covers for the clients that do not take CIDRs', () => {
    const result = clusterNoProxy({entries: ['10.0.0.0/8'], hosts: ['10.1.2.3', '10.1.2.4']});
    expect(result.additions).toEqual(['10.0.0.0/8', '10.1.2.3', '10.1.2.4']);
    const cidrOnly = clientsProxying('10.1.2.3', '10.0.0.0/8');
    // the CIDR alone is honoured by some clients (curl, requests, Go) and not by others (wget, urllib)
    expect(cidrOnly).toEqual(expect.arrayContaining(['wget', 'urllib']));
    expect(cidrOnly).not.toContain('curl');
    expect(result.expansions.map((e) => e.clients)).toEqual([cidrOnly, cidrOnly]);
    // with what is written, every client that reads the variables goes direct to every node
    const env = {http_proxy: PROXY, no_proxy: result.additions.join(','), NO_PROXY: result.additions.join(',')};
    for (const host of ['10.1.2.3', '10.1.2.4']) {
      for (const client of ['curl', 'wget', 'urllib', 'requests', 'httpx', 'aiohttp-trust-env', 'undici-env', 'go'] as const) {
        expect(predict(client, `http://${host}:8000/v1`, env).outcome, `${client} ${host}`).toBe('direct');
      }
    }
    expect(result.unreachable).toEqual([]);
  });

  it('adds no node a form already covers for every client, and nodes no entry covers as they are', () => {
    const result = clusterNoProxy({entries: ['head-0'], hosts: ['head-0', '192.168.5.5']});
    expect(result.additions).toEqual(['head-0', '192.168.5.5']);
    expect(expansionNotes(result)).toEqual(['cluster: added to NO_PROXY as they are (no --cluster entry covers them): 192.168.5.5']);
  });

  it('decides a domain suffix per client the same way', () => {
    const result = clusterNoProxy({entries: ['.cluster.local'], hosts: ['gpu-1.cluster.local']});
    const missing = clientsProxying('gpu-1.cluster.local', '.cluster.local');
    expect(result.additions).toEqual(missing.length === 0 ? ['.cluster.local'] : ['.cluster.local', 'gpu-1.cluster.local']);
  });

  it('without a cluster adds nothing', () => {
    expect(clusterNoProxy({entries: [], hosts: []})).toEqual({additions: [], expansions: [], unreachable: []});
  });
});

describe('covers, listOption, clusterUrl', () => {
  it('reads what the user meant by each entry', () => {
    expect(covers('10.0.0.0/8', '10.9.9.9')).toBe(true);
    expect(covers('10.0.0.0/8', '11.0.0.1')).toBe(false);
    expect(covers('.cluster.local', 'a.b.cluster.local')).toBe(true);
    expect(covers('cluster.local', 'a.cluster.local')).toBe(true);
    expect(covers('cluster.local', 'notcluster.local')).toBe(false);
    expect(covers('.cluster.local', '10.0.0.1')).toBe(false);
    expect(listOption('a, b,,c d')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('points the node-to-node URL at the first node, else at a member of the first entry', () => {
    expect(clusterUrl('http://127.0.0.1:8000/v1/models', {entries: ['10.0.0.0/8'], hosts: ['10.1.2.3']})).toBe('http://10.1.2.3:8000/v1/models');
    expect(clusterUrl('http://127.0.0.1:8000', {entries: ['10.0.0.0/8'], hosts: []})).toBe('http://10.0.0.1:8000/');
    expect(clusterUrl('http://127.0.0.1:8000', {entries: ['.svc'], hosts: []})).toBe('http://node-1.svc:8000/');
    expect(clusterUrl('http://127.0.0.1:8000', {entries: [], hosts: []})).toBeNull();
  });
});

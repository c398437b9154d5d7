// fix-noproxy --cluster / --cluster-hosts run for real: the merged NO_PROXY (entries kept, node
// addresses added for the clients that need them, said in a note), the clients step's table for a
// node-to-node URL besides loopback, the report's node facts; and a runbook without NO_PROXY refuses.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {clientsProxying} from '../../src/cluster/no-proxy.mts';
import {runRunbook, tempHome, type Home} from '../kit/runbooks.mts';

const PROXY = 'http://alice:pw-cluster-flag@127.0.0.1:9';

describe('fix-noproxy --cluster', () => {
  let home: Home;
  beforeAll(() => {
    home = tempHome({http_proxy: PROXY, https_proxy: PROXY});
  });
  afterAll(() => home?.remove());

  it('--check: NO_PROXY in each client\'s form, both URLs in the clients table, the node facts', async () => {
    const ran = await runRunbook('fix-noproxy', ['--check', '--json', '--url', 'http://127.0.0.1:8000',
      '--cluster', '10.0.0.0/8,.cluster.local', '--cluster-hosts', '10.1.2.3,gpu-1.cluster.local'], home.env, 120_000);
    expect(ran.code, ran.stderr).toBe(1); // the problem exists
    const report = JSON.parse(ran.stdout);
    expect(report.params.no_proxy).toBe('localhost,127.0.0.1,::1,0.0.0.0,10.0.0.0/8,.cluster.local,10.1.2.3');
    const needAddress = clientsProxying('10.1.2.3', '10.0.0.0/8');
    expect(needAddress).toEqual(expect.arrayContaining(['wget', 'urllib']));
    expect(ran.stderr).toContain(`note: cluster: 10.0.0.0/8 kept for the clients that take it; ${needAddress.join(', ')} do not, so NO_PROXY also lists 10.1.2.3`);
    const clients = report.steps.find((s: {id: string}) => s.id === 'clients');
    expect(clients.output).toContain('what each client does with http://127.0.0.1:8000/v1/models in this environment:');
    expect(clients.output).toContain('what each client does with http://10.1.2.3:8000/v1/models in this environment:');
    expect(report.node).toMatchObject({
      shell: 'bash', home: home.dir, startupFile: {file: home.rc, block: 'absent', before: 'absent', changed: false},
      noProxy: report.params.no_proxy,
      local: {url: 'http://127.0.0.1:8000', withFix: []},
      cluster: {url: 'http://10.1.2.3:8000/', withFix: []},
    });
    expect(report.node.cluster.now).toEqual(expect.arrayContaining(['curl', 'wget', 'urllib', 'requests']));
    expect(report.node.proxyVariables).toEqual([{name: 'http_proxy', value: 'http://***@127.0.0.1:9'}, {name: 'https_proxy', value: 'http://***@127.0.0.1:9'}]);
    expect(ran.stdout + ran.stderr).not.toContain('pw-cluster-flag');
  }, 180_000);

  it('a runbook that writes no NO_PROXY refuses the options (exit 2, one line)', async () => {
    const ran = await runRunbook('check-service', ['--cluster', '10.0.0.0/8'], home.env);
    expect(ran.code).toBe(2);
    expect(ran.stderr.trim()).toBe('check-service.mjs: --cluster and --cluster-hosts: check-service writes no NO_PROXY');
  });
});

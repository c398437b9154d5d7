// The cluster playbook's wall time for 3, 6 and 12 nodes at Ansible's default forks (5): each node
// is a user of one local sshd (tests/kit/ssh-nodes.mts) whose ~/.bashrc exports a proxy; the
// run is the full fix (send the runbook, diagnose, write the block, verify against a mock vLLM, the table).
// On one machine the nodes share its cores, so the figures are an upper bound for real nodes,
// where only the controller's ssh sessions are shared.
import * as path from 'node:path';
import * as fs from 'node:fs';
import {servedRunbook} from '../src/site-runbooks/published.mts';
import {startMockVllm} from '../src/stack/mock-vllm.mts';
import {runClient} from '../tests/kit/processes.mts';
import {ansibleEnv, sshNodesMissing, startSshCluster} from '../tests/kit/ssh-nodes.mts';
import type {BenchResult} from './run.mts';

const ROOT = path.resolve(import.meta.dirname, '..');
const SIZES = [3, 6, 12];

async function wallTime(nodes: number, mockUrl: string): Promise<number> {
  const cluster = await startSshCluster(Array.from({length: nodes}, (_, i) => ({
    name: `b${i + 1}`, shell: 'bash' as const, address: `127.78.0.${i + 1}`,
    startupFile: 'export http_proxy=http://127.0.0.1:9\nexport https_proxy=$http_proxy\n',
  })));
  try {
    const runbook = path.join(cluster.dir, 'fix-noproxy.mjs');
    fs.writeFileSync(runbook, servedRunbook(ROOT, 'fix-noproxy')); // as the site serves it: Node alone
    const begin = performance.now();
    const ran = await runClient('ansible-playbook', [
      '-i', cluster.inventory, path.join(ROOT, 'static/cluster/fix-noproxy.yml'),
      '-e', `runbook=${runbook}`, '-e', `node_command=${process.execPath}`,
      '-e', `controller_node=${process.execPath}`, '-e', `url=${mockUrl}`, '-e', 'cluster=127.78.0.0/16',
      '-e', `report=${path.join(cluster.dir, 'report.json')}`,
    ], ansibleEnv(cluster.dir), 900_000, cluster.dir);
    const seconds = (performance.now() - begin) / 1000;
    if (ran.code !== 0) throw new Error(`ansible-playbook exited ${ran.code} for ${nodes} nodes: ${ran.stdout.slice(-2000)}`);
    return Math.round(seconds * 10) / 10;
  } finally {
    await cluster.stop();
  }
}

export default async function (): Promise<BenchResult[]> {
  const missing = sshNodesMissing();
  if (missing) throw new Error(missing);
  const mock = await startMockVllm({port: 0});
  try {
    const results: BenchResult[] = [];
    for (const nodes of SIZES) {
      results.push({name: `fix-noproxy.yml on ${nodes} nodes (forks 5)`, value: await wallTime(nodes, mock.url), unit: 's'});
    }
    return results;
  } finally {
    await mock.close();
  }
}

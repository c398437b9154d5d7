// The playbook for real: ansible-playbook over real SSH (an sshd of this test on 127.0.0.1) to three
// nodes, each its own user with its own login shell, startup file and proxy variables (one with
// credentials in the proxy URL), one without Node.js and one that is down. The proxy is the stack's remote Squid,
// which cannot reach our loopback: a request it carries gets its error page, a direct one the
// service's answer. Cluster addresses are 127.77.0.x (loopback too, so real servers answer there).
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {sha256} from '../../src/io/hash.mts';
import {predict} from '../../src/proxy/predict.mts';
import {runClient, type Ran} from '../kit/processes.mts';
import {currentRunbooks, REPO} from '../kit/runbooks.mts';
import {servedRunbook} from '../../src/site-runbooks/published.mts';
import {ansibleEnv, sshNodesMissing, startSshCluster, type SshCluster, type SshNode} from '../kit/ssh-nodes.mts';
import {describeWithSquid, squidInfo, useOwnMockVllm} from '../kit/stack.mts';

const PLAYBOOK = path.join(REPO, 'static/cluster/fix-noproxy.yml');
// The nodes run the runbook as the site serves it (one file, Node alone), with this Node.
const NODE_COMMAND = process.execPath;
const PROBE = path.join(import.meta.dirname, 'probe-clients.py');
const SECRET = 's3cret-cluster';
const CLUSTER = '127.77.0.0/16';
const CLIENTS = ['curl', 'wget', 'urllib', 'requests', 'httpx', 'aiohttp-trust-env'] as const;

const missing = sshNodesMissing();
const describeIf = missing ? describe.skip : describe;

const fileSha256 = (file: string) => sha256(fs.readFileSync(file));

/** An HTTP server on a cluster address that says who it is (a direct answer carries `marker`). */
async function origin(address: string, marker: string): Promise<{url: string; close: () => Promise<void>}> {
  const server = http.createServer((_req, res) => res.end(`${marker}\n`));
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  const {port} = server.address() as {port: number};
  return {url: `http://${address}:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve()))};
}

describeIf(missing ? `ansible-playbook fix-noproxy.yml (skipped: ${missing})` : 'ansible-playbook fix-noproxy.yml', () => {
  it('passes ansible-playbook --syntax-check and ansible-lint', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'playbook-lint-'));
    try {
      const env = {...ansibleEnv(dir), NO_COLOR: '1', XDG_CACHE_HOME: dir};
      const syntax = await runClient('ansible-playbook', ['--syntax-check', '-i', 'localhost,', PLAYBOOK], env, 120_000, dir);
      expect(syntax.code, syntax.stdout + syntax.stderr).toBe(0);
      const lint = await runClient('ansible-lint', ['--nocolor', '--offline', PLAYBOOK], env, 180_000, REPO);
      expect(lint.code, lint.stdout + lint.stderr).toBe(0);
      expect(lint.stdout + lint.stderr).toMatch(/Passed with production profile: 0 failure\(s\), 0 warning\(s\)/);
    } finally {
      fs.rmSync(dir, {recursive: true, force: true});
    }
  }, 240_000);

  describeWithSquid('over SSH to three nodes and one that is down', () => {
    const mock = useOwnMockVllm();
    let cluster: SshCluster;
    let reachable: SshNode[];
    let nodeOrigin: Awaited<ReturnType<typeof origin>>;
    let outsideOrigin: Awaited<ReturnType<typeof origin>>;
    const originals = new Map<string, string>();

    beforeAll(async () => {
      const squid = squidInfo().remote.url.replace('http://', '');
      cluster = await startSshCluster([
        {name: 'n1', shell: 'bash', address: '127.77.0.11', startupFile: `# n1's own line\nexport http_proxy=http://alice:${SECRET}@${squid}\nexport https_proxy=$http_proxy\nexport no_proxy=intranet.example\n`},
        {name: 'n2', shell: 'zsh', address: '127.77.0.12', startupFile: `export HTTP_PROXY=http://${squid}\nexport http_proxy=$HTTP_PROXY`},
        {name: 'n3', shell: 'fish', address: '127.77.0.13', startupFile: `set -gx http_proxy http://${squid}\nset -gx HTTPS_PROXY http://${squid}`},
        // a node without Node.js (its node_command names no program)
        {name: 'n5', shell: 'bash', address: '127.77.0.15', startupFile: `export http_proxy=http://${squid}\n`, hostVars: {node_command: '/opt/no-node-here/bin/node'}},
      ], [{name: 'n4', address: '127.77.0.14'}], {node_command: NODE_COMMAND});
      reachable = cluster.nodes.filter((n) => n.name !== 'n5');
      for (const node of cluster.nodes) originals.set(node.rc, fs.readFileSync(node.rc, 'utf8'));
      fs.writeFileSync(runbook(), servedRunbook(await currentRunbooks(), 'fix-noproxy'));
      fs.copyFileSync(PROBE, path.join(cluster.dir, 'probe.py'));
      fs.chmodSync(path.join(cluster.dir, 'probe.py'), 0o644);
      nodeOrigin = await origin('127.77.0.12', 'cluster-node-direct');
      // inside the CIDR, not a node: only clients that take the CIDR itself go direct
      outsideOrigin = await origin('127.77.0.99', 'cluster-cidr-direct');
    }, 240_000); // users, keys, sshd, and the runbook as the current sources make it
    afterAll(async () => {
      await nodeOrigin?.close();
      await outsideOrigin?.close();
      await cluster?.stop();
    });

    const report = () => path.join(cluster.dir, 'report.json');
    const runbook = () => path.join(cluster.dir, 'fix-noproxy.mjs');
    const playbook = (...args: string[]): Promise<Ran> => runClient('ansible-playbook', [
      '-i', cluster.inventory, PLAYBOOK, ...args,
      '-e', `runbook=${runbook()}`, '-e', `controller_node=${process.execPath}`,
      '-e', `url=${mock().url}`, '-e', `cluster=${CLUSTER}`, '-e', `report=${report()}`,
    ], ansibleEnv(cluster.dir), 240_000, cluster.dir);
    const recap = (ran: Ran, node: string) => new RegExp(`^${node}\\s+: (.*)$`, 'm').exec(ran.stdout)?.[1] ?? '';
    // The table task's debug output: `"msg": [` then one JSON string per line, then `]`.
    const table = (ran: Ran): string[] => {
      const lines = ran.stdout.split('\n');
      const start = lines.findIndex((l, i) => i > lines.findIndex((t) => t.startsWith('TASK [Show the table]')) && l.trim() === '"msg": [');
      const end = lines.findIndex((l, i) => i > start && l.trim() === ']');
      return lines.slice(start + 1, end).map((l) => JSON.parse(l.trim().replace(/,$/, '')) as string);
    };
    const rowOf = (ran: Ran, node: string) => table(ran).find((l) => l.startsWith(`${node} `)) ?? '';
    const noSecret = (ran: Ran) => {
      expect(ran.stdout + ran.stderr).not.toContain(SECRET);
      expect(fs.readFileSync(report(), 'utf8')).not.toContain(SECRET);
    };

    /** Each client's answer from a fresh interactive login shell of the node's user, over SSH. */
    async function probe(node: SshNode, urls: string[]): Promise<Record<string, Record<string, {status: number; body: string}>>> {
      const ran = await cluster.ssh(node, `exec $SHELL -i -c '/usr/bin/python3 ${path.join(cluster.dir, 'probe.py')} ${urls.join(' ')}'`, 120_000);
      const line = ran.stdout.split('\n').find((l) => l.startsWith('PROBE '));
      if (!line) throw new Error(`probe on ${node.name} printed no result (exit ${ran.code}): ${ran.stderr.slice(-500)}`);
      return JSON.parse(line.slice('PROBE '.length));
    }

    it('--check lists every node and changes nothing; apply fixes the reachable ones; -e undo=true restores every byte', async () => {
      // 1. --check: every node a row, the down one with its reason; no startup file changes
      const before = cluster.nodes.map((n) => fileSha256(n.rc));
      {
        const ran = await playbook('--check');
        expect(ran.code, ran.stdout + ran.stderr).toBe(4); // Ansible's code for unreachable hosts
        expect(cluster.nodes.map((n) => fileSha256(n.rc))).toEqual(before);
        expect(rowOf(ran, 'n1')).toMatch(/^n1\s+bash\s+http_proxy,https_proxy=http:\/\/\*\*\*@127\.0\.0\.1:\d+\s+\d+ → 0\s+\d+ → 0\s+~\/\.bashrc: no block\s+no process of yours will send requests for it to a proxy\s+needs the fix/);
        expect(rowOf(ran, 'n2')).toMatch(/^n2\s+zsh\s+http_proxy,HTTP_PROXY=http:\/\/127\.0\.0\.1:\d+\s.*~\/\.zshrc: no block\s.*needs the fix/);
        expect(rowOf(ran, 'n3')).toMatch(/^n3\s+fish\s+http_proxy,HTTPS_PROXY=http:\/\/127\.0\.0\.1:\d+\s.*~\/\.config\/fish\/config\.fish: no block\s.*needs the fix/);
        expect(rowOf(ran, 'n4')).toMatch(/^n4\s+unreachable: .*Connection refused/);
        expect(rowOf(ran, 'n5')).toMatch(/^n5\s+Node\.js is not installed here \(node: not found\)$/);
        for (const node of ['n1', 'n2', 'n3']) expect(recap(ran, node)).toMatch(/changed=1 .*failed=0/); // would change
        expect(recap(ran, 'n4')).toMatch(/unreachable=1/);
        expect(recap(ran, 'n5')).toMatch(/changed=0 .*failed=1/);
        const json = JSON.parse(fs.readFileSync(report(), 'utf8'));
        expect(json.summary).toEqual({nodes: 5, ok: 3, failed: 2});
        noSecret(ran);
      }
      // --limit: only the nodes named run and are in the table
      {
        const ran = await playbook('--check', '--limit', 'n1,n4');
        expect(ran.code, ran.stdout + ran.stderr).toBe(4);
        expect(table(ran).filter((l) => /^n\d\s/.test(l)).map((l) => l.split(/\s+/)[0])).toEqual(['n1', 'n4']);
        expect(recap(ran, 'n2')).toBe('');
        expect(cluster.nodes.map((n) => fileSha256(n.rc))).toEqual(before);
      }
      // 2. apply: fixed and verified on the three, the down node reported, Ansible's failure count
      const ran = await playbook();
      expect(ran.code, ran.stdout + ran.stderr).toBe(4);
      for (const node of ['n1', 'n2', 'n3']) {
        expect(rowOf(ran, node)).toMatch(/block written\s.*\sfixed and verified$/);
        expect(recap(ran, node)).toMatch(/changed=1 .*unreachable=0 +failed=0/);
      }
      expect(rowOf(ran, 'n4')).toMatch(/^n4\s+unreachable: /);
      expect(recap(ran, 'n4')).toMatch(/unreachable=1/);
      expect(recap(ran, 'n5')).toMatch(/failed=1/);
      noSecret(ran);
      const written = fs.readFileSync(cluster.nodes[0]!.rc, 'utf8');
      const noProxy = /^export NO_PROXY="([^"]*)"$/m.exec(written)![1]!;
      expect(noProxy).toBe('intranet.example,localhost,127.0.0.1,::1,0.0.0.0,127.77.0.0/16,127.77.0.11,127.77.0.12,127.77.0.13,127.77.0.15,127.77.0.14');
      expect(written.startsWith(originals.get(cluster.nodes[0]!.rc)!)).toBe(true);

      // a fresh login shell on each node: the mock and the other node directly, with every client;
      // an address of the CIDR that is no node: directly exactly for the clients src/proxy says take the CIDR
      const models = `${mock().url}/v1/models`;
      for (const node of reachable) {
        const answers = await probe(node, [models, nodeOrigin.url, outsideOrigin.url]);
        for (const client of CLIENTS) {
          expect(answers[models]![client]!.body, `${node.name} ${client} ${models}`).toContain('mh-sft-7b');
          expect(answers[nodeOrigin.url]![client]!.body, `${node.name} ${client} ${nodeOrigin.url}`).toContain('cluster-node-direct');
          const direct = predict(client, outsideOrigin.url, {http_proxy: 'http://proxy.test:3128', no_proxy: noProxy, NO_PROXY: noProxy}).outcome === 'direct';
          expect(answers[outsideOrigin.url]![client]!.body.includes('cluster-cidr-direct'), `${node.name} ${client} ${outsideOrigin.url}`).toBe(direct);
        }
      }

      // 3. -e undo=true: every startup file byte-identical to what the user had
      const undone = await playbook('-e', 'undo=true');
      expect(undone.code, undone.stdout + undone.stderr).toBe(4);
      for (const node of cluster.nodes) expect(fs.readFileSync(node.rc, 'utf8'), node.name).toBe(originals.get(node.rc));
      for (const node of reachable) {
        expect(rowOf(undone, node.name)).toMatch(/block removed\s.*\sundone$/);
        expect(recap(undone, node.name)).toMatch(/changed=1 .*failed=0/);
      }
      noSecret(undone);
    }, 600_000);
  });
});

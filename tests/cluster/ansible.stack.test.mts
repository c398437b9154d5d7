// The playbook for real: ansible-playbook over real SSH (an sshd of this test on 127.0.0.1) to three
// nodes, each its own user with its own login shell, startup file and proxy variables (one with
// credentials in the proxy URL), one without Node.js and one that is down. The proxy is the stack's remote Squid,
// which cannot reach our loopback: a request it carries gets its error page, a direct one the
// service's answer. Cluster addresses are 127.77.0.x (loopback too, so real servers answer there).
// The page's commands run as its runbooks do (fix-a-cluster: download from a site served here,
// diagnose, fix, --undo; cluster-without-ansible: one node by hand, pdsh), in a controller folder.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {sha256} from '../../src/io/hash.mts';
import {predict} from '../../src/proxy/predict.mts';
import {runClient, type Ran} from '../kit/processes.mts';
import {currentRunbooks, REPO, runRunbook} from '../kit/runbooks.mts';
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

interface StepRun {id: string; status: string; exitCode: number | null; output: string}
interface RunbookRun {ran: Ran; exitCode: number; steps: StepRun[]; step(id: string): StepRun}

/** A loopback "site" serving `files` (URL path → bytes), like the built site serves these. */
async function site(files: Record<string, Buffer>): Promise<{url: string; close: () => Promise<void>}> {
  const server = http.createServer((req, res) => {
    const body = files[req.url ?? ''];
    res.writeHead(body ? 200 : 404).end(body ?? 'not found\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as {port: number};
  return {url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve()))};
}

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
    let served: Awaited<ReturnType<typeof site>>;
    let servedRunbookBytes: Buffer;
    let squid: string;
    const originals = new Map<string, string>();

    beforeAll(async () => {
      squid = squidInfo().remote.url.replace('http://', '');
      // n1 also finds this Node as `node` (pdsh runs `node` in its interactive bash)
      const nodePath = `export PATH=${path.dirname(NODE_COMMAND)}:$PATH\n`;
      cluster = await startSshCluster([
        {name: 'n1', shell: 'bash', address: '127.77.0.11', startupFile: `# n1's own line\n${nodePath}export http_proxy=http://alice:${SECRET}@${squid}\nexport https_proxy=$http_proxy\nexport no_proxy=intranet.example\n`},
        {name: 'n2', shell: 'zsh', address: '127.77.0.12', startupFile: `export HTTP_PROXY=http://${squid}\nexport http_proxy=$HTTP_PROXY`},
        {name: 'n3', shell: 'fish', address: '127.77.0.13', startupFile: `set -gx http_proxy http://${squid}\nset -gx HTTPS_PROXY http://${squid}`},
        // a node without Node.js (its node_command names no program)
        {name: 'n5', shell: 'bash', address: '127.77.0.15', startupFile: `export http_proxy=http://${squid}\n`, hostVars: {node_command: '/opt/no-node-here/bin/node'}},
      ], [{name: 'n4', address: '127.77.0.14'}], {node_command: NODE_COMMAND, controller_node: process.execPath, url: mock().url});
      reachable = cluster.nodes.filter((n) => n.name !== 'n5');
      for (const node of cluster.nodes) originals.set(node.rc, fs.readFileSync(node.rc, 'utf8'));
      fs.mkdirSync(controller());
      fs.mkdirSync(controllerHome());
      writeSshConfig();
      servedRunbookBytes = servedRunbook(await currentRunbooks(), 'fix-noproxy');
      served = await site({'/cluster/fix-noproxy.yml': fs.readFileSync(PLAYBOOK), '/runbooks/fix-noproxy.mjs': servedRunbookBytes});
      fs.copyFileSync(PROBE, path.join(cluster.dir, 'probe.py'));
      fs.chmodSync(path.join(cluster.dir, 'probe.py'), 0o644);
      nodeOrigin = await origin('127.77.0.12', 'cluster-node-direct');
      // inside the CIDR, not a node: only clients that take the CIDR itself go direct
      outsideOrigin = await origin('127.77.0.99', 'cluster-cidr-direct');
    }, 240_000); // users, keys, sshd, and the runbook as the current sources make it
    afterAll(async () => {
      await served?.close();
      await nodeOrigin?.close();
      await outsideOrigin?.close();
      await cluster?.stop();
    });

    // The reader's folder on the Ansible controller: the download lands here, the report too.
    const controller = () => path.join(cluster.dir, 'controller');
    const controllerHome = () => path.join(cluster.dir, 'controller-home');
    const report = () => path.join(controller(), 'fix-noproxy-report.json');
    const sshConfig = () => path.join(cluster.dir, 'ssh_config');
    /** pdsh's ssh reads this (PDSH_SSH_ARGS_APPEND=-F): each node by its inventory name. */
    function writeSshConfig(): void {
      const inventory = fs.readFileSync(cluster.inventory, 'utf8');
      const hosts = ['n1', 'n4'].flatMap((name) => {
        const line = new RegExp(`^${name} .*$`, 'm').exec(inventory)![0];
        const value = (key: string) => new RegExp(`${key}=(\\S+)`).exec(line)![1];
        return [`Host ${name}`, `  HostName ${value('ansible_host')}`, `  Port ${value('ansible_port')}`, `  User ${value('ansible_user')}`];
      });
      fs.writeFileSync(sshConfig(), [...hosts, 'Host *', `  IdentityFile ${cluster.key}`, '  StrictHostKeyChecking no', '  UserKnownHostsFile /dev/null',
        '  BatchMode yes', '  LogLevel ERROR', '  ConnectTimeout 10', ''].join('\n'));
    }
    const runbookEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
      ...ansibleEnv(cluster.dir), HOME: controllerHome(), SHELL: '/bin/bash', XDG_STATE_HOME: path.join(controllerHome(), 'state'), CI: 'true', ...extra,
    });
    async function runbook(name: string, args: string[], env = runbookEnv()): Promise<RunbookRun> {
      const ran = await runRunbook(name, ['--json', '-', ...args], env, 600_000, controller());
      let parsed: {exitCode: number; steps: StepRun[]};
      try {
        parsed = JSON.parse(ran.stdout);
      } catch {
        throw new Error(`${name} ${args.join(' ')}: exit ${ran.code}, no JSON report: ${ran.stderr.slice(-2000)}`);
      }
      const step = (id: string) => parsed.steps.find((s) => s.id === id) ?? ({id, status: 'absent', exitCode: null, output: ''} as StepRun);
      return {ran, exitCode: parsed.exitCode, steps: parsed.steps, step};
    }
    const fixACluster = (...args: string[]) => runbook('fix-a-cluster', ['--site', served.url, '--inventory', cluster.inventory, '--cluster-entries', CLUSTER, ...args]);
    /** ansible-playbook itself, for what the page shows only in prose (--limit). */
    const playbook = (...args: string[]): Promise<Ran> => runClient('ansible-playbook', [
      '-i', cluster.inventory, 'fix-noproxy.yml', ...args, '-e', `cluster=${CLUSTER}`,
    ], ansibleEnv(cluster.dir), 240_000, controller());
    const recap = (out: string, node: string) => new RegExp(`^${node}\\s+: (.*)$`, 'm').exec(out)?.[1] ?? '';
    // The table task's debug output: `"msg": [` then one JSON string per line, then `]`.
    const table = (out: string): string[] => {
      const lines = out.split('\n');
      const start = lines.findIndex((l, i) => i > lines.findIndex((t) => t.startsWith('TASK [Show the table]')) && l.trim() === '"msg": [');
      const end = lines.findIndex((l, i) => i > start && l.trim() === ']');
      return lines.slice(start + 1, end).map((l) => JSON.parse(l.trim().replace(/,$/, '')) as string);
    };
    const rowOf = (out: string, node: string) => table(out).find((l) => l.startsWith(`${node} `)) ?? '';
    // The step's output is the runbook's, redacted by it; the report file is the playbook's own.
    const noSecret = (run: RunbookRun) => {
      expect(run.ran.stdout + run.ran.stderr).not.toContain(SECRET);
      expect(fs.readFileSync(report(), 'utf8')).not.toContain(SECRET);
    };

    /** Each client's answer from a fresh interactive login shell of the node's user, over SSH. */
    async function probe(node: SshNode, urls: string[]): Promise<Record<string, Record<string, {status: number; body: string}>>> {
      const ran = await cluster.ssh(node, `exec $SHELL -i -c '/usr/bin/python3 ${path.join(cluster.dir, 'probe.py')} ${urls.join(' ')}'`, 120_000);
      const line = ran.stdout.split('\n').find((l) => l.startsWith('PROBE '));
      if (!line) throw new Error(`probe on ${node.name} printed no result (exit ${ran.code}): ${ran.stderr.slice(-500)}`);
      return JSON.parse(line.slice('PROBE '.length));
    }

    it('download, diagnose (lists every node, changes nothing), fix (the reachable ones), --undo (restores every byte); by hand and with pdsh', async () => {
      // 1. download + diagnose (--check): every node a row, the down one with its reason; no startup file changes
      const before = cluster.nodes.map((n) => fileSha256(n.rc));
      {
        const run = await fixACluster('--only', 'download,diagnose', '--yes');
        expect(run.step('download').status, run.step('download').output).toBe('ok');
        expect(fs.readFileSync(path.join(controller(), 'fix-noproxy.yml'))).toEqual(fs.readFileSync(PLAYBOOK));
        expect(fs.readFileSync(path.join(controller(), 'fix-noproxy.mjs'))).toEqual(servedRunbookBytes);
        const out = run.step('diagnose').output;
        expect(run.step('diagnose').exitCode, out).toBe(4); // Ansible's code for unreachable hosts
        expect(run.step('diagnose').status).toBe('failed'); // a check: reported, the run goes on
        expect(run.exitCode).toBe(1);
        expect(cluster.nodes.map((n) => fileSha256(n.rc))).toEqual(before);
        expect(rowOf(out, 'n1')).toMatch(/^n1\s+bash\s+http_proxy,https_proxy=http:\/\/\*\*\*@127\.0\.0\.1:\d+\s+\d+ → 0\s+\d+ → 0\s+~\/\.bashrc: no block\s+no process of yours will send requests for it to a proxy\s+needs the fix/);
        expect(rowOf(out, 'n2')).toMatch(/^n2\s+zsh\s+http_proxy,HTTP_PROXY=http:\/\/127\.0\.0\.1:\d+\s.*~\/\.zshrc: no block\s.*needs the fix/);
        expect(rowOf(out, 'n3')).toMatch(/^n3\s+fish\s+http_proxy,HTTPS_PROXY=http:\/\/127\.0\.0\.1:\d+\s.*~\/\.config\/fish\/config\.fish: no block\s.*needs the fix/);
        // Ansible's own reason, one line. With pipelining (tests/kit/ssh-nodes.mts) it writes the
        // module to ssh's stdin at once, so ssh's "Connection refused" and the write's "Broken pipe"
        // race to be the message.
        expect(rowOf(out, 'n4')).toMatch(/^n4\s+unreachable: .*(Connection refused|Broken pipe)[^\n]*$/);
        expect(rowOf(out, 'n5')).toMatch(/^n5\s+Node\.js is not installed here \(node: not found\)$/);
        for (const node of ['n1', 'n2', 'n3']) expect(recap(out, node)).toMatch(/changed=1 .*failed=0/); // would change
        expect(recap(out, 'n4')).toMatch(/unreachable=1/);
        expect(recap(out, 'n5')).toMatch(/changed=0 .*failed=1/);
        const json = JSON.parse(fs.readFileSync(report(), 'utf8'));
        expect(json.summary).toEqual({nodes: 5, ok: 3, failed: 2});
        noSecret(run);
      }
      // --limit: only the nodes named run and are in the table; beside it (both only read), the
      // page's commands without Ansible: one node by hand (this machine) and pdsh to n1 and n4
      {
        const [ran, launchers] = await Promise.all([
          playbook('--check', '--limit', 'n1,n4'),
          runbook('cluster-without-ansible', ['--cluster-entries', CLUSTER, '--node-addresses', '127.77.0.11,127.77.0.12', '--nodes', 'n1,n4'],
            runbookEnv({http_proxy: `http://${squid}`, PDSH_SSH_ARGS_APPEND: `-F ${sshConfig()}`})),
        ]);
        expect(ran.code, ran.stdout + ran.stderr).toBe(4);
        expect(table(ran.stdout).filter((l) => /^n\d\s/.test(l)).map((l) => l.split(/\s+/)[0])).toEqual(['n1', 'n4']);
        expect(recap(ran.stdout, 'n2')).toBe('');

        const oneNode = launchers.step('one-node');
        expect(oneNode.exitCode, oneNode.output).toBe(1); // the proxy is set and NO_PROXY is not: the problem exists
        expect(oneNode.output).toContain(`note: cluster: ${CLUSTER} kept for the clients that take it; wget, urllib, httpx`);
        expect(oneNode.output).toMatch(/NO_PROXY also lists 127\.77\.0\.11, 127\.77\.0\.12/);
        expect(oneNode.output).toMatch(/what each client does with http:\/\/127\.77\.0\.11:8000\/v1\/models/);
        const pdsh = launchers.step('pdsh');
        expect(pdsh.status, pdsh.output).not.toBe('skipped'); // apt-get install pdsh
        expect(pdsh.exitCode, pdsh.output).toBe(1); // n1 needs the fix, n4 did not report
        expect(pdsh.output).toMatch(/^n1\s+bash\s+http_proxy,https_proxy=http:\/\/\*\*\*@127\.0\.0\.1:\d+\s.*~\/\.bashrc: no block\s.*needs the fix/m);
        expect(pdsh.output).toMatch(/^n4\s+ssh: connect to host 127\.77\.0\.14 port \d+: Connection refused$/m);
        expect(pdsh.output).not.toContain(SECRET);
        expect(JSON.parse(fs.readFileSync(path.join(controller(), 'report.json'), 'utf8')).summary).toEqual({nodes: 2, ok: 1, failed: 1});
        expect(fs.readFileSync(path.join(controller(), 'report.json'), 'utf8')).not.toContain(SECRET);
        expect(cluster.nodes.map((n) => fileSha256(n.rc))).toEqual(before);
      }
      // 2. fix: fixed and verified on the three, the down node reported, Ansible's failure count
      const fixed = await fixACluster('--only', 'fix', '--yes');
      const out = fixed.step('fix').output;
      expect(fixed.step('fix').exitCode, out).toBe(4);
      expect(fixed.exitCode).toBe(1);
      for (const node of ['n1', 'n2', 'n3']) {
        expect(rowOf(out, node)).toMatch(/block written\s.*\sfixed and verified$/);
        expect(recap(out, node)).toMatch(/changed=1 .*unreachable=0 +failed=0/);
      }
      expect(rowOf(out, 'n4')).toMatch(/^n4\s+unreachable: /);
      expect(recap(out, 'n4')).toMatch(/unreachable=1/);
      expect(recap(out, 'n5')).toMatch(/failed=1/);
      noSecret(fixed);
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

      // 3. --undo (the playbook's -e undo=true): every startup file byte-identical to what the user had
      const undone = await fixACluster('--undo', '--yes');
      const undoOut = undone.step('undo').output;
      expect(undone.step('undo').exitCode, undoOut).toBe(4);
      expect(undone.exitCode).toBe(1);
      for (const node of cluster.nodes) expect(fs.readFileSync(node.rc, 'utf8'), node.name).toBe(originals.get(node.rc));
      for (const node of reachable) {
        expect(rowOf(undoOut, node.name)).toMatch(/block removed\s.*\sundone$/);
        expect(recap(undoOut, node.name)).toMatch(/changed=1 .*failed=0/);
      }
      noSecret(undone);
    }, 600_000);
  });
});

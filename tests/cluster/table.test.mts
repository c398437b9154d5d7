// The cluster table from launcher output: pdsh and srun labels, plain concatenated reports, the
// playbook's records; a node without a report is a row with its reason; nothing unredacted.
import {describe, expect, it} from 'vitest';
import {byNode, jsonValues, renderTable, rowsFromText} from '../../src/cluster/table.mts';
import type {NodeReport} from '../../src/cluster/table.mts';

function report(host: string, mode: 'check' | 'run', extra: Partial<NodeReport> = {}): NodeReport {
  const steps = [
    {id: 'variables', kind: 'check', status: 'ok', exitCode: 0, message: ''},
    {id: 'clients', kind: 'check', status: mode === 'check' ? 'failed' : 'ok', exitCode: mode === 'check' ? 1 : 0, message: 'exit 1, expected 0'},
    ...(mode === 'run' ? [{id: 'persist', kind: 'rc-block', status: 'ok', exitCode: null, message: `updated block fix-noproxy-persist in /home/${host}/.bashrc`}] : []),
  ];
  return {
    runbook: 'fix-noproxy', mode: 'run', params: {}, steps, exitCode: mode === 'check' ? 1 : 0,
    node: {
      host, user: host, home: `/home/${host}`, shell: 'zsh',
      startupFile: {file: `/home/${host}/.zshrc`, block: mode === 'run' ? 'present' : 'absent', before: 'absent', changed: mode === 'run'},
      // as the runner writes it: already redacted
      proxyVariables: [{name: 'http_proxy', value: 'http://***@proxy:3128'}, {name: 'HTTPS_PROXY', value: 'http://***@proxy:3128'}],
      noProxy: 'localhost,10.0.0.0/8',
      local: {url: 'http://127.0.0.1:8000', now: ['curl', 'wget'], withFix: []},
      cluster: {url: 'http://10.0.0.2:8000/', now: ['curl', 'wget', 'go'], withFix: []},
    },
    ...extra,
  };
}

describe('jsonValues and byNode', () => {
  it('finds pretty-printed and compact reports and the text around them', () => {
    const text = `noise {"a": "}{"}\n${JSON.stringify({b: 1}, null, 2)}\ntrailing`;
    expect(jsonValues(text)).toEqual({values: [{a: '}{'}, {b: 1}], other: ['noise', 'trailing']});
  });

  it('splits pdsh and srun --label output by node, pdsh\'s own messages included', () => {
    const pretty = JSON.stringify({x: 1}, null, 2).split('\n');
    const text = [...pretty.map((l) => `gpu1: ${l}`), 'pdsh@ctl: gpu2: ssh exited with exit code 255', ...pretty.map((l) => `0: ${l}`)].join('\n');
    const groups = byNode(text);
    expect([...groups.keys()]).toEqual(['gpu1', 'gpu2', '0']);
    expect(JSON.parse(groups.get('gpu1')!)).toEqual({x: 1});
    expect(groups.get('gpu2')).toBe('ssh exited with exit code 255');
  });

  it('reads ssh\'s CRLF messages under pdsh as the node\'s, and gives its reason over pdsh\'s exit line', () => {
    // as pdsh -R ssh prints a node that is down (ssh writes \r\n)
    const text = `gpu2: ssh: connect to host 10.0.3.12 port 22: Connection refused\r\npdsh@ctl: gpu2: ssh exited with exit code 255\n${JSON.stringify(report('gpu1', 'check'), null, 2).split('\n').map((l) => `gpu1: ${l}`).join('\n')}`;
    const rows = rowsFromText(text);
    expect(rows.map((r) => r.node)).toEqual(['gpu2', 'gpu1']);
    expect(rows[0]!.reason).toBe('ssh: connect to host 10.0.3.12 port 22: Connection refused');
  });

  it('reads a report whose lines a stderr line landed among (pdsh carries stdout and stderr apart)', () => {
    const lines = JSON.stringify(report('gpu1', 'check'), null, 2).split('\n');
    const middle = Math.floor(lines.length / 2);
    const mixed = [...lines.slice(0, middle), '[3/7] probe (check) … found (diagnosis) 0.4s: connection refused: Failed to connect to 127.0.0.1 port 8000', ...lines.slice(middle)];
    const rows = rowsFromText(mixed.map((l) => `gpu1: ${l}`).join('\n'));
    expect(rows.map((r) => [r.node, r.ok, r.reason])).toEqual([['gpu1', true, undefined]]);
  });

  it('leaves unlabelled output (kubectl exec in a loop) whole', () => {
    const text = `${JSON.stringify(report('a', 'check'), null, 2)}\n${JSON.stringify(report('b', 'check'))}`;
    expect(rowsFromText(text).map((r) => r.node)).toEqual(['a', 'b']);
  });
});

describe('rows and the table', () => {
  const launcher = [
    {node: 'n1', stdout: JSON.stringify(report('n1', 'run'), null, 2), stderr: 'bash: cannot set terminal process group', rc: 0},
    {node: 'n2', stdout: '', stderr: 'fix-noproxy.mjs: refused: step persist (docs/guides/local-service-proxy.md:40) changes this machine; no terminal to ask, rerun with --yes', rc: 2},
    {node: 'n3', stdout: '', stderr: '/bin/sh: 1: node: not found', rc: 127},
    // Ansible's message with pipelining on: the ssh error keeps its line ending.
    {node: 'n4', unreachable: true, msg: 'Data could not be sent to remote host "127.0.0.1". Make sure this host can be reached over ssh: ssh: connect to host 127.0.0.1 port 9: Connection refused\r\n'},
    {node: 'n5', stdout: 'http_proxy=http://alice:hunter2@proxy:3128 oops', stderr: '', rc: 1},
  ];
  const rows = rowsFromText(launcher.map((r) => JSON.stringify(r)).join('\n'));

  it('makes one row per node: a report, or the reason there is none', () => {
    expect(rows.map((r) => [r.node, r.ok])).toEqual([['n1', true], ['n2', false], ['n3', false], ['n4', false], ['n5', false]]);
    expect(rows[0]).toMatchObject({shell: 'zsh', local: {now: ['curl', 'wget'], withFix: []}, changed: true, result: 'fixed and verified'});
    expect(rows[1]!.reason).toMatch(/^refused: step persist .*rerun with --yes$/);
    expect(rows[2]!.reason).toBe('Node.js is not installed here (node: not found)');
    expect(rows[3]!.reason).toMatch(/^unreachable: .*Connection refused$/);
  });

  it('prints the table with counts, the client names below, and no credential', () => {
    const table = renderTable(rows);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^node\s+shell\s+proxy variables\s+local via proxy\s+cluster via proxy\s+startup file\s+result$/);
    expect(lines[1]).toMatch(/^n1\s+zsh\s+http_proxy,HTTPS_PROXY=http:\/\/\*\*\*@proxy:3128\s+2 → 0\s+3 → 0\s+~\/.zshrc: block written\s+fixed and verified$/);
    expect(table).toContain('n1: cluster via proxy now: curl, wget, go');
    expect(table).not.toMatch(/processes/);
    expect(table).not.toContain('hunter2');
    expect(lines.at(-1)).toBe('5 node(s): 1 reported, 4 not (unreachable, refused or failed)');
  });

  it('shows the processes step when the report has one', () => {
    const withProcesses = report('p', 'check');
    withProcesses.steps.push({id: 'processes', kind: 'check', status: 'ok', exitCode: 0, message: '',
      output: 'running processes that matter for http://127.0.0.1:8000/v1/models:\n  PID 10  tmux (holder, yours): not direct\n1 process(es) of yours will not reach it directly: tmux 10\n'});
    const table = renderTable(rowsFromText(JSON.stringify(withProcesses)));
    expect(table.split('\n')[0]).toContain('processes to restart');
    expect(table).toContain('1 process(es) of yours will not reach it directly: tmux 10');
  });
});

// The verdicts and remedies of `processes` for processes whose environment and cgroup are given:
// a model server inside a Docker container (recreate it with -e), dockerd (its proxy is for pulls),
// a VS Code server, and a Jupyter server whose NO_PROXY already covers the URL.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {classify} from '../../src/env-holders/classify.mts';
import {judgeProcesses, processesReport} from '../../src/env-holders/report.mts';
import type {SeenProcess} from '../../src/env-holders/scan.mts';

const URL = 'http://127.0.0.1:8000/v1/models';
const PROXY = 'http://carol:hunter2@proxy.corp:3128';

function seen(pid: number, argv: string[], env: Record<string, string>, comm = ''): SeenProcess {
  return {...classify(argv, comm)!, pid, uid: 1000, argv, env};
}

describe('processes report', () => {
  let proc: string;
  beforeAll(() => {
    proc = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-proc-'));
    fs.mkdirSync(path.join(proc, '41'));
    fs.writeFileSync(path.join(proc, '41', 'cgroup'), `0::/system.slice/docker-${'a1b2c3d4e5f6'.repeat(5)}abcd.scope\n`);
  });
  afterAll(() => fs.rmSync(proc, {recursive: true, force: true}));

  const home = {HOME: '/home/carol'};
  const verdicts = () => judgeProcesses([
    seen(41, ['python3', '-m', 'vllm.entrypoints.openai.api_server'], {...home, HTTP_PROXY: PROXY, http_proxy: PROXY}),
    seen(42, ['/usr/bin/dockerd'], {HTTPS_PROXY: PROXY}),
    seen(43, ['/home/carol/.vscode-server/bin/abc/node', '/home/carol/.vscode-server/bin/abc/out/server-main.js'], {...home, http_proxy: PROXY}),
    seen(44, ['python3', '/usr/bin/jupyter-lab'], {...home, http_proxy: PROXY, no_proxy: 'localhost,127.0.0.1', NO_PROXY: 'localhost,127.0.0.1'}),
  ], URL, {uid: 1000, env: home}, proc);

  it('a process in a container: recreate it with -e; dockerd: pulls only; VS Code: kill the server; a covered Jupyter server: direct', () => {
    const [vllm, dockerd, vscode, jupyter] = verdicts();
    expect(vllm.outcome).toBe('not-direct');
    expect(vllm.remedy).toEqual([`a running container keeps its environment: recreate container a1b2c3d4e5f6 with -e NO_PROXY='localhost,127.0.0.1,::1,0.0.0.0' -e no_proxy='localhost,127.0.0.1,::1,0.0.0.0' (docker run copies proxies from ~/.docker/config.json: fix-noproxy adds noProxy there)`]);
    expect(dockerd.outcome).toBeNull();
    expect(vscode.remedy[0]).toMatch(/^VS Code Remote keeps the environment of the login that started its server: run "Remote-SSH: Kill VS Code Server on Host".*\(or kill 43\), then reconnect$/);
    expect(jupyter.outcome).toBe('direct');
    expect(jupyter.remedy).toEqual([]);
  });

  it('prints one line each, masks the credentials, and counts only clients and holders', () => {
    const report = processesReport(verdicts(), URL);
    const text = report.lines.join('\n');
    expect(text).not.toContain('hunter2');
    expect(text).toContain('PID 42  Docker daemon (holder, yours): the daemon\'s proxy (http://***@proxy.corp:3128) is used for image pulls only');
    expect(text).toContain('PID 44  Jupyter server (holder, yours): what it starts from now on goes directly');
    expect(report.lines.at(-1)).toBe('1 process(es) of yours will not reach it directly: VS Code server 43');
    expect(report.problem).toBe(true);
  });
});

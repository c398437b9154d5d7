// No Squid outlives its owner: not after Ctrl-C, not after a crash (SIGKILL), not after a failed
// test run. And without Squid, the CLI says how to install it and Squid tests report themselves skipped.
import {describe, expect, it} from 'vitest';
import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, readdirSync, rmSync} from 'node:fs';
import {createInterface} from 'node:readline';
import os from 'node:os';
import path from 'node:path';
import type {StackInfo} from '../../src/stack/index.mts';
import net from 'node:net';
import {startStack} from '../../src/stack/index.mts';
import {bundledEntry} from '../kit/bundled.mts';
import {runClient} from '../kit/processes.mts';
import {describeWithSquid} from '../kit/stack.mts';
import {waitFor} from '../kit/wait.mts';

const ROOT = path.resolve(import.meta.dirname, '../..');
// The stack CLI as `tsx src/stack/cli.mts` runs it, bundled once (tests/kit/bundled.mts).
const STACK_CLI = await bundledEntry('src/stack/cli.mts');
const CLI = [STACK_CLI, '--json', '--port', '0'];

/** Processes (any, including squid and its supervisor) whose command line mentions one of `dirs`. */
function processesUsing(dirs: string[]): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (dirs.some((dir) => cmdline.includes(dir))) found.push(`${pid} ${cmdline}`);
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/** Command lines of this process's direct children. */
function childProcesses(): string[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      try {
        const parent = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
        return parent === process.pid ? [readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')] : [];
      } catch {
        return [];
      }
    });
}

async function waitUntilGone(dirs: string[], timeoutMs = 15_000): Promise<string[]> {
  return (await waitFor(() => processesUsing(dirs), (left) => left.length === 0, timeoutMs, 100)).value;
}

function squidDirs(info: StackInfo): string[] {
  return [info.squid!.remote, info.squid!.forward].map((squid) => path.dirname(squid.configPath));
}

function startCli(env: NodeJS.ProcessEnv = process.env): {child: ChildProcess; info: Promise<StackInfo>; exit: Promise<number | null>} {
  const child = spawn(process.execPath, CLI, {cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe']});
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const info = new Promise<StackInfo>((resolve, reject) => {
    createInterface({input: child.stdout!}).once('line', (line) => resolve(JSON.parse(line)));
    exit.then((code) => reject(new Error(`stack CLI exited with ${code}`)));
  });
  return {child, info, exit};
}

function runVitestFixture(env: NodeJS.ProcessEnv): Promise<{code: number | null; report: {testResults: Array<{assertionResults: Array<{title: string; ancestorTitles: string[]; status: string}>}>}}> {
  const out = mkdtempSync(path.join(os.tmpdir(), 'stack-fixture-'));
  const reportFile = path.join(out, 'report.json');
  const args = ['node_modules/vitest/vitest.mjs', 'run', '--config', 'tests/stack/fixtures/vitest.fixture.config.mts', '--reporter=json', `--outputFile=${reportFile}`];
  const child = spawn(process.execPath, args, {cwd: ROOT, env: {...env, STACK_INFO_OUT: path.join(out, 'stack.json')}, stdio: 'ignore'});
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      const report = JSON.parse(readFileSync(reportFile, 'utf8'));
      const info = existsSync(path.join(out, 'stack.json')) ? readFileSync(path.join(out, 'stack.json'), 'utf8') : '{}';
      rmSync(out, {recursive: true, force: true});
      resolve({code, report: {...report, info: JSON.parse(info)}});
    });
  });
}

describeWithSquid('stack lifecycle', () => {
  it('stops Squid and removes its temp dirs on Ctrl-C (exit 0)', async () => {
    const {child, info, exit} = startCli();
    const dirs = squidDirs(await info);
    expect(processesUsing(dirs).length).toBeGreaterThanOrEqual(2);
    child.kill('SIGINT');
    expect(await exit).toBe(0);
    expect(await waitUntilGone(dirs)).toEqual([]);
    expect(dirs.filter((dir) => existsSync(dir))).toEqual([]);
  });

  it('--json lists the SOCKS5 server and the local proxy; both reach the mock, and SIGKILL takes microsocks along', async () => {
    const {child, info, exit} = startCli();
    const stack = await info;
    expect(stack.localProxy).toEqual({url: stack.squid!.forward.url, port: stack.squid!.forward.port});
    expect(stack.socks?.url).toMatch(/^socks5:\/\/127\.0\.0\.1:\d+$/);
    expect(stack.env.SOCKS_PROXY_URL).toBe(stack.socks!.url);
    for (const proxy of [stack.socks!.url, stack.localProxy!.url]) {
      const ran = await runClient('curl', ['-sS', '--fail', '--max-time', '10', '-x', proxy, `${stack.mockVllm.baseUrl}/models`], process.env);
      expect(JSON.parse(ran.stdout).data[0].id, `${proxy}: ${ran.stderr}`).toBe(stack.mockVllm.model);
    }
    // processesUsing matches command lines, which name microsocks' port.
    const socksServer = [`microsocks -i 127.0.0.1 -p ${stack.socks!.port}`];
    expect(processesUsing(socksServer)).toHaveLength(1);
    const dirs = squidDirs(stack);
    child.kill('SIGKILL');
    await exit;
    expect(await waitUntilGone([...dirs, ...socksServer])).toEqual([]);
  });

  it('leaves no Squid behind when the stack process is killed with SIGKILL', async () => {
    const {child, info, exit} = startCli();
    const dirs = squidDirs(await info);
    child.kill('SIGKILL');
    await exit;
    expect(await waitUntilGone(dirs)).toEqual([]);
    expect(dirs.filter((dir) => existsSync(dir))).toEqual([]);
  });

  it('leaves no Squid behind after a vitest run with a failing test', async () => {
    const {code, report} = await runVitestFixture(process.env);
    expect(code).toBe(1);
    const info = (report as unknown as {info: StackInfo}).info;
    expect(await waitUntilGone(squidDirs(info))).toEqual([]);
  });
});

describeWithSquid('a stack that fails to start', () => {
  it('stops what it had started and leaves no Squid behind', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await expect(startStack({mockPort: port})).rejects.toMatchObject({code: 'EADDRINUSE'});
    } finally {
      blocker.close();
    }
    // Each started Squid was stopped: its supervisor (our child) exits only after Squid has exited.
    expect(childProcesses().filter((command) => command.includes('squid-supervisor'))).toEqual([]);
  });
});

describe('stack CLI usage', () => {
  it.each([
    [['--port', 'eighty'], '--port must be an integer'],
    [['--isolation', 'vm'], '--isolation must be'],
    [['--bogus'], 'unknown option --bogus'],
    [['--port'], '--port needs a value'],
    [['--model', '--json'], '--model needs a value'],
    [['--json=yes'], '--json takes no value'],
    [['extra'], 'unexpected argument "extra"'],
  ])('rejects %j with exit 2, a one-line reason and the usage, starting nothing', async (args, reason) => {
    const {code, stdout, stderr} = await runClient(process.execPath, [STACK_CLI, ...args], process.env, 30_000, ROOT);
    expect({code, stdout}).toEqual({code: 2, stdout: ''});
    const [first, usage] = stderr.split('\n');
    expect(first).toMatch(/^stack: /);
    expect(first).toContain(reason);
    expect(usage).toBe('Usage: npm run stack -- [options]');
  });
});

describe('without Squid', () => {
  const noSquid = {...process.env, SQUID_BIN: '/nonexistent/squid', CI: ''}; // CI=true would make it fatal

  it('the CLI fails with one line saying how to install it (exit 1)', async () => {
    const {info, exit, child} = startCli(noSquid);
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    await expect(info).rejects.toThrow();
    expect(await exit).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('apt-get install -y squid');
  });

  it('Squid-dependent tests report themselves skipped with that reason', async () => {
    const {report} = await runVitestFixture(noSquid);
    const results = report.testResults.flatMap((file) => file.assertionResults);
    const squidTest = results.find((result) => result.title === 'sees the remote Squid');
    expect(squidTest?.status).toBe('skipped');
    expect(squidTest?.ancestorTitles.join(' ')).toMatch(/\(skipped: .*apt-get install -y squid/);
    expect(results.find((result) => result.title === 'records the injected stack')?.status).toBe('passed');
  });
});

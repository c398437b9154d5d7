// The runtime, exercised through real generated runbooks run as child processes (no terminal),
// against a local HTTP server standing in for the model service.
import {createServer, type Server} from 'node:http';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import type {AddressInfo} from 'node:net';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {makeSandbox, type RunbookSandbox} from '../kit/runbooks.mts';

const page = readFileSync('tests/runner/fixtures/demo.md', 'utf8');

let box: RunbookSandbox;
let server: Server;
let url: string;
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    res.writeHead(200, {'content-type': 'application/json'});
    res.end(JSON.stringify({object: 'list', data: [{id: 'served-model', object: 'model'}]}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  box = await makeSandbox(page);
});

afterAll(async () => {
  box?.cleanup();
  await new Promise((resolve) => server?.close(resolve));
});

const demoArgs = () => ['--url', url, '--model', 'served-model', '--rc', join(box.home, '.bashrc')];
const statuses = (json: {steps: {id: string; status: string}[]}) => json.steps.map((s) => `${s.id}:${s.status}`);

describe('runtime', () => {
  it('refuses steps that change the machine without a terminal or --yes, changing nothing', async () => {
    const result = await box.run('demo', demoArgs());
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/refused: step compose .*--yes/);
    expect(existsSync(join(box.dir, 'out/compose.override.yaml'))).toBe(false);
    expect(requests).toEqual([]);
  });

  it('--dry-run prints the steps with the user values and runs nothing', async () => {
    const result = await box.run('demo', [...demoArgs(), '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`export SERVICE_URL=${url}`);
    expect(result.stdout).toContain(`OPENAI_BASE_URL: ${url}/v1`);
    expect(result.stdout).not.toContain('127.0.0.1:8000');
    expect(existsSync(join(box.dir, 'out'))).toBe(false);
    expect(requests).toEqual([]);
  });

  it('runs every kind with the user values and reports each step in JSON', async () => {
    const report = join(box.dir, 'report.json');
    const result = await box.run('demo', [...demoArgs(), '--yes', '--json', report], {env: {DROP_ME: 'x'}});
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // env: SERVICE_URL reached the next step, and so did the unset.
    expect(result.stdout).toContain('served-model');
    expect(result.stdout).toContain('drop_me=unset');
    expect(requests.filter((r) => r === '/v1/models')).toHaveLength(2);
    expect(readFileSync(join(box.dir, 'out/compose.override.yaml'), 'utf8')).toBe(
      `services:\n  app:\n    environment:\n      OPENAI_BASE_URL: ${url}/v1\n`,
    );
    expect(readFileSync(join(box.home, '.bashrc'), 'utf8')).toContain('export NO_PROXY=localhost,127.0.0.1');
    // The doc's text reached bash verbatim: nothing in it was expanded by JavaScript.
    expect(result.stdout).toContain('${NOT_EXPANDED} $(not run) `nor this` \\`');
    expect(result.stdout).toContain('模型 ✓');
    expect(result.stdout).toContain('manual, do it by hand: needs a GPU');
    const json = JSON.parse(readFileSync(report, 'utf8'));
    expect(json.exitCode).toBe(0);
    expect(json.params).toEqual({url, model: 'served-model'});
    expect(statuses(json)).toEqual([
      'setup:ok', 'models:ok', 'py:ok', 'compose:ok', 'persist:ok', 'by-hand:manual', 'tricky:ok',
    ]);
    expect(json.steps[0].source).toBe('docs/test-page.md:18');
    // What the env step exported and unset, and nothing the runner or bash set around it.
    expect(result.stdout).toContain('environment for later steps: SERVICE_URL -DROP_ME\n');
  });

  it('is idempotent, refuses to overwrite a changed file without --force, and undoes its changes', async () => {
    const again = await box.run('demo', [...demoArgs(), '--yes', '--only', 'compose,persist']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already up to date');
    expect(again.stdout).toContain('already in');
    const file = join(box.dir, 'out/compose.override.yaml');
    writeFileSync(file, 'edited by the user\n');
    const refused = await box.run('demo', [...demoArgs(), '--yes', '--only', 'compose']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('exists and differs; rerun with --force');
    expect(readFileSync(file, 'utf8')).toBe('edited by the user\n');
    const forced = await box.run('demo', [...demoArgs(), '--yes', '--force', '--only', 'compose']);
    expect(forced.code).toBe(0);
    const backup = /\(backup: (\S+)\)/.exec(forced.stdout)?.[1];
    expect(backup, forced.stdout).toMatch(/compose\.override\.yaml\.bak-\d{14}$/);
    expect(readFileSync(backup!, 'utf8')).toBe('edited by the user\n');
    const undone = await box.run('demo', [...demoArgs(), '--yes', '--undo']);
    expect(undone.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('edited by the user\n');
    expect(readFileSync(join(box.home, '.bashrc'), 'utf8')).not.toContain('NO_PROXY');
  });

  it('goes on after a failed check, skips a step whose tool is missing, stops at a failed run step', async () => {
    const started = Date.now();
    const result = await box.run('fails', ['--json']);
    expect(result.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(15_000);
    const json = JSON.parse(result.stdout);
    expect(statuses(json)).toEqual(['diagnose:failed', 'missing-tool:skipped', 'slow:failed', 'after:not-run']);
    expect(json.steps[0].output).toContain('the diagnosis');
    expect(json.steps[1].message).toContain('no-such-tool-xyz');
    expect(json.steps[2].message).toContain('timed out');
    expect(result.stderr).toContain('problem remains');
  });

  it('--from and --only run part of a runbook', async () => {
    const from = await box.run('fails', ['--from', 'after', '--json']);
    expect(statuses(JSON.parse(from.stdout))).toEqual(['after:ok']);
    expect(from.code).toBe(0);
    const only = await box.run('fails', ['--only', 'diagnose,after', '--json']);
    expect(statuses(JSON.parse(only.stdout))).toEqual(['diagnose:failed', 'after:ok']);
    expect(only.code).toBe(1);
  });

  it.each([
    [['--url', 'http://127.0.0.1:1/$(touch pwned)'], /--url .*may only contain/],
    [['--url', 'http://127.0.0.1:1/;touch${IFS}pwned'], /--url .*may only contain/],
    [['--model', 'x`touch pwned`'], /--model .*may only contain/],
    [['--only', 'nope'], /unknown step "nope"/],
  ])('rejects %j with exit 2 and one line', async (args, message) => {
    const result = await box.run('demo', [...args, '--dry-run']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(box.dir, 'pwned'))).toBe(false);
  });

  it.each([
    [['--bogus'], 'unknown option --bogus'],
    [['--url'], '--url needs a value'],
    [['--url', '--yes'], '--url needs a value'],
    [['--yes=no'], '--yes takes no value'],
    [['report.json'], 'unexpected argument "report.json"'],
    [['--only', 'a', '--from', 'b'], '--only and --from cannot be combined'],
  ])('rejects the command line %j with exit 2: the problem, then the usage', async (args, problem) => {
    const result = await box.run('demo', [...args, '--dry-run']);
    expect({code: result.code, stdout: result.stdout}).toEqual({code: 2, stdout: ''});
    expect(result.stderr.split('\n')).toEqual([`demo.mjs: ${problem}`, expect.stringMatching(/^Usage: zx \S*demo\.mjs \[options\]/), '']);
  });

  it('redacts proxy credentials in what it prints and writes', async () => {
    const report = join(box.dir, 'secrets.json');
    const result = await box.run('secrets', ['--json', report, '--only', 'show'], {env: {http_proxy: 'http://alice:s3cret@127.0.0.1:3128'}});
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('proxy is http://***@127.0.0.1:3128');
    expect(result.stdout + readFileSync(report, 'utf8')).not.toContain('s3cret');
  });

  it('computes a parameter with its resolver: the user\'s NO_PROXY kept, loopback and --no-proxy hosts added', async () => {
    const env = {NO_PROXY: '.corp.example.com,[::1]'};
    const merged = await box.run('merge', [], {env});
    expect(merged.code).toBe(0);
    expect(merged.stdout).toContain('NO_PROXY=.corp.example.com,localhost,127.0.0.1,::1,0.0.0.0\n');
    expect(merged.stdout).toMatch(/note: dropped \[::1\] from NO_PROXY: .*httpx/);
    const added = await box.run('merge', ['--no-proxy', 'gpu-box.lan'], {env});
    expect(added.stdout).toContain('NO_PROXY=.corp.example.com,localhost,127.0.0.1,::1,0.0.0.0,gpu-box.lan\n');
  });

  it('reports an env block that exits before its environment can be read', async () => {
    const result = await box.run('secrets', ['--only', 'env-exit', '--json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).steps[0].message).toContain('an env block must not call exit');
  });

  it('runs the same under zx as under node, and documents flags and exit codes in --help', async () => {
    const viaZx = await box.run('fails', ['--only', 'after', '--json'], {via: 'zx'});
    expect(viaZx.code).toBe(0);
    expect(statuses(JSON.parse(viaZx.stdout))).toEqual(['after:ok']);
    const help = await box.run('demo', ['--help'], {via: 'zx'});
    expect(help.code).toBe(0);
    for (const flag of ['--dry-run', '--json', '--yes', '--only', '--from', '--force', '--rc', '--undo', '--url', '--model']) {
      expect(help.stdout).toContain(flag);
    }
    expect(help.stdout).toMatch(/2 +usage error/);
  });
});

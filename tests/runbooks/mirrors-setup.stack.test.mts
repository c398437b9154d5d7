// setup-mirrors as a user runs it, in a checkout (a temp copy of compose.yaml and docker/) against
// the local stand-ins: it writes the compose override and the two Dockerfiles with the given
// mirrors, warms the Hugging Face cache from the HF-style endpoint, never touches the repository's
// own files, changes nothing when re-run, refuses a different file without --force, and --undo
// takes back exactly what it wrote. The written files are checked statically: they parse, merge
// with compose.yaml by Compose's rules, and the Dockerfiles resolve inside their build contexts.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {parse} from 'yaml';
import {GO_MODULE, startMirrors, tinyModelFiles, type RunningMirrors} from '../../src/stack/mirrors/index.mts';
import type {RunningServer} from '../../src/stack/mirrors/http.mts';
import {cleanEnv, findHfPython, pip} from '../stack/mirrors-fixtures/clients.mts';
import {proxyEverything} from '../kit/proxy-env.mts';
import {goService} from './mirrors-go.mts';
import {asMapping, codeBlocks, copySources, dockerfileOf, mergeCompose, parseDockerfile, readCompose, type ComposeFile} from './mirrors-static.mts';
import {fingerprints, listTree, repositoryOwnFiles, tempCheckout, type Checkout} from './mirrors-workdir.mts';
import {runClient} from '../kit/processes.mts';
import {jsonReport, REPO, runRunbookIn} from '../kit/runbooks.mts';
import {accessLog, describeWithSquid, settledLog, squidInfo} from '../kit/stack.mts';

const WRITTEN = ['docker-compose.override.yml', 'docker/client.pip-mirror.Dockerfile', 'docker/go-proxy.Dockerfile'];
const hfPython = await findHfPython();

describe('setup-mirrors in a checkout, against the HF and PyPI stand-ins', () => {
  let mirrors: RunningMirrors;
  let goProxy: RunningServer;
  let checkout: Checkout;
  let home: string;
  let env: NodeJS.ProcessEnv;
  let args: string[];
  const ownFiles = repositoryOwnFiles();
  const repoBefore = fingerprints(REPO, ownFiles);
  let checkoutBefore: ReturnType<typeof fingerprints>;
  let treeBefore: string[];

  beforeAll(async () => {
    mirrors = await startMirrors();
    goProxy = mirrors.goProxy;
    checkout = tempCheckout();
    checkoutBefore = fingerprints(checkout.dir, ownFiles);
    treeBefore = listTree(checkout.dir);
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'mirrors-home-'));
    const python: Record<string, string> = hfPython.python === null ? {} : {RUNBOOK_PYTHON: hfPython.python};
    env = cleanEnv({HOME: home, XDG_STATE_HOME: path.join(home, 'state'), SHELL: '/bin/bash', CI: 'true', ...python});
    args = ['--hf-endpoint', mirrors.hf.url, '--hf-repo', mirrors.hf.repoId, '--pip-index', mirrors.pypi.indexUrl, '--goproxy', goProxy.url];
  });
  afterAll(async () => {
    await mirrors?.close();
    checkout?.remove();
    if (home) fs.rmSync(home, {recursive: true, force: true});
  });

  const read = (file: string) => fs.readFileSync(path.join(checkout.dir, file), 'utf8');

  it('--yes writes the three files with the given mirrors and warms the cache (or names the missing huggingface_hub)', async () => {
    const ran = await runRunbookIn(checkout.dir, 'setup-mirrors', ['--yes', '--json', ...args], env);
    const steps = Object.fromEntries(jsonReport(ran).steps.map((s) => [s.id, s]));
    for (const [id, file] of [['compose-override', WRITTEN[0]], ['client-dockerfile', WRITTEN[1]], ['go-dockerfile', WRITTEN[2]]]) {
      expect(steps[id].status, ran.stderr).toBe('ok');
      expect(steps[id].message).toBe(`wrote ${path.join(checkout.dir, file)}`);
    }
    expect(parse(read(WRITTEN[0])).services['mock-vllm'].environment.HF_ENDPOINT).toBe(mirrors.hf.url);
    expect(read(WRITTEN[1])).toContain(`ENV PIP_INDEX_URL=${mirrors.pypi.indexUrl} \\`);
    expect(read(WRITTEN[2])).toContain(`ARG GOPROXY=${goProxy.url},direct\n`);

    if (hfPython.python === null) {
      // Without the client the step stops the run with the guide's install line.
      expect(ran.code).toBe(1);
      expect(steps['warm-cache'].status).toBe('failed');
      expect(steps['warm-cache'].output).toContain('huggingface_hub is not installed: python3 -m pip install -U huggingface_hub');
      return;
    }
    expect(ran.code, ran.stderr).toBe(0);
    const snapshot = steps['warm-cache'].output.trim().split('\n').at(-1)!;
    const commit = mirrors.hf.commits[mirrors.hf.repoId];
    expect(snapshot).toBe(path.join(home, '.cache/huggingface/hub/models--tiny--mini-model/snapshots', commit));
    for (const file of tinyModelFiles()) expect(fs.readFileSync(path.join(snapshot, file.path)), file.path).toEqual(file.bytes);
    expect(mirrors.hf.requests.some((r) => r.path.startsWith(`/${mirrors.hf.repoId}/resolve/`))).toBe(true);
    // The Docker and Kubernetes steps are shown, never run.
    expect(steps['repo-root'].status).toBe('ok');
    const manual = Object.values(steps).filter((s) => s.status === 'manual');
    expect(manual.map((s) => s.id)).toEqual(['compose-config', 'compose-up', 'k8s-containerd-config', 'k8s-hosts-toml', 'k8s-kind-patch', 'k8s-side-load', 'k8s-reachable-registry', 'k8s-pull-through-cache', 'k8s-verify']);
    expect(ran.stderr).toContain('manual, do it by hand: needs a cluster\n');
  }, 120_000);

  it('leaves the repository\'s own files alone, in the checkout and in the repository', () => {
    expect(fingerprints(checkout.dir, ownFiles)).toEqual(checkoutBefore);
    expect(fingerprints(REPO, ownFiles)).toEqual(repoBefore);
    expect(listTree(checkout.dir)).toEqual([...treeBefore, ...WRITTEN].sort());
  });

  it('the repository\'s .gitignore covers what it wrote: in a git checkout, git add -A stages only the repository\'s files', async () => {
    const gitDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mirrors-git-'));
    const git = (...gitArgs: string[]) => runClient('git', [`--git-dir=${gitDir}`, `--work-tree=${checkout.dir}`, ...gitArgs], cleanEnv(), 20_000, checkout.dir);
    try {
      expect((await git('init', '-q')).code).toBe(0);
      expect((await git('add', '-A')).code).toBe(0);
      expect((await git('ls-files')).stdout.trim().split('\n').sort()).toEqual(ownFiles);
      const status = (await git('status', '--porcelain', '--ignored')).stdout.trim().split('\n');
      expect(status.filter((l) => l.startsWith('!! ')).map((l) => l.slice(3)).sort()).toEqual([...WRITTEN].sort());
      expect(status.filter((l) => l.startsWith('?? '))).toEqual([]);
    } finally {
      fs.rmSync(gitDir, {recursive: true, force: true});
    }
  });

  it('the override parses and merges with compose.yaml: existing services, Dockerfiles inside their contexts, ports kept', () => {
    const base = readCompose(path.join(checkout.dir, 'compose.yaml'));
    const override = readCompose(path.join(checkout.dir, WRITTEN[0]));
    for (const name of Object.keys(override.services)) expect(Object.keys(base.services), `service ${name}`).toContain(name);
    const merged: ComposeFile = mergeCompose(base, override);
    const vllm = merged.services['mock-vllm'];
    expect(vllm.ports).toEqual(base.services['mock-vllm'].ports);
    expect(vllm.command).toEqual(base.services['mock-vllm'].command);
    expect(vllm.volumes).toEqual([{source: '~/.cache/huggingface/hub', target: '/hf-cache', read_only: false}]);
    expect(asMapping(vllm.environment)).toEqual({HF_ENDPOINT: mirrors.hf.url, HF_HUB_CACHE: '/hf-cache'});
    const client = merged.services.client;
    expect(client.build).toEqual({context: 'docker', dockerfile: 'client.pip-mirror.Dockerfile'});
    expect(client.network_mode).toBe('service:mock-vllm');
    expect(client.profiles).toEqual(['client']);
    expect(asMapping(client.environment)).toEqual(asMapping(base.services.client.environment));
    for (const [name, service] of Object.entries(merged.services)) {
      const dockerfile = dockerfileOf(service, checkout.dir);
      if (dockerfile === null) continue;
      expect(fs.existsSync(dockerfile), `${name}: ${dockerfile}`).toBe(true);
      expect(parseDockerfile(fs.readFileSync(dockerfile, 'utf8'))[0].keyword).toBe('FROM');
    }
    expect(dockerfileOf(client, checkout.dir)).toBe(path.join(checkout.dir, WRITTEN[1]));
  });

  it('the pip-mirror Dockerfile\'s index is one pip really installs from', async () => {
    const instructions = parseDockerfile(read(WRITTEN[1]));
    expect(instructions.map((i) => i.keyword)).toEqual(['FROM', 'RUN', 'ENV', 'RUN', 'CMD']);
    const envLine = instructions.find((i) => i.keyword === 'ENV')!.args;
    const index = /PIP_INDEX_URL=(\S+)/.exec(envLine)![1];
    const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'mirrors-pip-'));
    try {
      const ran = await pip(['download', '--no-deps', '--index-url', index, '--dest', dest, 'tinypkg'], cleanEnv());
      expect(ran.code, ran.stderr).toBe(0);
      expect(fs.readdirSync(dest)).toEqual(['tinypkg-0.1.0-py3-none-any.whl']);
    } finally {
      fs.rmSync(dest, {recursive: true, force: true});
    }
  }, 120_000);

  it('the Go Dockerfile\'s build stage, run on this host with its ARG values, fetches the module through the proxy and builds', async () => {
    const instructions = parseDockerfile(read(WRITTEN[2]));
    expect(instructions.filter((i) => i.keyword === 'FROM').map((i) => i.args)).toEqual(['golang:1.24 AS build', 'scratch']);
    const stage = instructions.slice(0, instructions.findIndex((i, n) => n > 0 && i.keyword === 'FROM'));
    const argDefaults = Object.fromEntries(stage.filter((i) => i.keyword === 'ARG').map((i) => [i.args.slice(0, i.args.indexOf('=')), i.args.slice(i.args.indexOf('=') + 1)]));
    expect(argDefaults).toEqual({GOPROXY: `${goProxy.url},direct`, GOSUMDB: 'sum.golang.google.cn'});
    const envLine = stage.find((i) => i.keyword === 'ENV')!.args;
    const stageEnv = Object.fromEntries(envLine.split(/\s+/).map((pair) => pair.split('=')).map(([k, v]) => [k, v.replace(/^\$(\w+)$/, (_, name: string) => argDefaults[name])]));
    const service = await goService(goProxy.url);
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'mirrors-go-bare-'));
    try {
      // COPY finds its sources in the service's context, and in a module without dependencies (no go.sum).
      fs.writeFileSync(path.join(bare, 'go.mod'), 'module example.com/bare\n\ngo 1.19\n');
      const copies = stage.filter((i) => i.keyword === 'COPY');
      expect(copies.map((i) => copySources(i.args, service.dir))).toEqual([['go.mod', 'go.sum'], ['.']]);
      expect(copySources(copies[0].args, bare)).toEqual(['go.mod']);
      const before = goProxy.requests.length;
      const runs = stage.filter((i) => i.keyword === 'RUN').map((i) => i.args.replaceAll('/out/', `${service.dir}/out/`));
      for (const command of runs) {
        const ran = await runClient('sh', ['-c', command], service.env(stageEnv), 120_000, service.dir);
        expect(ran.code, `${command}: ${ran.stderr}`).toBe(0);
        if (command.startsWith('go env')) expect(ran.stdout).toBe(`${goProxy.url},direct\nsum.golang.google.cn\n`);
      }
      expect(goProxy.requests.slice(before).map((r) => r.path)).toContain(`/${GO_MODULE.path}/@v/${GO_MODULE.version}.zip`);
      const built = await runClient(path.join(service.dir, 'out', 'service'), [], cleanEnv());
      expect(built.stdout).toBe('mirror\n');
    } finally {
      service.remove();
      fs.rmSync(bare, {recursive: true, force: true});
    }
  }, 180_000);

  it('every compose fragment of the guide names services of compose.yaml or the reader\'s own (vllm, my-go-service) and Dockerfiles that resolve', () => {
    const base = readCompose(path.join(checkout.dir, 'compose.yaml'));
    const fragments = codeBlocks(fs.readFileSync(path.join(REPO, 'docs/guides/restricted-networks.md'), 'utf8'))
      .filter((b) => b.lang === 'yaml' && /^services:/m.test(b.value))
      .map((b) => ({line: b.line, compose: parse(b.value) as ComposeFile}));
    expect(fragments.length).toBeGreaterThanOrEqual(4);
    for (const {line, compose} of fragments) {
      const merged = mergeCompose(base, compose);
      expect(merged.services['mock-vllm'].ports, `line ${line}`).toEqual(base.services['mock-vllm'].ports);
      for (const [name, service] of Object.entries(compose.services)) {
        if (name === 'vllm') {
          // The reader's own vLLM service: an image (nothing to build), the documented mounts.
          expect(service.build, `line ${line}`).toBeUndefined();
          expect((service as {volumes?: string[]}).volumes?.length, `line ${line}`).toBeGreaterThan(0);
          continue;
        }
        if (!(name in base.services)) {
          expect(name, `line ${line}: a service not in compose.yaml`).toBe('my-go-service');
          expect(dockerfileOf(service, checkout.dir), `line ${line}`).toBe(path.join(checkout.dir, WRITTEN[2]));
          continue;
        }
        const dockerfile = dockerfileOf(merged.services[name], checkout.dir);
        if (dockerfile !== null) expect(fs.existsSync(dockerfile), `line ${line}: ${dockerfile}`).toBe(true);
      }
    }
  });

  it('a re-run of the same command changes nothing: same bytes, same mtimes, same state file', async () => {
    const state = path.join(home, 'state', 'llm-network-runbooks', 'setup-mirrors.json');
    const before = {files: fingerprints(checkout.dir, WRITTEN), state: fs.readFileSync(state, 'utf8'), tree: listTree(checkout.dir)};
    const ran = await runRunbookIn(checkout.dir, 'setup-mirrors', ['--yes', ...args], env);
    expect(ran.code, ran.stderr).toBe(hfPython.python === null ? 1 : 0); // without huggingface_hub, warm-cache fails again
    for (const file of WRITTEN) expect(ran.stdout).toContain(`${path.join(checkout.dir, file)} already up to date`);
    expect({files: fingerprints(checkout.dir, WRITTEN), state: fs.readFileSync(state, 'utf8'), tree: listTree(checkout.dir)}).toEqual(before);
  }, 120_000);

  it('another endpoint without --force is refused and leaves the file as it was', async () => {
    const before = fingerprints(checkout.dir, WRITTEN);
    const ran = await runRunbookIn(checkout.dir, 'setup-mirrors', ['--yes', '--only', 'compose-override', ...args, '--hf-endpoint', 'https://hf-mirror.com'], env);
    expect(ran.code).toBe(1);
    expect(ran.stdout).toContain(`${path.join(checkout.dir, WRITTEN[0])} exists and differs; rerun with --force (a backup is kept)`);
    expect(fingerprints(checkout.dir, WRITTEN)).toEqual(before);
  }, 60_000);

  it('--undo removes the three files it created and nothing else', async () => {
    const ran = await runRunbookIn(checkout.dir, 'setup-mirrors', ['--undo', '--yes'], env);
    expect(ran.code, ran.stderr).toBe(0);
    for (const file of WRITTEN) expect(ran.stdout).toContain(`removed: ${path.join(checkout.dir, file)}`);
    expect(listTree(checkout.dir)).toEqual(treeBefore);
    expect(fingerprints(checkout.dir, ownFiles)).toEqual(checkoutBefore);
  }, 60_000);
});

describeWithSquid('setup-mirrors warms the cache through the forward Squid', () => {
  it.skipIf(hfPython.python === null)('warm-cache with the proxy variables set: huggingface_hub fetches every file through Squid', async () => {
    const mirrors = await startMirrors();
    const checkout = tempCheckout();
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mirrors-home-'));
    try {
      const env = cleanEnv({HOME: home, XDG_STATE_HOME: path.join(home, 'state'), CI: 'true', RUNBOOK_PYTHON: hfPython.python ?? '', ...proxyEverything(squidInfo().forward.url)});
      const mark = accessLog('forward').mark();
      const ran = await runRunbookIn(checkout.dir, 'setup-mirrors', ['--yes', '--only', 'warm-cache', '--hf-endpoint', mirrors.hf.url, '--hf-repo', mirrors.hf.repoId], env);
      expect(ran.code, ran.stdout).toBe(0);
      const snapshot = path.join(home, '.cache/huggingface/hub/models--tiny--mini-model/snapshots', mirrors.hf.commits[mirrors.hf.repoId]);
      for (const file of tinyModelFiles()) expect(fs.readFileSync(path.join(snapshot, file.path)), file.path).toEqual(file.bytes);
      const fileGets = mirrors.hf.requests.filter((r) => r.method === 'GET' && r.path.includes('/resolve/'));
      expect(fileGets.length).toBe(tinyModelFiles().length);
      expect(fileGets.every((r) => /squid/i.test(r.via ?? ''))).toBe(true);
      const logged = (await settledLog('forward', mark)).map((e) => e.url);
      for (const r of fileGets) expect(logged).toContain(`${mirrors.hf.url}${r.path}`);
    } finally {
      await mirrors.close();
      checkout.remove();
      fs.rmSync(home, {recursive: true, force: true});
    }
  }, 120_000);
});

describe('setup-mirrors outside a checkout', () => {
  it('stops at its first step, exit 1, naming the repository root, and writes nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mirrors-elsewhere-'));
    // The runner's state (and its lock) lives outside the working directory, which must stay empty.
    const state = fs.mkdtempSync(path.join(os.tmpdir(), 'mirrors-elsewhere-state-'));
    try {
      const env = cleanEnv({HOME: state, XDG_STATE_HOME: state, CI: 'true'});
      const ran = await runRunbookIn(dir, 'setup-mirrors', ['--yes', '--json'], env);
      expect(ran.code).toBe(1);
      const [first, ...rest] = jsonReport(ran).steps;
      expect([first.id, first.status, first.output]).toEqual(['repo-root', 'failed', `no compose.yaml in ${dir}: run setup-mirrors from the repository root\n`]);
      expect(new Set(rest.map((s) => s.status))).toEqual(new Set(['not-run']));
      expect(ran.stderr).toContain('problem remains: repo-root failed');
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      fs.rmSync(dir, {recursive: true, force: true});
      fs.rmSync(state, {recursive: true, force: true});
    }
  });
});

describe('setup-mirrors next to a docker-compose.override.yml of the user\'s own', () => {
  it('refuses it, replaces it with --force keeping a backup, and --undo brings it back byte for byte', async () => {
    const checkout = tempCheckout();
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mirrors-home-'));
    const env = cleanEnv({HOME: home, XDG_STATE_HOME: path.join(home, 'state'), CI: 'true'});
    const mine = 'services:\n  mock-vllm:\n    environment:\n      - DEBUG=1\n';
    const override = path.join(checkout.dir, WRITTEN[0]);
    const only = ['--yes', '--only', 'compose-override'];
    try {
      fs.writeFileSync(override, mine);
      const refused = await runRunbookIn(checkout.dir, 'setup-mirrors', only, env);
      expect(refused.code).toBe(1);
      expect(fs.readFileSync(override, 'utf8')).toBe(mine);

      const forced = await runRunbookIn(checkout.dir, 'setup-mirrors', [...only, '--force'], env);
      expect(forced.code, forced.stderr).toBe(0);
      expect(forced.stdout).toContain(`wrote ${override}`);
      const backup = /\(backup: (\S+)\)/.exec(forced.stdout)?.[1];
      expect(backup, forced.stdout).toMatch(/\.bak-\d{14}$/);
      expect(fs.readFileSync(backup!, 'utf8')).toBe(mine);
      expect(parse(fs.readFileSync(override, 'utf8')).services['mock-vllm'].environment.HF_ENDPOINT).toBe('https://hf-mirror.com');

      const undo = await runRunbookIn(checkout.dir, 'setup-mirrors', ['--undo', '--yes'], env);
      expect(undo.code, undo.stderr).toBe(0);
      expect(undo.stdout).toContain(`restored: ${override}`);
      expect(fs.readFileSync(override, 'utf8')).toBe(mine);
      expect(fs.existsSync(backup!)).toBe(false);
    } finally {
      checkout.remove();
      fs.rmSync(home, {recursive: true, force: true});
    }
  }, 120_000);
});

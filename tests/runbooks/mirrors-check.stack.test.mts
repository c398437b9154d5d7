// check-mirrors as a user runs it, with HF_ENDPOINT, PIP_INDEX_URL, GOPROXY and the npm registry
// pointing at local stand-ins: every probe passes directly and through the stack's forward Squid
// (its access log and the stand-ins' Via headers show which way each request went); a mirror that
// is down, or a proxy that swallows requests (the blackhole), fails the run with exit 1, naming the
// probe and the guide's advice.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {listen, type RunningServer} from '../../src/stack/mirrors/http.mts';
import {GO_MODULE, startMirrors, type RunningMirrors} from '../../src/stack/mirrors/index.mts';
import {cleanEnv} from '../stack/mirrors-fixtures/clients.mts';
import {proxyEverything} from '../kit/proxy-env.mts';
import {type Ran} from '../kit/processes.mts';
import {jsonReport, REPO, runRunbookIn, type StepResult} from '../kit/runbooks.mts';
import {accessLog, describeWithSquid, settledLog, squidInfo, stackInfo} from '../kit/stack.mts';

const GUIDE = fs.readFileSync(path.join(REPO, 'docs/guides/restricted-networks.md'), 'utf8');
const PROBES = ['probe-hf', 'probe-pip', 'probe-goproxy', 'probe-npm'] as const;
type Probe = (typeof PROBES)[number];

/** A port nothing listens on: bound once, then released. */
async function closedPortUrl(): Promise<string> {
  const server = await listen(() => {});
  await server.close();
  return server.url;
}

describe('check-mirrors against the stand-ins', () => {
  let mirrors: RunningMirrors;
  let goProxy: RunningServer;
  let npm: RunningServer;
  let home: string;
  let probeUrls: Record<Probe, string>;

  beforeAll(async () => {
    mirrors = await startMirrors();
    ({goProxy, npm} = mirrors);
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'mirrors-check-'));
    probeUrls = {
      'probe-hf': `${mirrors.hf.url}/api/models/${mirrors.hf.repoId}/revision/main`,
      'probe-pip': `${mirrors.pypi.indexUrl}tinypkg/`,
      'probe-goproxy': `${goProxy.url}/${GO_MODULE.path}/@v/list`,
      'probe-npm': `${npm.url}/`,
    };
  });
  afterAll(async () => {
    await mirrors?.close();
    if (home) fs.rmSync(home, {recursive: true, force: true});
  });

  /** The user's settings: every mirror variable set to a stand-in, plus `extra` (proxy variables, a broken mirror). */
  function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return cleanEnv({
      HOME: home,
      XDG_STATE_HOME: path.join(home, 'state'),
      CI: 'true',
      GOTOOLCHAIN: 'local',
      HF_ENDPOINT: mirrors.hf.url,
      PIP_INDEX_URL: mirrors.pypi.indexUrl,
      GOPROXY: `${goProxy.url},direct`,
      npm_config_registry: `${npm.url}/`,
      ...extra,
    });
  }

  async function checkMirrors(env: NodeJS.ProcessEnv, extraArgs: string[] = []): Promise<{ran: Ran; steps: Record<string, StepResult>}> {
    const ran = await runRunbookIn(home, 'check-mirrors', ['--hf-repo', mirrors.hf.repoId, '--pip-project', 'tinypkg', '--json', ...extraArgs], env);
    return {ran, steps: Object.fromEntries(jsonReport(ran).steps.map((s) => [s.id, s]))};
  }

  // The cases after the first check the settings table and the probes; the other steps (the cache
  // listing, pip config, go env, npm config) are the first case's, so they run there only.
  const PROBES_ONLY = ['--only', ['show-env', ...PROBES].join(',')];

  const summary = (probe: Probe, direct: string, proxied: string) => `direct HTTP ${direct}, with your proxy settings HTTP ${proxied} (${probeUrls[probe]})`;

  it('directly: the settings are listed and every probe answers 200 both ways', async () => {
    const {ran, steps} = await checkMirrors(userEnv());
    expect(ran.code, ran.stderr).toBe(0);
    expect(Object.values(steps).every((s) => s.status === 'ok' || s.status === 'skipped')).toBe(true);
    expect(steps['show-env'].output).toMatch(new RegExp(`^HF_ENDPOINT +${mirrors.hf.url}$`, 'm'));
    expect(steps['show-env'].output).toMatch(new RegExp(`^PIP_INDEX_URL +${mirrors.pypi.indexUrl}$`, 'm'));
    expect(JSON.parse(steps['go-env'].output).GOPROXY).toBe(`${goProxy.url},direct`);
    expect(steps['npm-registry'].output).toContain(`${npm.url}/`);
    for (const probe of PROBES) expect(steps[probe].output).toContain(summary(probe, '200', '200'));
    for (const server of [mirrors.hf, mirrors.pypi, goProxy, npm]) expect(server.requests.every((r) => r.via === null)).toBe(true);
  }, 90_000);

  it('with no variables set, the --hf-endpoint, --pip-index and --goproxy flags are what it probes', async () => {
    const env = userEnv();
    for (const name of ['HF_ENDPOINT', 'PIP_INDEX_URL', 'GOPROXY']) delete env[name];
    const flags = ['--hf-endpoint', mirrors.hf.url, '--pip-index', mirrors.pypi.indexUrl, '--goproxy', goProxy.url];
    const {ran, steps} = await checkMirrors(env, [...flags, ...PROBES_ONLY]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(steps['show-env'].output).toMatch(/^HF_ENDPOINT +\(not set\)$/m);
    for (const probe of PROBES) expect(steps[probe].output).toContain(summary(probe, '200', '200'));
  }, 90_000);

  describeWithSquid('through the forward Squid', () => {
    it('every probe answers 200 through the proxy, which Squid logs and the stand-ins see as proxied', async () => {
      const mark = accessLog('forward').mark();
      const served = [mirrors.hf, mirrors.pypi, goProxy, npm].map((s) => s.requests.length);
      const {ran, steps} = await checkMirrors(userEnv(proxyEverything(squidInfo().forward.url)), PROBES_ONLY);
      expect(ran.code, ran.stderr).toBe(0);
      for (const probe of PROBES) expect(steps[probe].output).toContain(summary(probe, '200', '200'));
      const logged = (await settledLog('forward', mark)).map((e) => `${e.method} ${e.status} ${e.url}`);
      for (const probe of PROBES) expect(logged).toContain(`GET 200 ${probeUrls[probe]}`);
      // Each stand-in got the probe twice: once direct (curl --noproxy '*'), once through Squid.
      [mirrors.hf, mirrors.pypi, goProxy, npm].forEach((server, i) => {
        const requests = server.requests.slice(served[i]);
        expect(requests.map((r) => r.via === null)).toEqual([true, false]);
        expect(requests[1].via).toMatch(/squid/i);
      });
    }, 90_000);
  });

  it('a mirror that is down fails its probe with exit 1, the guide\'s advice and the failing probe named', async () => {
    const down = await closedPortUrl();
    const {ran, steps} = await checkMirrors(userEnv({HF_ENDPOINT: down, PIP_INDEX_URL: `${down}/simple/`}), PROBES_ONLY);
    expect(ran.code).toBe(1);
    expect(steps['probe-hf'].status).toBe('failed');
    expect(steps['probe-hf'].output).toContain(`direct HTTP 000, with your proxy settings HTTP 000 (${down}/api/models/${mirrors.hf.repoId}/revision/main)`);
    expect(steps['probe-hf'].output).toContain("advice: see 'Model downloads still fail or crawl' under Troubleshooting");
    expect(steps['probe-pip'].status).toBe('failed');
    expect(steps['probe-pip'].output).toContain("advice: see 'pip is still slow or fails' under Troubleshooting");
    expect(steps['probe-goproxy'].status).toBe('ok');
    expect(steps['probe-npm'].status).toBe('ok');
    expect(ran.stderr).toMatch(/problem remains: .*probe-hf.*probe-pip/);
  }, 90_000);

  it('a proxy that swallows requests: direct 200, proxied 000 after the 5 s limit, the probes failing with their advice', async () => {
    // Two probes (the two advice lines the mirror-down case does not show): each waits out its 5 s limit.
    const probes: Probe[] = ['probe-goproxy', 'probe-npm'];
    const {ran, steps} = await checkMirrors(userEnv(proxyEverything(stackInfo().blackhole.url)), ['--only', probes.join(',')]);
    expect(ran.code).toBe(1);
    expect(Object.keys(steps)).toEqual(probes);
    for (const probe of probes) {
      expect(steps[probe].status, probe).toBe('failed');
      expect(steps[probe].output).toContain(summary(probe, '200', '000'));
    }
    expect(steps['probe-goproxy'].output).toContain("advice: see 'Go modules still time out' under Troubleshooting");
    expect(steps['probe-npm'].output).toContain('advice: set another registry with npm config set registry URL');
    expect(ran.stderr).toMatch(/problem remains: .*probe-goproxy.*probe-npm/);
  }, 90_000);

  it('each advice names a Troubleshooting section the guide has, and the guide explains direct 200 / proxied 000', () => {
    const sections = [...GUIDE.matchAll(/advice: see '([^']+)' under Troubleshooting/g)].map((m) => m[1]);
    expect(sections.length).toBe(3);
    const troubleshooting = GUIDE.slice(GUIDE.indexOf('## 6. Troubleshooting'));
    const headings = [...troubleshooting.matchAll(/^### (.+?)(?: \{\/\* #[a-z0-9-]+ \*\/\})?$/gm)].map((m) => m[1]);
    for (const section of sections) expect(headings).toContain(section);
    expect(troubleshooting).toContain('Direct `200` but `000` with your proxy settings: the proxy blocks the mirror.');
  });

  it('each advice links its section on the English and the Chinese page, by an id both pages give that heading', () => {
    const zh = fs.readFileSync(path.join(REPO, 'i18n/zh-Hans/docusaurus-plugin-content-docs/current/guides/restricted-networks.md'), 'utf8');
    const links = [...GUIDE.matchAll(/advice: see '([^']+)' under Troubleshooting:"\n\s*echo " {2}(\S+) \(中文: (\S+)\)"/g)];
    expect(links.length).toBe(3);
    for (const [, section, en, chinese] of links) {
      const anchor = en.slice(en.indexOf('#') + 1);
      expect(en).toMatch(/^https:\/\/[^/]+\/guides\/restricted-networks#/);
      expect(chinese).toBe(en.replace('/guides/', '/zh-Hans/guides/'));
      expect(GUIDE).toContain(`### ${section} {/* #${anchor} */}`);
      expect(zh).toMatch(new RegExp(`^### .+ \\{/\\* #${anchor} \\*/\\}$`, 'm'));
    }
  });
});

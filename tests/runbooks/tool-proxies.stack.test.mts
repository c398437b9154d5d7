// tool-proxies: the proxy guide's settings for tools with their own proxy and CA configuration, run
// with --yes in a temp HOME. git's http.proxy then sends git through the forward Squid (its access
// log shows the request) while no_proxy still exempts the host; npm, pip and git hold what the page
// says; apt-config reads the page's apt file; the startup file gets the CA variables; and the page's
// undo commands take every setting back.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {runClient} from '../kit/processes.mts';
import {REPO, jsonReport, runRunbook, tempHome, type Home} from '../kit/runbooks.mts';
import {accessLog, describeWithSquid, settledLogFor, squidInfo, stackInfo} from '../kit/stack.mts';

const page = fs.readFileSync(path.join(REPO, 'docs/guides/local-service-proxy.md'), 'utf8');
const aptFile = page.match(/```text kind=manual[^\n]*\n(Acquire::http::Proxy[\s\S]*?)```/)![1];
const CA = '/etc/ssl/certs/ca-certificates.crt';

describeWithSquid('tool-proxies in a temp HOME, with the forward Squid as the proxy', () => {
  let home: Home;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    home = tempHome({});
    env = {...home.env, XDG_CONFIG_HOME: path.join(home.dir, '.config'), APT_CONFIG: path.join(home.dir, 'apt.conf'), GIT_TERMINAL_PROMPT: '0'};
    // Only this HOME's configuration: no npm, pip or git settings inherited from the test run.
    for (const name of Object.keys(env)) if (/^(npm_config_|PIP_|GIT_CONFIG)/i.test(name)) delete env[name];
    fs.writeFileSync(path.join(home.dir, 'apt.conf'), aptFile);
  });
  afterAll(() => home?.remove());

  it('writes git\'s, npm\'s and pip\'s settings and the CA variables; git goes through the proxy unless no_proxy names the host; the undo commands take them back', async () => {
    const proxy = squidInfo().forward.url;
    const ran = await runRunbook('tool-proxies', ['--yes', '--json', '--rc', home.rc, '--proxy', proxy, '--ca', CA], env, 120_000);
    const report = jsonReport(ran);
    expect(report.steps.map((s) => [s.id, s.status]), ran.stdout.slice(-3000)).toEqual(
      ['encode-password', 'git-proxy', 'npm-proxy', 'apt-proxy', 'ca-env', 'ca-config'].map((id) => [id, 'ok']));
    const steps = Object.fromEntries(report.steps.map((s) => [s.id, s]));
    expect(steps['git-proxy'].output.trim().split('\n').at(-1)).toBe(proxy);
    expect(steps['npm-proxy'].output.trim().split('\n').at(-1)).toBe(proxy);
    expect(steps['apt-proxy'].output).toContain('Acquire::http::Proxy "http://proxy.example.com:3128";');
    expect(steps['apt-proxy'].output).toContain('Acquire::https::Proxy "http://proxy.example.com:3128";');
    expect(fs.readFileSync(path.join(home.dir, '.npmrc'), 'utf8')).toContain('noproxy=localhost,127.0.0.1,::1,0.0.0.0');
    expect(fs.readFileSync(path.join(home.dir, '.config/pip/pip.conf'), 'utf8')).toContain(`cert = ${CA}`);
    const rc = fs.readFileSync(home.rc, 'utf8');
    for (const name of ['REQUESTS_CA_BUNDLE', 'SSL_CERT_FILE', 'NODE_EXTRA_CA_CERTS']) expect(rc).toContain(`export ${name}=${CA}`);

    // git reads http.proxy from the configuration just written, with no proxy variable set.
    const repo = `${stackInfo().mockVllm.url}/models.git`;
    const mark = accessLog('forward').mark();
    await runClient('git', ['ls-remote', repo], env, 30_000, home.dir);
    expect((await settledLogFor('forward', mark, stackInfo().mockVllm.url)).map((e) => e.url)).toContainEqual(expect.stringContaining('/models.git/info/refs'));
    const exempt = accessLog('forward').mark();
    await runClient('git', ['ls-remote', repo], {...env, no_proxy: '127.0.0.1', NO_PROXY: '127.0.0.1'}, 30_000, home.dir);
    expect(await settledLogFor('forward', exempt, stackInfo().mockVllm.url)).toEqual([]);

    for (const undo of ['git config --global --unset http.proxy', 'npm config delete proxy https-proxy noproxy', 'pip config unset global.cert', 'git config --global --unset http.sslCAInfo']) {
      expect(page).toContain(undo);
      const ran = await runClient('sh', ['-c', undo], env, 60_000, home.dir);
      expect(ran.code, `${undo}: ${ran.stderr}`).toBe(0);
    }
    expect(fs.readFileSync(path.join(home.dir, '.gitconfig'), 'utf8')).not.toMatch(/proxy|sslCAInfo/);
    const npmrc = path.join(home.dir, '.npmrc'); // npm deletes the file once its last key is gone
    expect(fs.existsSync(npmrc) ? fs.readFileSync(npmrc, 'utf8') : '').not.toMatch(/proxy/);
  }, 180_000);
});

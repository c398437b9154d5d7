// through-a-proxy (restricted-networks guide, "Only an HTTP proxy") on a network where the proxy is
// the only way out: the PyPI and Hugging Face stand-ins are reachable only under host names that
// no resolver but this file's own Squid knows (its hosts_file), so a request that does not go
// through the proxy cannot even look the name up. The Squid wants a user and password (one with
// @, : and #, percent-encoded in --proxy and never printed). The runbook's env step sets the proxy
// given with --proxy, and its check fetches the pip index and the Hub through it; without the
// password Squid answers 407, for a host it denies 403, and the run fails.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startMirrors, type RunningMirrors} from '../../src/stack/mirrors/index.mts';
import {startSquid, type SquidProxy} from '../../src/stack/squid.mts';
import {cleanEnv} from '../stack/mirrors-fixtures/clients.mts';
import {jsonReport, runRunbookIn} from '../kit/runbooks.mts';

const USER = 'alice';
const PASSWORD = 'thr0ugh@S3c:ret#';
const PYPI_HOST = 'pypi.only-via-proxy.test';
const HF_HOST = 'hf.only-via-proxy.test';
const DENIED_HOST = 'denied.only-via-proxy.test';

describe('through-a-proxy: the proxy is the only way out', () => {
  let dir: string;
  let mirrors: RunningMirrors;
  let squid: SquidProxy;
  let pipIndex: string;
  let hfEndpoint: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'through-a-proxy-'));
    mirrors = await startMirrors();
    squid = await startSquid({
      mode: 'forward',
      hosts: {[PYPI_HOST]: '127.0.0.1', [HF_HOST]: '127.0.0.1', [DENIED_HOST]: '127.0.0.1'},
      basicAuth: {user: USER, password: PASSWORD},
      extraRules: [
        `acl denied_mirror dstdomain ${DENIED_HOST}`,
        'http_access deny denied_mirror',
      ],
    });
    pipIndex = `http://${PYPI_HOST}:${mirrors.pypi.port}/simple/`;
    hfEndpoint = `http://${HF_HOST}:${mirrors.hf.port}`;
  }, 60_000);
  afterAll(async () => {
    await Promise.all([squid?.stop(), mirrors?.close()]);
    if (dir) fs.rmSync(dir, {recursive: true, force: true});
  });

  const proxyUrl = () => `http://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${squid.port}`;
  const noSecret = (ran: Awaited<ReturnType<typeof run>>) => {
    for (const secret of ['thr0ugh', encodeURIComponent(PASSWORD)]) expect(ran.stdout + ran.stderr).not.toContain(secret);
  };
  const userEnv = (endpoint: string) =>
    cleanEnv({HOME: dir, XDG_STATE_HOME: path.join(dir, 'state'), CI: 'true', PIP_INDEX_URL: pipIndex, HF_ENDPOINT: endpoint});
  const run = (endpoint: string, args: string[]) =>
    runRunbookIn(dir, 'through-a-proxy', ['--pip-project', 'tinypkg', '--hf-repo', mirrors.hf.repoId, '--json', ...args], userEnv(endpoint));
  const probeOutput = (ran: Awaited<ReturnType<typeof run>>) => jsonReport(ran).steps.find((s) => s.id === 'probe-through-proxy')!.output.trim().split('\n');

  it('without the proxy the names do not even resolve; with --proxy and its password both answer 200 through Squid, the password never printed', async () => {
    const pipUrl = `${pipIndex}tinypkg/`;
    const hfUrl = `${hfEndpoint}/api/models/${mirrors.hf.repoId}`;

    const alone = await run(hfEndpoint, ['--only', 'probe-through-proxy']);
    expect(alone.code).toBe(1);
    expect(probeOutput(alone).filter((l) => l.startsWith('HTTP '))).toEqual([`HTTP 000 through the proxy: ${pipUrl}`, `HTTP 000 through the proxy: ${hfUrl}`]);
    expect(probeOutput(alone)).toContain(`curl: (6) Could not resolve host: ${PYPI_HOST}`);

    const mark = squid.accessLog.mark();
    const ran = await run(hfEndpoint, ['--proxy', proxyUrl()]);
    expect(ran.code, ran.stdout + ran.stderr).toBe(0);
    expect(probeOutput(ran)).toEqual([`HTTP 200 through the proxy: ${pipUrl}`, `HTTP 200 through the proxy: ${hfUrl}`]);
    noSecret(ran);
    const logged = await squid.accessLog.waitForLines(mark, 2);
    expect(logged.map((e) => [e.url, e.status])).toEqual([[pipUrl, 200], [hfUrl, 200]]);
    expect([mirrors.pypi, mirrors.hf].map((server) => server.requests.at(-1)?.via)).toEqual([expect.stringContaining('squid'), expect.stringContaining('squid')]);
  });

  it('without the password: 407 for both; a host the proxy denies: 403 for it; the check fails', async () => {
    const anonymous = await run(hfEndpoint, ['--proxy', `http://127.0.0.1:${squid.port}`]);
    expect(anonymous.code).toBe(1);
    expect(probeOutput(anonymous)).toEqual([`HTTP 407 through the proxy: ${pipIndex}tinypkg/`, `HTTP 407 through the proxy: ${hfEndpoint}/api/models/${mirrors.hf.repoId}`]);

    const ran = await run(`http://${DENIED_HOST}:${mirrors.hf.port}`, ['--proxy', proxyUrl()]);
    expect(ran.code).toBe(1);
    expect(probeOutput(ran)).toEqual([`HTTP 200 through the proxy: ${pipIndex}tinypkg/`, `HTTP 403 through the proxy: http://${DENIED_HOST}:${mirrors.hf.port}/api/models/${mirrors.hf.repoId}`]);
    noSecret(ran);
  });
});

// What the proxy guide says about Squids configured otherwise than the stack's, proven with real
// Squids started here:
// - `http_access deny to_localhost` matches the destination: a Squid on another host (the remote
//   mode, its own network namespace) answers 403 ERR_ACCESS_DENIED for 127.0.0.1, where the same
//   Squid without the rule answers the (111) page;
// - a proxy that wants a password containing `@`, `:` and `#`: the guide's encoding command makes a
//   proxy URL that curl and Python requests accept, and the raw password in the URL does not work.
import {execFileSync} from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {afterAll, beforeAll, expect, it} from 'vitest';
import type {RunbookPlan} from '../../src/plan/plan.mts';
import {startSquid, type SquidProxy} from '../../src/stack/squid.mts';
import {runClient} from '../kit/processes.mts';
import {REPO} from '../kit/runbooks.mts';
import {clientEnv, describeWithSquid, squidInfo, stackInfo} from '../kit/stack.mts';

const PYTHON = '/usr/bin/python3'; // Debian's, with requests
const NCSA_AUTH = '/usr/lib/squid/basic_ncsa_auth';
const USER = 'alice';
const PASSWORD = 'p@ss:w#rd';

const step = (runbook: string, id: string) =>
  (JSON.parse(fs.readFileSync(path.join(REPO, 'runbooks', `${runbook}.plan.json`), 'utf8')) as RunbookPlan).steps.find((s) => s.id === id)!;

/** curl through `proxy` for the mock's model list: the status and the X-Squid-Error header. */
async function throughProxy(proxy: string): Promise<{code: number; status: string; squidError: string; body: string}> {
  const ran = await runClient('curl', ['-sS', '-D', '-', '--max-time', '10', `${stackInfo().mockVllm.baseUrl}/models`], clientEnv({http_proxy: proxy}));
  const [head, ...rest] = ran.stdout.split(/\r?\n\r?\n/);
  return {
    code: ran.code,
    status: head.match(/^HTTP\/[\d.]+ (\d+)/)?.[1] ?? '',
    squidError: head.match(/^X-Squid-Error: (.*)$/im)?.[1]?.trim() ?? '',
    body: rest.join('\n\n'),
  };
}

describeWithSquid('a Squid on another host with http_access deny to_localhost', () => {
  let denying: SquidProxy;
  beforeAll(async () => {
    denying = await startSquid({mode: 'remote', extraRules: ['http_access deny to_localhost']});
  });
  afterAll(() => denying?.stop());

  it('answers 403 ERR_ACCESS_DENIED for 127.0.0.1; the same Squid without the rule gives the (111) page', async () => {
    const denied = await throughProxy(denying.url);
    expect(denied.status).toBe('403');
    expect(denied.squidError).toMatch(/^ERR_ACCESS_DENIED/);
    const [entry] = await denying.accessLog.waitForLines(0, 1);
    expect(entry).toMatchObject({status: 403, result: 'TCP_DENIED'});

    const refused = await throughProxy(squidInfo().remote.url);
    expect(refused.status).toBe('503');
    expect(refused.squidError).toBe('ERR_CONNECT_FAIL 111');
    expect(refused.body).toContain('(111) Connection refused');
  });
});

describeWithSquid('a proxy whose password holds @, : and #', () => {
  let dir: string;
  let authed: SquidProxy;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'squid-auth-'));
    fs.chmodSync(dir, 0o755); // Squid's own user reads the password file
    const hash = execFileSync('openssl', ['passwd', '-apr1', PASSWORD], {encoding: 'utf8'}).trim();
    fs.writeFileSync(path.join(dir, 'htpasswd'), `${USER}:${hash}\n`, {mode: 0o644});
    authed = await startSquid({
      mode: 'forward',
      extraRules: [
        `auth_param basic program ${NCSA_AUTH} ${path.join(dir, 'htpasswd')}`,
        'auth_param basic realm proxy',
        'acl authenticated proxy_auth REQUIRED',
        'http_access deny !authenticated',
      ],
    });
  });
  afterAll(async () => {
    await authed?.stop();
    if (dir) fs.rmSync(dir, {recursive: true, force: true});
  });

  it('the guide\'s command encodes it; curl and requests get through with the encoded URL, not with the raw one', async () => {
    const encode = step('tool-proxies', 'encode-password');
    expect(encode.code).toContain(`'${PASSWORD}'`);
    const encoded = await runClient('bash', ['-c', encode.code], clientEnv());
    expect(encoded.stdout.trim()).toBe('p%40ss%3Aw%23rd');
    const proxy = authed.url.replace('://', `://${USER}:${encoded.stdout.trim()}@`);

    expect(await throughProxy(authed.url)).toMatchObject({status: '407'});
    const viaCurl = await throughProxy(proxy);
    expect(viaCurl.status, viaCurl.body).toBe('200');
    expect(JSON.parse(viaCurl.body).data[0].id).toBe(stackInfo().mockVllm.model);

    const py = 'import os, requests\nr = requests.get(os.environ["TARGET"], timeout=10)\nprint(r.status_code)';
    const viaRequests = await runClient(PYTHON, ['-c', py], clientEnv({http_proxy: proxy, TARGET: `${stackInfo().mockVllm.baseUrl}/models`}));
    expect(viaRequests.stdout.trim(), viaRequests.stderr).toBe('200');

    // Unencoded, '#' ends the authority and '@' is ambiguous: the credentials never reach Squid intact.
    const raw = await throughProxy(authed.url.replace('://', `://${USER}:${PASSWORD}@`));
    expect(raw.status).not.toBe('200');
  });
});

// What the proxy guide says about Squids configured otherwise than the stack's, proven with real
// Squids started here:
// - `http_access deny to_localhost` matches the destination: a Squid on another host (the remote
//   mode, its own network namespace) answers 403 ERR_ACCESS_DENIED for 127.0.0.1, where the same
//   Squid without the rule answers the (111) page;
// - a proxy that wants a password containing `@`, `:` and `#`: the guide's encoding command makes a
//   proxy URL that curl and Python requests accept, and the raw password in the URL does not work.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {afterAll, beforeAll, expect, it} from 'vitest';
import type {RunbookPlan} from '../../src/plan/plan.mts';
import {startSquid, type SquidProxy} from '../../src/stack/squid.mts';
import {runClient} from '../kit/processes.mts';
import {REPO} from '../kit/runbooks.mts';
import {clientEnv, describeWithSquid, squidInfo, stackInfo} from '../kit/stack.mts';

const PYTHON = '/usr/bin/python3'; // Debian's, with requests
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
  let authed: SquidProxy;
  beforeAll(async () => {
    authed = await startSquid({mode: 'forward', basicAuth: {user: USER, password: PASSWORD}});
  });
  afterAll(async () => {
    await authed?.stop();
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

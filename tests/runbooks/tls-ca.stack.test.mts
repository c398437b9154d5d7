// The proxy guide's "Proxies that inspect TLS": a server whose certificate is signed by a company CA
// the clients do not know (made here with openssl), and the setting the guide names for each client.
// Without it each one refuses the certificate; with it each one gets the answer: requests with
// REQUESTS_CA_BUNDLE, httpx with SSL_CERT_FILE, Node with NODE_EXTRA_CA_CERTS, git with
// http.sslCAInfo. Each client ignores the others' variable, which is why the guide sets all three.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {makeCertificates, serveSigned} from '../kit/certificates.mts';
import {runClient} from '../kit/processes.mts';
import {REPO} from '../kit/runbooks.mts';
import {clientEnv} from '../kit/stack.mts';

const PYTHON = '/usr/bin/python3'; // Debian's, with requests and httpx
const page = fs.readFileSync(path.join(REPO, 'docs/guides/local-service-proxy.md'), 'utf8');

describe('a server signed by a CA the clients do not know (a TLS-inspecting proxy\'s)', () => {
  let dir: string;
  let ca: string;
  let server: Awaited<ReturnType<typeof serveSigned>>;
  let url: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tls-ca-'));
    const files = makeCertificates(dir);
    ca = files.ca;
    server = await serveSigned(files, 'inspected ok\n');
    url = server.url;
  });
  afterAll(async () => {
    await server?.close();
    if (dir) fs.rmSync(dir, {recursive: true, force: true});
  });

  // Only the variable a case names: this machine may export every CA variable at once.
  const env = (extra: Record<string, string> = {}) => {
    const base = clientEnv(extra);
    for (const name of ['REQUESTS_CA_BUNDLE', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'NODE_EXTRA_CA_CERTS', 'CURL_CA_BUNDLE', 'GIT_SSL_CAINFO', 'PIP_CERT']) if (!(name in extra)) delete base[name];
    return base;
  };

  it.each([
    ['requests', 'REQUESTS_CA_BUNDLE', 'SSL_CERT_FILE', PYTHON, ['-c', 'import os, requests; print(requests.get(os.environ["URL"], timeout=10).text)']],
    ['httpx', 'SSL_CERT_FILE', 'REQUESTS_CA_BUNDLE', PYTHON, ['-c', 'import os, httpx; print(httpx.get(os.environ["URL"], timeout=10).text)']],
    ['Node fetch', 'NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', process.execPath, ['-e', 'fetch(process.env.URL).then((r) => r.text()).then((t) => console.log(t))']],
  ])('%s trusts the CA with %s, not without it, nor with %s', async (_client, variable, other, command, args) => {
    expect(page).toContain(`export ${variable}=`);
    const without = await runClient(command, args, env({URL: url}));
    expect(without.code).not.toBe(0);
    expect(without.stdout + without.stderr).toMatch(/CERTIFICATE_VERIFY_FAILED|certificate verify failed|self[- ]signed|unable to (verify|get local issuer)/i);
    const wrong = await runClient(command, args, env({URL: url, [other]: ca}));
    expect(wrong.code, `${other} alone`).not.toBe(0);
    const trusted = await runClient(command, args, env({URL: url, [variable]: ca}));
    expect(trusted.code, trusted.stderr).toBe(0);
    expect(trusted.stdout).toContain('inspected ok');
  });

  it('git trusts the CA with http.sslCAInfo', async () => {
    expect(page).toContain('git config --global http.sslCAInfo');
    const gitEnv = env({GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', HOME: dir});
    const without = await runClient('git', ['ls-remote', `${url}repo.git`], gitEnv);
    expect(without.stderr).toMatch(/SSL certificate problem|certificate verify failed|server certificate verification failed/i);
    const trusted = await runClient('git', ['-c', `http.sslCAInfo=${ca}`, 'ls-remote', `${url}repo.git`], gitEnv);
    // The TLS handshake succeeds; the plain server is no git repository, which git then says.
    expect(trusted.stderr).not.toMatch(/SSL certificate problem|certificate verify failed|server certificate verification failed/i);
    expect(trusted.stderr).toMatch(/not (found|valid)|repository/i);
  });
});

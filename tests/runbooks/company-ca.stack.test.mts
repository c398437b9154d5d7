// The proxy guide's company-ca runbook for real: `sudo cp` + `update-ca-certificates` add a
// TLS-inspecting proxy's CA to the system store, and its check says the bundle holds it; then curl
// (which reads the system bundle) trusts a server signed by that CA. The run happens in a mount
// namespace of its own (`unshare -m`) over copies of /etc/ssl/certs and
// /usr/local/share/ca-certificates, so this machine's store is never touched.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {sha256} from '../../src/io/hash.mts';
import {makeCertificates, serveSigned} from '../kit/certificates.mts';
import {runClient} from '../kit/processes.mts';
import {jsonReport, runbookPath, tempHome} from '../kit/runbooks.mts';

const BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const missing = process.getuid?.() !== 0 ? 'needs root (a mount namespace)'
  : ['/usr/bin/sudo', '/usr/sbin/update-ca-certificates', '/usr/bin/unshare'].find((file) => !fs.existsSync(file));
const describeHere = missing ? describe.skip : describe;

describeHere(missing ? `company-ca (skipped: ${missing})` : 'company-ca', () => {
  let dir: string;
  let ca: string;
  let server: Awaited<ReturnType<typeof serveSigned>>;
  let url: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'company-ca-'));
    const files = makeCertificates(dir);
    // The runbook's own name for the file; `--ca-file` gives its path.
    ca = path.join(dir, 'corp-ca.crt');
    fs.renameSync(files.ca, ca);
    server = await serveSigned(files, 'inspected ok\n');
    url = server.url;
  });
  afterAll(async () => {
    await server?.close();
    if (dir) fs.rmSync(dir, {recursive: true, force: true});
  });

  /** The runbook with `--yes --json --ca-file FILE` in a mount namespace whose store folders are
   *  copies; curl to the server before and after it, with the system bundle. */
  async function runInNamespace(file: string, work: string) {
    const home = tempHome({});
    try {
      fs.mkdirSync(work);
      const script = [
        'set -e',
        `cp -a /etc/ssl/certs "${work}/certs" && mount --bind "${work}/certs" /etc/ssl/certs`,
        `mkdir "${work}/local" && mount --bind "${work}/local" /usr/local/share/ca-certificates`,
        `curl -sS --max-time 10 "${url}" >"${work}/before.out" 2>&1 || echo "curl exit $?" >>"${work}/before.out"`,
        `"${process.execPath}" "${await runbookPath('company-ca')}" --yes --json --ca-file "${file}" >"${work}/report.json" || true`,
        `curl -sS --max-time 10 "${url}" 2>&1 || echo "curl exit $?"`,
      ].join('\n');
      const ran = await runClient('unshare', ['-m', '--propagation', 'private', 'bash', '-c', script], home.env, 120_000);
      expect(ran.code, ran.stderr).toBe(0);
      const report = jsonReport({...ran, stdout: fs.readFileSync(path.join(work, 'report.json'), 'utf8')});
      return {report, before: fs.readFileSync(path.join(work, 'before.out'), 'utf8'), after: ran.stdout};
    } finally {
      home.remove();
    }
  }

  it('adds the CA to the system store, its check passes, and curl then trusts the server; the machine\'s store is untouched', async () => {
    const untouched = sha256(fs.readFileSync(BUNDLE));
    const {report, before, after} = await runInNamespace(ca, path.join(dir, 'crt'));
    expect(report.steps.map((s) => [s.id, s.status]), JSON.stringify(report.steps.map((s) => s.output))).toEqual([['system-store', 'ok'], ['system-store-check', 'ok']]);
    expect(report.exitCode).toBe(0);
    expect(report.steps[1]!.output).toContain(`${ca}: OK`);
    expect(before).toMatch(/curl exit 60/);
    expect(after).toBe('inspected ok\n');
    expect(sha256(fs.readFileSync(BUNDLE))).toBe(untouched);
  }, 150_000);

  it('a file not named .crt, which update-ca-certificates ignores (as the page warns): the check fails, exit 1', async () => {
    const pem = path.join(dir, 'corp-ca.pem');
    fs.copyFileSync(ca, pem);
    const {report, after} = await runInNamespace(pem, path.join(dir, 'pem'));
    expect(report.exitCode).toBe(1);
    const check = report.steps.find((s) => s.id === 'system-store-check')!;
    expect(check.status).toBe('failed');
    expect(check.output).toMatch(/self-signed certificate|unable to get local issuer certificate/);
    expect(after).toMatch(/curl exit 60/);
  }, 150_000);
});

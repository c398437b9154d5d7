// A company CA and a server certificate for 127.0.0.1 signed by it, made with openssl: what a
// TLS-inspecting proxy's clients meet (tests/runbooks/tls-ca, company-ca).
import {execFileSync} from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import type {AddressInfo} from 'node:net';
import * as path from 'node:path';

/** A CA and a certificate for 127.0.0.1 signed by it, in `dir`. */
export function makeCertificates(dir: string): {ca: string; cert: string; key: string} {
  const openssl = (...args: string[]) => execFileSync('openssl', args, {cwd: dir, stdio: 'pipe'});
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=Test Corp Inspection CA');
  openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  fs.writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'san.ext');
  return {ca: path.join(dir, 'ca.crt'), cert: path.join(dir, 'server.crt'), key: path.join(dir, 'server.key')};
}

/** An HTTPS server on 127.0.0.1 with `files`' certificate, answering every request with `body`. */
export async function serveSigned(files: {cert: string; key: string}, body: string): Promise<{url: string; close: () => Promise<void>}> {
  const server = https.createServer({cert: fs.readFileSync(files.cert), key: fs.readFileSync(files.key)}, (_req, res) => res.end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

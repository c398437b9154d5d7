// `npm run bundle`'s archive as a reader on another network uses it: written from the shared build
// (src/site-bundle's writeBundle, which the npm script runs after its own build), unpacked with
// tar, and served by `python3 -m http.server` from the unpacked folder.
import {spawn} from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {BUNDLE_NAME, writeBundle} from '../../src/site-bundle/bundle.mts';
import {runClient} from '../kit/processes.mts';

export interface BundleServer {
  /** The unpacked site folder (`…/llm-network-runbooks-site`). */
  dir: string;
  /** `http://HOST:PORT/`. */
  url: string;
  close(): Promise<void>;
}

/** Bundles `siteDir`, unpacks the archive and serves it with python3 -m http.server on host:port. */
export async function serveBundle(siteDir: string, host = '127.0.0.1', port = 0): Promise<BundleServer> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-'));
  const remove = () => fs.rmSync(work, {recursive: true, force: true});
  try {
    const archive = path.join(work, `${BUNDLE_NAME}.tar.gz`);
    await writeBundle(siteDir, archive);
    const untar = await runClient('tar', ['xzf', archive], process.env, 60_000, work);
    if (untar.code !== 0) throw new Error(`tar xzf: ${untar.stderr}`);
    const dir = path.join(work, BUNDLE_NAME);
    const listen = port || (await freePort(host));
    const python = spawn('python3', ['-m', 'http.server', String(listen), '--bind', host, '--directory', dir], {stdio: ['ignore', 'ignore', 'pipe']});
    let stderr = '';
    python.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<void>((resolve) => python.once('exit', () => resolve()));
    for (const deadline = Date.now() + 20_000; !(await accepts(host, listen)); ) {
      if (python.exitCode !== null || Date.now() > deadline) {
        python.kill('SIGKILL');
        const error: NodeJS.ErrnoException = new Error(`python3 -m http.server ${listen} --bind ${host} did not start: ${stderr.trim() || 'no answer within 20 s'}`);
        if (/Address already in use/.test(stderr)) error.code = 'EADDRINUSE';
        throw error;
      }
      await sleep(50);
    }
    return {
      dir,
      url: `http://${host}:${listen}/`,
      async close() {
        python.kill('SIGTERM');
        await exited;
        remove();
      },
    };
  } catch (error) {
    remove();
    throw error;
  }
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

async function freePort(host: string): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const {port} = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

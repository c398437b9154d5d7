// Browser-test helpers: headless Debian Chromium through playwright-core, and a static server that
// serves a Docusaurus build the way `docusaurus serve` does (without spawning the CLI per test).
import {createHash} from 'node:crypto';
import {mkdtemp, readFile, rm, stat} from 'node:fs/promises';
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {extname, join, resolve, sep} from 'node:path';
import {chromium, type BrowserContext} from 'playwright-core';

// Debian's build of Chromium's headless shell (package chromium-headless-shell, the same Blink and V8
// as its chromium package, without the desktop browser around them): what Playwright itself runs for
// headless tests. The browser tests use less machine CPU with it than with `chromium --headless`
// (bench/README.md, test-suite); after Node itself, Chromium uses the most of the suite's CPU.
export const CHROMIUM_PATH = '/usr/bin/chromium-headless-shell';

// Everything that could reach the network on its own or touch a shared profile is switched off, so a
// run is hermetic and two runs never share state.
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface ChromiumSession {
  context: BrowserContext;
  /** Closes the browser and deletes its temporary profile. Safe to call twice. */
  close(): Promise<void>;
}

/** Launches headless Chromium with a fresh temporary profile (removed again by `close()`). */
export async function launchChromium(): Promise<ChromiumSession> {
  if (!(await isFile(CHROMIUM_PATH))) {
    throw new Error(`${CHROMIUM_PATH} is missing: apt-get install chromium-headless-shell (bash .ci/run installs it)`);
  }
  const userDataDir = await mkdtemp(join(tmpdir(), 'chromium-profile-'));
  let context: BrowserContext;
  try {
    // Playwright refuses `--user-data-dir` in args; a persistent context is how it takes a profile dir.
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_FLAGS,
    });
  } catch (error) {
    await rm(userDataDir, {recursive: true, force: true});
    throw error;
  }
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      await rm(userDataDir, {recursive: true, force: true});
    },
  };
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export interface StaticServer {
  /** Site root, e.g. `http://127.0.0.1:41234/` (includes the base URL, ends with `/`). */
  url: string;
  close(): Promise<void>;
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

// The files a clean URL may stand for, in the order serve-handler (behind `docusaurus serve`, with
// `cleanUrls: true` and no `trailingSlash` setting) tries them: `/a/` and `/a` both serve a/index.html.
function candidateFiles(root: string, urlPath: string): string[] {
  const target = resolve(root, '.' + urlPath);
  if (target !== root && !target.startsWith(root + sep)) return []; // `..` escaping the build dir
  if (urlPath.endsWith('/')) return [join(target, 'index.html')];
  return [target, target + '.html', join(target, 'index.html')];
}

async function send(req: IncomingMessage, res: ServerResponse, method: string, status: number, file: string): Promise<void> {
  const body = await readFile(file);
  const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
  const headers = {ETag: etag, 'Cache-Control': 'no-cache'};
  if (status === 200 && req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers).end();
    return;
  }
  res.writeHead(status, {
    ...headers,
    'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': body.length,
  });
  res.end(method === 'HEAD' ? undefined : body);
}

/**
 * Serves the Docusaurus build in `dir` on 127.0.0.1 (ephemeral port; `host` and `port` choose
 * another, such as a loopback address of a test's own on port 80): directory index.html, clean
 * URLs with or without trailing slash, the site's 404.html with status 404, requests outside
 * `baseUrl` redirected to it (as `docusaurus serve` does). Each file has an ETag and is revalidated
 * on every use (`no-cache`, then 304), as a host with validators serves it: Chromium then keeps the
 * scripts it compiled from one page to the next (V8's code cache), about a tenth of the browser
 * tests' CPU, while every request still reaches this server.
 */
export async function serveStatic(dir: string, options: {baseUrl?: string; host?: string; port?: number} = {}): Promise<StaticServer> {
  const root = resolve(dir);
  const baseUrl = options.baseUrl ?? '/';
  if (!baseUrl.startsWith('/') || !baseUrl.endsWith('/')) {
    throw new Error(`serveStatic: baseUrl must start and end with "/", got ${JSON.stringify(baseUrl)}`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      res.writeHead(405, {Allow: 'GET, HEAD'}).end();
      return;
    }
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (!pathname.startsWith(baseUrl)) {
      res.writeHead(302, {Location: baseUrl}).end();
      return;
    }
    let sitePath: string;
    try {
      sitePath = decodeURIComponent('/' + pathname.slice(baseUrl.length));
    } catch {
      res.writeHead(400).end();
      return;
    }
    for (const file of candidateFiles(root, sitePath)) {
      if (await isFile(file)) return send(req, res, method, 200, file);
    }
    const notFound = join(root, '404.html');
    if (await isFile(notFound)) return send(req, res, method, 404, notFound);
    res.writeHead(404, {'Content-Type': 'text/plain; charset=utf-8'}).end('Not found');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, {'Content-Type': 'text/plain; charset=utf-8'});
      res.end(String(error));
    });
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', done);
  });
  const {port} = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}${baseUrl}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

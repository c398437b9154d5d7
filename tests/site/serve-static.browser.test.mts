// serveStatic() against a miniature Docusaurus-shaped build folder, over real HTTP.
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {request} from 'node:http';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {serveStatic} from '../kit/browser.mts';

const FILES: Record<string, string> = {
  'index.html': '<h1>home</h1>',
  '404.html': '<h1>not found page</h1>',
  'guides/proxy/index.html': '<h1>proxy guide</h1>',
  'zh-Hans/search-index.json': '[]',
  'assets/js/main.abc123.js': 'console.log(1)',
  'img/logo.svg': '<svg/>',
};

let buildDir: string;
let secretDir: string;

beforeAll(async () => {
  secretDir = await mkdtemp(join(tmpdir(), 'serve-static-'));
  buildDir = join(secretDir, 'build');
  await writeFile(join(secretDir, 'secret.txt'), 'outside the build');
  for (const [path, body] of Object.entries(FILES)) {
    await mkdir(dirname(join(buildDir, path)), {recursive: true});
    await writeFile(join(buildDir, path), body);
  }
});

afterAll(() => rm(secretDir, {recursive: true, force: true}));

/** Raw request so paths like `/%2e%2e/` reach the server unnormalised. */
function get(url: string, path: string): Promise<{status: number; type?: string; location?: string; body: string}> {
  const {hostname, port} = new URL(url);
  return new Promise((resolve, reject) => {
    request({hostname, port, path}, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk));
      res.on('end', () =>
        resolve({status: res.statusCode!, type: res.headers['content-type'], location: res.headers.location, body}),
      );
    })
      .on('error', reject)
      .end();
  });
}

describe('serveStatic', () => {
  test('serves clean URLs with and without trailing slash, with content types', async () => {
    const server = await serveStatic(buildDir);
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      for (const path of ['/', '/guides/proxy', '/guides/proxy/', '/guides/proxy/index.html']) {
        const res = await get(server.url, path);
        expect([path, res.status, res.type]).toEqual([path, 200, 'text/html; charset=utf-8']);
      }
      expect((await get(server.url, '/guides/proxy')).body).toBe('<h1>proxy guide</h1>');
      expect((await get(server.url, '/zh-Hans/search-index.json')).type).toBe('application/json; charset=utf-8');
      expect((await get(server.url, '/assets/js/main.abc123.js')).type).toBe('text/javascript; charset=utf-8');
      expect((await get(server.url, '/img/logo.svg')).type).toBe('image/svg+xml');
    } finally {
      await server.close();
    }
  });

  test('answers unknown paths with the site 404 page and never leaves the build folder', async () => {
    const server = await serveStatic(buildDir);
    try {
      const missing = await get(server.url, '/no/such/page');
      expect([missing.status, missing.body]).toEqual([404, '<h1>not found page</h1>']);
      for (const path of ['/%2e%2e/secret.txt', '/..%2fsecret.txt', '/guides/%2e%2e/%2e%2e/secret.txt']) {
        const res = await get(server.url, path);
        expect(res.body, path).not.toContain('outside the build');
      }
    } finally {
      await server.close();
    }
  });

  test('serves under a base URL and redirects requests outside it', async () => {
    const server = await serveStatic(buildDir, {baseUrl: '/docs/'});
    try {
      expect(server.url).toMatch(/\/docs\/$/);
      expect((await get(server.url, '/docs/guides/proxy')).body).toBe('<h1>proxy guide</h1>');
      const outside = await get(server.url, '/guides/proxy');
      expect([outside.status, outside.location]).toEqual([302, '/docs/']);
    } finally {
      await server.close();
    }
  });

  test('rejects a base URL without slashes at both ends', async () => {
    await expect(serveStatic(buildDir, {baseUrl: 'docs'})).rejects.toThrow('baseUrl must start and end with "/"');
  });
});

// `npm run bundle` (src/site-bundle), unpacked and served by `python3 -m http.server` on a network
// where only the proxy resolves the site's name (./proxy-only-site.mts): SHA256SUMS checks, both
// locales and the search index are there, the runbooks are served as the site serves them, and the
// first screen's one-liner, read from the bundled page, downloads, verifies and runs through it.
import {sha256} from '../../src/io/hash.mts';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {describe, expect, it} from 'vitest';
import {RUNBOOKS_DIR, scriptFile} from '../../src/plan/files.mts';
import {writeBundle} from '../../src/site-bundle/bundle.mts';
import {runClient} from '../kit/processes.mts';
import {REPO} from '../kit/runbooks.mts';
import {describeWithSquid} from '../kit/stack.mts';
import {TEST_SITE_URL} from '../kit/site-build.mts';
import {serveBundle, type BundleServer} from './bundle-server.mts';
import {PROXY_GUIDE, useBuiltSite} from './built-site.mts';
import {oneLiners} from './one-liners.mts';
import {mayListenOnPort80, useProxyOnlySite} from './proxy-only-site.mts';

const session = useBuiltSite({browser: false});
describe('npm run bundle', () => {
  it('refuses the placeholder address and a malformed SITE_URL: exit 2, one line, before building', async () => {
    const env: NodeJS.ProcessEnv = {...process.env};
    delete env.SITE_URL;
    const [unset, bad] = await Promise.all([
      runClient('npm', ['run', '-s', 'bundle'], env, 120_000, REPO),
      runClient('npm', ['run', '-s', 'bundle'], {...env, SITE_URL: 'https://host/"; rm -rf ~'}, 120_000, REPO),
    ]);
    expect(unset.code).toBe(2);
    expect(unset.stderr.trim()).toMatch(/^bundle: refusing to build for deployment: the site address is the placeholder .*SITE_URL=https:\/\/runbooks\.example\.com npm run bundle\)$/);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toMatch(/^bundle: SITE_URL=.* is not an http\(s\) address like [^\n]+$/);
    expect(unset.stdout + bad.stdout).toBe('');
  }, 150_000);

  it('the same site gives the same archive, byte for byte', async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-twice-'));
    try {
      const [a, b] = [path.join(work, 'a.tar.gz'), path.join(work, 'b.tar.gz')];
      await writeBundle(session.outDir, a);
      await writeBundle(session.outDir, b);
      expect(fs.readFileSync(a).equals(fs.readFileSync(b))).toBe(true);
    } finally {
      fs.rmSync(work, {recursive: true, force: true});
    }
  }, 60_000);
});

const describeHere = mayListenOnPort80() ? describeWithSquid : (name: string, body: () => void) => describe.skip(`${name} (skipped: listening on port 80 needs root)`, body);

describeHere('the offline bundle, served by python3 -m http.server', () => {
  let bundle: BundleServer;
  const site = useProxyOnlySite(async (host) => (bundle = await serveBundle(session.outDir, host, 80)));

  it('SHA256SUMS checks with sha256sum and covers every file, the runbooks as the site serves them', async () => {
    const check = await runClient('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], process.env, 60_000, bundle.dir);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    const listed = fs.readFileSync(path.join(bundle.dir, 'SHA256SUMS'), 'utf8').trim().split('\n').map((line) => line.slice(66));
    const files = fs.readdirSync(bundle.dir, {recursive: true, withFileTypes: true}).filter((e) => e.isFile()).map((e) => path.relative(bundle.dir, path.join(e.parentPath, e.name))).sort();
    expect([...listed, 'SHA256SUMS'].sort()).toEqual(files);
    const runbooks = fs.readdirSync(path.join(session.outDir, RUNBOOKS_DIR)).filter((f) => f.endsWith('.mjs'));
    expect(runbooks.length).toBeGreaterThan(3);
    for (const file of runbooks) {
      const served = await fetch(`${bundle.url}${RUNBOOKS_DIR}/${file}`);
      expect(served.status).toBe(200);
      expect(Buffer.from(await served.arrayBuffer()).equals(fs.readFileSync(path.join(session.outDir, RUNBOOKS_DIR, file))), file).toBe(true);
    }
  }, 60_000);

  it.each([['en', ''], ['zh-Hans', 'zh-Hans/']])('%s: the guide, its one-liner naming the site address, and the search index are served', async (_, locale) => {
    const page = await fetch(`${bundle.url}${locale}${PROXY_GUIDE}/`);
    expect(page.status).toBe(200);
    const [line] = oneLiners(await page.text());
    const bytes = fs.readFileSync(path.join(bundle.dir, scriptFile('fix-noproxy')));
    expect(line).toContain(`${TEST_SITE_URL}/${scriptFile('fix-noproxy')}`);
    expect(line).toContain(sha256(bytes));
    const index = fs.readdirSync(path.join(bundle.dir, locale)).find((f) => /^search-index.*\.json$/.test(f));
    expect(index, `${locale}search-index*.json`).toBeDefined();
    expect((await fetch(`${bundle.url}${locale}${index}`)).status).toBe(200);
  });

  it.each([['en', ''], ['zh-Hans', 'zh-Hans/']])('%s: the bundled page\'s one-liner, through the proxy, downloads from the bundle, verifies and runs --check', async (_, locale) => {
    const html = fs.readFileSync(path.join(bundle.dir, locale, PROXY_GUIDE, 'index.html'), 'utf8');
    const [line] = oneLiners(html);
    const mark = site.squid.accessLog.mark();
    const ran = await site.runLine(line!, {proxy: true});
    expect([0, 1], ran.stdout + ran.stderr).toContain(ran.code);
    expect(ran.stdout).not.toMatch(/FAILED$/m);
    expect(fs.readFileSync(path.join(ran.cwd, 'fix-noproxy.mjs')).equals(fs.readFileSync(path.join(bundle.dir, scriptFile('fix-noproxy'))))).toBe(true);
    const [fetched] = await site.squid.accessLog.waitForLines(mark, 1, 10_000);
    expect(fetched).toMatchObject({method: 'GET', url: `${TEST_SITE_URL}/${scriptFile('fix-noproxy')}`, status: 200});
  }, 180_000);
});

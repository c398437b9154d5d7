// Issue 22's acceptance: the exact command the proxy guide's first screen shows (read from the built
// page, in each locale), pasted on a machine that reaches the site only through its proxy and has no
// npm registry (./proxy-only-site.mts), downloads the runbook through the proxy, checks its sha256
// and runs `--check` with Node alone, to the exit code the runbook gives on its own. A wrong
// checksum refuses to run; without the proxy it fails with one line.
import {sha256} from '../../src/io/hash.mts';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {describe, expect, it} from 'vitest';
import {scriptFile} from '../../src/plan/files.mts';
import {serveStatic} from '../kit/browser.mts';
import {describeWithSquid} from '../kit/stack.mts';
import {TEST_SITE_URL} from '../kit/site-build.mts';
import {PROXY_GUIDE, useBuiltSite} from './built-site.mts';
import {docSource} from './doc-source.mts';
import {oneLiners} from './one-liners.mts';
import {mayListenOnPort80, SITE_HOST, useProxyOnlySite} from './proxy-only-site.mts';

const session = useBuiltSite({browser: false});
/** [name, path prefix] of each locale. */
const LOCALES = [['en', ''], ['zh-Hans', 'zh-Hans/']];

/** The first one-liner on the guide's page in `locale`, which must come before its second section. */
function firstScreenLine(locale: string): string {
  const html = fs.readFileSync(path.join(session.outDir, locale, PROXY_GUIDE, 'index.html'), 'utf8');
  const [line] = oneLiners(html);
  expect(line, `${locale}${PROXY_GUIDE}: a one-liner`).toBeDefined();
  const sections = [...html.matchAll(/<h2\b/g)].map((m) => m.index);
  expect(html.indexOf('curl -fsSLo')).toBeLessThan(sections[1] ?? Infinity);
  expect(line).toMatch(/ --check$/);
  return line!;
}

/** The site listens on port 80 of its own address (the URL has no port): root only. */
const describeHere = mayListenOnPort80() ? describeWithSquid : (name: string, body: () => void) => describe.skip(`${name} (skipped: listening on port 80 needs root)`, body);

describeHere(`the first screen's one-liner, where only the proxy resolves ${SITE_HOST} and no npm registry answers`, () => {
  const site = useProxyOnlySite((host) => serveStatic(session.outDir, {host, port: 80}));
  const servedBytes = () => fs.readFileSync(path.join(session.outDir, scriptFile('fix-noproxy')));

  it('the page names the site address and the served file\'s sha256; zx is nowhere', async () => {
    for (const [, locale] of LOCALES) {
      const line = firstScreenLine(locale);
      expect(line).toContain(`${TEST_SITE_URL}/${scriptFile('fix-noproxy')}`);
      expect(line).toContain(`"${sha256(servedBytes())}  fix-noproxy.mjs"`);
    }
    const ran = await site.runLine(`command -v zx npx-zx; node -e "import('zx').then(() => process.exit(0), () => process.exit(3))"`, {proxy: true});
    expect(ran.code, ran.stdout).toBe(3);
  }, 60_000);

  it.each(LOCALES)('%s: downloads through the proxy, verifies, and runs --check with node to the runbook\'s own exit code', async (_, locale) => {
    const line = firstScreenLine(locale);
    // The runbook's own verdict in the same place: the served file run directly by node.
    const own = await site.runLine(`cp ${JSON.stringify(path.join(session.outDir, scriptFile('fix-noproxy')))} fix-noproxy.mjs && node fix-noproxy.mjs --check`, {proxy: true});
    expect([0, 1], own.stdout + own.stderr).toContain(own.code);

    const mark = site.squid.accessLog.mark();
    const ran = await site.runLine(line, {proxy: true});
    expect(ran.code, ran.stdout + ran.stderr).toBe(own.code);
    expect(ran.stdout).not.toContain('FAILED\n');
    expect(ran.stdout.split('\n')[0]).toBe(own.stdout.split('\n')[0]);
    expect(fs.readFileSync(path.join(ran.cwd, 'fix-noproxy.mjs')).equals(servedBytes())).toBe(true);
    const [fetched] = await site.squid.accessLog.waitForLines(mark, 1, 10_000);
    expect(fetched).toMatchObject({method: 'GET', url: `${TEST_SITE_URL}/${scriptFile('fix-noproxy')}`, status: 200});
  }, 180_000);

  it.each(LOCALES)('%s: with a wrong checksum, sha256sum refuses and node never runs', async (_, locale) => {
    const line = firstScreenLine(locale);
    const wrong = line.replace(/"([0-9a-f])/, (_, first: string) => `"${first === '0' ? '1' : '0'}`);
    expect(wrong).not.toBe(line);
    const ran = await site.runLine(wrong, {proxy: true});
    expect(ran.code).toBe(1);
    expect(ran.stdout.trim()).toBe('fix-noproxy.mjs: FAILED');
    expect(ran.stderr.trim()).toBe('sha256sum: WARNING: 1 computed checksum did NOT match');
  }, 60_000);

  it.each(LOCALES)('%s: in a directory the reader cannot write to, curl\'s (23) that the Runbooks page explains, and node never runs', async (_, locale) => {
    const ran = await site.runLine(firstScreenLine(locale), {proxy: true, readOnly: true});
    expect(ran.code, ran.stderr).toBe(23);
    expect(ran.stdout).toBe('');
    expect(ran.stderr).toContain('curl: (23) Failure writing output');
    expect(fs.readdirSync(ran.cwd)).toEqual([]);
    for (const page of [docSource('en', 'runbooks.md'), docSource('zh-Hans', 'runbooks.md')]) expect(page).toContain('`(23) Failure writing output`');
  }, 60_000);

  it.each(LOCALES)('%s: without the proxy variables, one line from curl naming the host', async (_, locale) => {
    const ran = await site.runLine(firstScreenLine(locale), {proxy: false});
    expect(ran.code).toBe(6);
    expect(ran.stdout).toBe('');
    expect(ran.stderr.trim()).toBe(`curl: (6) Could not resolve host: ${SITE_HOST}`);
    expect(fs.readdirSync(ran.cwd)).toEqual([]);
  }, 60_000);
});

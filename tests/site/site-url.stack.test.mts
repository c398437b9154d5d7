// One site address (src/site-address), end to end: a deploy build refuses the placeholder in one
// line, and the shared test build, made with SITE_URL (tests/kit/site-build.mts), names no
// example.org anywhere: pages, search index, sitemap, canonical and hreflang links, served runbooks,
// and the advice lines a served runbook prints.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {RUNBOOKS_DIR} from '../../src/plan/files.mts';
import {runClient} from '../kit/processes.mts';
import {REPO} from '../kit/runbooks.mts';
import {TEST_SITE_URL} from '../kit/site-build.mts';
import {useBuiltSite} from './built-site.mts';
// A port nothing listens on: bound, then released.
import {freePort} from '../../src/stack/free-port.mts';

const session = useBuiltSite({browser: false});

/** Every file under `dir`, relative. */
function files(dir: string): string[] {
  return fs.readdirSync(dir, {recursive: true, withFileTypes: true}).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

describe('a deploy build', () => {
  it('with the placeholder address: exit 2 and one line naming SITE_URL, before any work', async () => {
    const env: NodeJS.ProcessEnv = {...process.env, DEPLOY: '1'};
    delete env.SITE_URL;
    const ran = await runClient('npm', ['run', '-s', 'build:deploy'], env, 120_000, REPO);
    expect(ran.code).toBe(2);
    expect(ran.stderr.trim()).toMatch(/^refusing to build for deployment: the site address is the placeholder https:\/\/llm-network-runbooks\.example\.org; set SITE_URL to [^\n]+$/);
    expect(ran.stdout.trim()).toBe('');
  }, 150_000);
});

describe(`the build made with SITE_URL=${TEST_SITE_URL}`, () => {
  let work: string;
  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'site-url-'));
  });
  afterAll(() => fs.rmSync(work, {recursive: true, force: true}));

  it('no file of it names example.org; pages name the address', () => {
    const all = files(session.outDir);
    expect(all.length).toBeGreaterThan(20);
    const naming = all.filter((file) => fs.readFileSync(path.join(session.outDir, file), 'latin1').includes('example.org'));
    expect(naming).toEqual([]);
    for (const page of ['guides/local-service-proxy/index.html', 'zh-Hans/guides/local-service-proxy/index.html']) {
      const html = fs.readFileSync(path.join(session.outDir, page), 'utf8');
      expect(html).toMatch(new RegExp(`<link data-rh=true rel=canonical href=${TEST_SITE_URL}/(zh-Hans/)?guides/local-service-proxy />`));
      expect(html).toContain(`rel=alternate href=${TEST_SITE_URL}/zh-Hans/guides/local-service-proxy hreflang=zh-Hans />`);
      expect(html).toContain(`${TEST_SITE_URL}/runbooks/fix-noproxy.mjs`);
    }
  });

  it('every served runbook names the address wherever runbooks/ names the placeholder', () => {
    const names = fs.readdirSync(path.join(REPO, RUNBOOKS_DIR)).filter((f) => f.endsWith('.mjs'));
    expect(names.length).toBeGreaterThan(3);
    for (const name of names) {
      const served = fs.readFileSync(path.join(session.outDir, RUNBOOKS_DIR, name), 'utf8');
      expect(served, name).toContain(TEST_SITE_URL);
      expect(served, name).not.toContain('example.org');
    }
  });

  it('the advice line a served runbook prints links to the address, in both languages', async () => {
    const file = path.join(work, 'check-service.mjs');
    fs.copyFileSync(path.join(session.outDir, RUNBOOKS_DIR, 'check-service.mjs'), file);
    const ran = await runClient(process.execPath, [file, '--runbook-netcheck', 'service', 'models', `http://127.0.0.1:${await freePort()}`], {PATH: process.env.PATH, HOME: work}, 30_000, work);
    expect(ran.code, ran.stderr).toBe(1);
    const lines = ran.stdout.trim().split('\n');
    expect(lines.at(-1)).toBe(`see: ${TEST_SITE_URL}/guides/local-service-proxy#scenario-local-service (中文: ${TEST_SITE_URL}/zh-Hans/guides/local-service-proxy#scenario-local-service)`);
  });
});

// Builds the real site once, serves it, and drives it in headless Debian Chromium: both locales, the
// locale dropdown, local search in English and Chinese, the Mermaid flowchart, dark mode, and no
// console errors anywhere. Screenshots land in test-results/screenshots/ (git-ignored).
import {execFile} from 'node:child_process';
import {mkdir, mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import type {Locator, Page} from 'playwright-core';
import {afterAll, afterEach, beforeAll, describe, expect, test} from 'vitest';
import {launchChromium, serveStatic, type ChromiumSession, type StaticServer} from '../helpers/browser.mts';
import {compact, docSource, docTitle, mermaidNodeLabels, REPO_ROOT} from './doc-source.mts';
import {describeServedRunbooks} from './served-runbooks.mts';

const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'screenshots');
const PROXY_GUIDE = 'guides/local-service-proxy';
const proxyGuide = (locale: string) => docSource(locale, `${PROXY_GUIDE}.md`);

let outDir: string;
let server: StaticServer;
let chromium: ChromiumSession;
let errors: string[] = [];
// Stops the build if the hook times out, so no orphaned build keeps writing into .docusaurus/.
const buildAborter = new AbortController();
const BUILD_TIMEOUT_MS = 280_000;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'site-build-'));
  await mkdir(SCREENSHOTS, {recursive: true});
  const docusaurus = join(REPO_ROOT, 'node_modules', '.bin', 'docusaurus');
  await promisify(execFile)(docusaurus, ['build', '--out-dir', outDir], {
    cwd: REPO_ROOT,
    maxBuffer: 64 * 1024 * 1024,
    timeout: BUILD_TIMEOUT_MS,
    signal: buildAborter.signal,
  }).catch((error: {stdout?: string; stderr?: string}) => {
    throw new Error(`docusaurus build failed:\n${error.stderr ?? ''}\n${(error.stdout ?? '').slice(-4000)}`);
  });
  server = await serveStatic(outDir);
  chromium = await launchChromium();
}, BUILD_TIMEOUT_MS + 20_000);

afterAll(async () => {
  buildAborter.abort();
  await chromium?.close();
  await server?.close();
  if (outDir) await rm(outDir, {recursive: true, force: true});
});

afterEach(() => {
  const seen = errors;
  errors = [];
  expect(seen, 'console errors / uncaught page errors').toEqual([]);
});

/** A fresh page at `path` (relative to the site root) that reports console errors into `errors`. */
async function open(path: string): Promise<Page> {
  const page = await chromium.context.newPage();
  page.setDefaultTimeout(15_000); // fail with Playwright's message before vitest's 30 s test timeout
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${page.url()}: console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`${page.url()}: uncaught: ${error.message}`));
  await page.goto(server.url + path, {waitUntil: 'networkidle'});
  // Hydration done: the color toggle stays disabled until React has taken over the page.
  await page.locator('[class*="colorModeToggle"] button:not([disabled])').waitFor();
  return page;
}

// The sticky navbar would cover the top of an element that is taller than the viewport.
const screenshot = (target: Page | Locator, name: string) =>
  target.screenshot({path: join(SCREENSHOTS, `${name}.png`), style: '.navbar { position: static !important; }'});
const mermaidContainer = (page: Page) => page.locator('.docusaurus-mermaid-container').first();

describe('the built site in Chromium', () => {
  test.each([
    ['en', ''],
    ['zh-Hans', 'zh-Hans/'],
  ])('%s home page renders in its language', async (locale, path) => {
    const page = await open(path);
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe(locale);
    await expect.poll(() => page.locator('article h1').first().innerText()).toBe(
      docTitle(docSource(locale, 'intro.md')),
    );
    const dropdownLabel = locale === 'en' ? 'English' : '简体中文';
    expect(await page.locator('.navbar .dropdown > .navbar__link').innerText()).toBe(dropdownLabel);
    await screenshot(page, `home-${locale}`);
    await page.close();
  });

  test('the locale dropdown switches a guide to Chinese and back', async () => {
    const page = await open(PROXY_GUIDE);
    const switchTo = async (label: string) => {
      await page.locator('.navbar .dropdown > .navbar__link').click();
      await page.locator('.navbar .dropdown__menu').getByRole('link', {name: label, exact: true}).click();
    };
    await switchTo('简体中文');
    await page.waitForURL(`${server.url}zh-Hans/${PROXY_GUIDE}`);
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('zh-Hans');
    expect(await page.locator('article h1').first().innerText()).toBe(docTitle(proxyGuide('zh-Hans')));
    await switchTo('English');
    await page.waitForURL(`${server.url}${PROXY_GUIDE}`);
    expect(await page.locator('article h1').first().innerText()).toBe(docTitle(proxyGuide('en')));
    await page.close();
  });

  test.each([
    ['en', 'proxy', ''],
    ['zh-Hans', '代理', 'zh-Hans/'],
  ])('%s search box finds the proxy guide for "%s"', async (locale, query, home) => {
    const page = await open(home);
    const title = docTitle(proxyGuide(locale));
    await page.locator('.navbar__search-input').fill(query);
    const hit = page.getByRole('option').filter({hasText: title}).first();
    await hit.waitFor();
    await screenshot(page, `search-${locale}`);
    await hit.click();
    await page.waitForURL((url) => url.pathname === `/${home}${PROXY_GUIDE}`);
    await expect.poll(() => page.locator('article h1').first().innerText()).toBe(title);
    await page.close();
  });

  test.each(['en', 'zh-Hans'])('%s proxy guide renders its Mermaid flowchart', async (locale) => {
    const page = await open(locale === 'en' ? PROXY_GUIDE : `zh-Hans/${PROXY_GUIDE}`);
    const labels = mermaidNodeLabels(proxyGuide(locale));
    expect(labels.length, 'node labels in the guide\'s ```mermaid block').toBeGreaterThan(1);
    const svg = mermaidContainer(page).locator('svg');
    await svg.waitFor();
    const rendered = compact(await svg.evaluate((element) => element.textContent ?? ''));
    for (const label of labels) expect(rendered).toContain(compact(label));
    await screenshot(mermaidContainer(page), `mermaid-${locale}`);
    await page.close();
  });

  test.each([
    ['en', ''],
    ['zh-Hans', 'zh-Hans/'],
  ])('%s proxy guide at 1280×800: the quick fix with its NO_PROXY line is in the first viewport; its link reaches the symptom table', async (locale, prefix) => {
    const page = await open(`${prefix}${PROXY_GUIDE}`);
    await page.setViewportSize({width: 1280, height: 800});
    await page.evaluate(() => window.scrollTo(0, 0));
    const quickFix = page.locator('article pre').filter({hasText: 'export NO_PROXY="localhost,127.0.0.1,::1,0.0.0.0"'}).first();
    const box = await quickFix.boundingBox();
    expect(box, 'the quick-fix code block').not.toBeNull();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y + box!.height).toBeLessThanOrEqual(800);
    await screenshot(page, `first-viewport-${locale}`);
    // The sentence after the quick fix links to the symptom table; following it lands on the table.
    await page.locator('#quick-fix ~ p a[href$="#symptoms"]').first().click();
    await page.waitForURL((url) => url.hash === '#symptoms');
    const table = page.locator('#symptoms ~ table').first();
    await expect.poll(async () => {
      const heading = await page.locator('#symptoms').boundingBox();
      return heading !== null && heading.y >= 0 && heading.y < 800;
    }).toBe(true);
    expect(await table.locator('tr').count()).toBeGreaterThan(6);
    expect(await table.innerText()).toContain('ImportError');
    await page.close();
  });

  test('dark mode toggles, persists across a reload, and re-renders Mermaid', async () => {
    const page = await open(PROXY_GUIDE);
    const toggle = page.locator('[class*="colorModeToggle"] button');
    // Fill of the first flowchart node: Mermaid re-renders the diagram with its dark theme.
    const nodeFill = () =>
      mermaidContainer(page)
        .locator('svg .node')
        .first()
        .locator('rect, polygon, path')
        .first()
        .evaluate((shape) => getComputedStyle(shape).fill);
    expect(await page.getAttribute('html', 'data-theme')).toBe('light');
    const lightFill = await nodeFill();
    // With respectPrefersColorScheme the toggle cycles system → light → dark.
    for (let clicks = 0; clicks < 3 && (await page.getAttribute('html', 'data-theme')) !== 'dark'; clicks++) {
      await toggle.click();
    }
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark');
    await expect.poll(nodeFill).not.toBe(lightFill);
    await page.reload({waitUntil: 'networkidle'});
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark');
    await expect.poll(nodeFill).not.toBe(lightFill);
    await screenshot(page, 'dark-en');
    await screenshot(mermaidContainer(page), 'mermaid-dark-en');
    await page.close();
  });
});

// The runbooks it serves, over plain HTTP: the same build, no second one.
describeServedRunbooks(() => ({url: server.url, outDir}));

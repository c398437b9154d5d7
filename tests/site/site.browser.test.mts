// Builds the real site (once: later runs reuse it while its inputs are unchanged, see
// tests/helpers/site-build.mts), serves it, and drives it in headless Debian Chromium: both locales, the
// locale dropdown, local search in English and Chinese, the Mermaid flowchart, dark mode, and no
// console errors anywhere. Screenshots land in test-results/screenshots/ (git-ignored).
import {readFileSync} from 'node:fs';
import {mkdir} from 'node:fs/promises';
import {join} from 'node:path';
import type {Locator, Page} from 'playwright-core';
import {afterAll, afterEach, beforeAll, describe, expect, test} from 'vitest';
import {launchChromium, serveStatic, type ChromiumSession, type StaticServer} from '../helpers/browser.mts';
import {builtSite} from '../helpers/site-build.mts';
import {CLIENTS} from '../../src/proxy/predict.mts';
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
  await mkdir(SCREENSHOTS, {recursive: true});
  // Chromium starts while the site builds (or comes from the cache: tests/helpers/site-build.mts).
  const [site, browser] = await Promise.allSettled([builtSite(buildAborter.signal), launchChromium()]);
  if (browser.status === 'fulfilled') chromium = browser.value;
  if (site.status === 'rejected') throw site.reason;
  if (browser.status === 'rejected') throw browser.reason;
  outDir = site.value;
  server = await serveStatic(outDir);
}, BUILD_TIMEOUT_MS + 20_000);

afterAll(async () => {
  buildAborter.abort();
  await chromium?.close();
  await server?.close();
});

afterEach(() => {
  const seen = errors;
  errors = [];
  expect(seen, 'console errors / uncaught page errors').toEqual([]);
});

/** A fresh page at `path` (relative to the site root) that reports console errors into `errors`;
 *  `prepare` runs before the page loads (to listen to its requests, say). */
async function open(path: string, prepare?: (page: Page) => void): Promise<Page> {
  const page = await chromium.context.newPage();
  prepare?.(page);
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
const SCREENSHOT_STYLE = '.navbar { position: static !important; }';

/** A page's viewport, or one element. Headless Chromium captures an element that does not fit the
 *  viewport from the whole page, which takes tens of seconds far down a long guide; so the element
 *  is scrolled to the top of a viewport made tall enough for it, and that viewport is captured. */
async function screenshot(target: Page | Locator, name: string): Promise<void> {
  const path = join(SCREENSHOTS, `${name}.png`);
  if (!('boundingBox' in target)) {
    await target.screenshot({path, style: SCREENSHOT_STYLE});
    return;
  }
  const page = target.page();
  const viewport = page.viewportSize()!;
  const top = async () => {
    await target.evaluate((element) => element.scrollIntoView({block: 'start'}));
    return (await target.boundingBox())!;
  };
  let box = await top();
  // scrollIntoView leaves the page's scroll-padding (the navbar's height) above the element.
  if (box.y + box.height > viewport.height) {
    await page.setViewportSize({width: viewport.width, height: Math.ceil(box.y + box.height)});
    box = await top();
  }
  try {
    await page.screenshot({path, clip: box, style: SCREENSHOT_STYLE});
  } finally {
    await page.setViewportSize(viewport);
  }
}
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

// The proxy checker on the guide (src/components/ProxyChecker), driven like a reader would: keyboard
// and clipboard, in both locales. What it predicts is compared with runbook-netcheck in
// tests/components/; here: that the page shows it, sends nothing, and the share link works.
const ZH_MESSAGES = JSON.parse(readFileSync(join(REPO_ROOT, 'i18n/zh-Hans/code.json'), 'utf8')) as Record<string, {message: string}>;
/** The text a locale shows for a message id: the English default, or its zh-Hans translation. */
const message = (locale: string, id: string, english: string) => (locale === 'en' ? english : ZH_MESSAGES[id]!.message);

const PASTED = [
  'http_proxy=http://alice:s3cret@proxy.corp:3128',
  'HTTP_PROXY=http://alice:s3cret@proxy.corp:3128',
  'no_proxy=[::1],.corp.example.com',
  '+ curl -sS http://127.0.0.1:8000/v1/models',
].join('\r\n');

const guidePath = (locale: string) => (locale === 'en' ? PROXY_GUIDE : `zh-Hans/${PROXY_GUIDE}`);
const checkerOf = (page: Page) => page.locator('[data-proxy-checker]');

/** Every row of one of the checker's tables: client, outcome, the text of its cells. */
const tableRows = (page: Page, table: 'before' | 'after') =>
  checkerOf(page).locator(`[data-table=${table}] tr[data-client]`).evaluateAll((rows) =>
    rows.map((row) => [row.getAttribute('data-client'), row.getAttribute('data-outcome'), (row as HTMLElement).innerText]));

describe('the proxy checker on the guide', () => {
  test.each(['en', 'zh-Hans'])('%s: paste (password redacted), read the verdicts, copy the fix, apply it; nothing is sent', async (locale) => {
    const page = await open(guidePath(locale));
    await chromium.context.grantPermissions(['clipboard-read', 'clipboard-write'], {origin: new URL(server.url).origin});
    const checker = checkerOf(page);
    await checker.scrollIntoViewIfNeeded();
    await page.waitForLoadState('networkidle');
    const requests: string[] = [];
    const record = (request: {method(): string; url(): string}) => requests.push(`${request.method()} ${request.url()}`);
    chromium.context.on('request', record);
    try {
      // Labelled fields, reached and filled with the keyboard.
      const envField = checker.getByRole('textbox', {name: message(locale, 'proxyChecker.env.label', 'Paste what {command} prints').split('{')[0]!.trim()});
      await page.evaluate((text) => navigator.clipboard.writeText(text), PASTED);
      await envField.focus();
      await page.keyboard.press('Control+V');
      await expect.poll(() => envField.inputValue()).toContain('http_proxy=http://***@proxy.corp:3128');
      expect(await envField.inputValue(), 'the password is gone as soon as it is pasted').not.toContain('s3cret');
      await page.keyboard.press('Tab');
      const urlField = checker.getByRole('textbox', {name: message(locale, 'proxyChecker.url.label', 'URL of your service'), exact: true});
      expect(await urlField.evaluate((field) => field === document.activeElement)).toBe(true);
      expect(await urlField.inputValue()).toBe('http://127.0.0.1:8000');

      const row = (client: string) => checker.locator(`[data-table=before] tr[data-client="${client}"]`);
      await expect.poll(() => row('httpx').getAttribute('data-outcome')).toBe('fails');
      expect(await row('httpx').locator('td').first().innerText()).toBe(message(locale, 'proxyChecker.verdict.fails', 'fails before sending'));
      expect(await row('wget').getAttribute('data-outcome')).toBe('via');
      expect(await row('wget').locator('td').first().innerText()).toBe(message(locale, 'proxyChecker.verdict.via', 'via the proxy'));
      expect(await row('wget').innerText()).toContain('http://***@proxy.corp:3128');
      expect(await checker.innerText()).not.toContain('s3cret');
      expect(await checker.locator('[data-ignored]').innerText()).toContain('1');

      // The suggested lines keep the reader's entry, add the loopback four, drop [::1].
      const lines = await checker.locator('pre[data-fix=bash]').innerText();
      expect(lines).toContain('.corp.example.com');
      expect(lines).toContain('localhost,127.0.0.1,::1,0.0.0.0');
      expect(lines).not.toContain('[::1]');
      expect(lines.split('\n').map((line) => line.split('=')[0])).toEqual(['export no_proxy', 'export NO_PROXY']);
      expect(await checker.locator('[data-dropped]').innerText()).toContain('[::1]');
      expect((await tableRows(page, 'after')).filter(([, outcome]) => outcome !== 'direct')).toEqual([]);

      // Copy them with the keyboard, paste them under the variables: every client goes direct.
      const copy = checker.getByRole('button', {name: message(locale, 'proxyChecker.copy.lines', 'Copy the lines')});
      await copy.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(lines);
      await envField.focus();
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Control+V');
      await expect.poll(async () => (await tableRows(page, 'before')).filter(([, outcome]) => outcome !== 'direct')).toEqual([]);
      expect(await tableRows(page, 'before')).toHaveLength(CLIENTS.length);
    } finally {
      chromium.context.off('request', record);
    }
    expect(requests, 'requests made while the checker worked').toEqual([]);
    await page.close();
  });

  test.each(['en', 'zh-Hans'])('%s: the share link restores the same tables, without the password', async (locale) => {
    const page = await open(guidePath(locale));
    await checkerOf(page).locator('textarea').fill(PASTED);
    await checkerOf(page).getByRole('textbox', {name: message(locale, 'proxyChecker.url.label', 'URL of your service'), exact: true}).fill('0.0.0.0:8000');
    await expect.poll(() => checkerOf(page).locator('[data-normalised-url]').getAttribute('data-normalised-url')).toBe('http://0.0.0.0:8000');
    const before = await tableRows(page, 'before');
    const after = await tableRows(page, 'after');
    const href = await checkerOf(page).locator('[data-share-link]').getAttribute('href');
    expect(href).toMatch(/^#proxy-check\?/);
    expect(href).not.toContain('s3cret');
    await page.close();

    const shared = await open(guidePath(locale) + href);
    await expect.poll(() => tableRows(shared, 'before')).toEqual(before);
    expect(await tableRows(shared, 'after')).toEqual(after);
    expect(await checkerOf(shared).locator('textarea').inputValue()).toContain('http_proxy=http://***@proxy.corp:3128');
    await shared.close();
  });

  test.each([
    ['en', ''],
    ['zh-Hans', 'zh-Hans/'],
  ])('%s: the intro links to the checker', async (_locale, home) => {
    const page = await open(home);
    await page.locator('article a[href$="#proxy-checker"]').first().click();
    await page.waitForURL((url) => url.pathname === `/${home}${PROXY_GUIDE}` && url.hash === '#proxy-checker');
    await checkerOf(page).locator('textarea').waitFor();
    await page.close();
  });

  test('only the guide loads the checker\'s chunk', async () => {
    const scripts = async (path: string) => {
      const urls: string[] = [];
      const page = await open(path, (p) => p.on('request', (request) => urls.push(new URL(request.url()).pathname)));
      await page.close();
      return urls.filter((url) => url.endsWith('.js'));
    };
    expect((await scripts(PROXY_GUIDE)).some((url) => /\/proxy-checker\.[0-9a-f]+\.js$/.test(url))).toBe(true);
    expect((await scripts('guides/restricted-networks')).filter((url) => url.includes('proxy-checker'))).toEqual([]);
  });

  test.each([
    ['en', 'light', 390],
    ['zh-Hans', 'light', 390],
    ['en', 'dark', 1280],
  ] as const)('%s checker, %s, %i px wide: screenshot, nothing wider than the screen', async (locale, theme, width) => {
    const page = await open(guidePath(locale));
    // No stored choice (the dark-mode test leaves one): the site follows the system's scheme.
    await page.evaluate(() => localStorage.clear());
    await page.emulateMedia({colorScheme: theme});
    await page.setViewportSize({width, height: 900});
    await page.reload({waitUntil: 'networkidle'});
    expect(await page.getAttribute('html', 'data-theme')).toBe(theme);
    const checker = checkerOf(page);
    await checker.locator('textarea').fill(PASTED);
    await checker.locator('[data-table=after]').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'horizontal overflow of the page').toBeLessThanOrEqual(0);
    await screenshot(checker, `proxy-checker-${locale}-${theme}-${width}`);
    await page.close();
  });
});

// The runbooks it serves, over plain HTTP: the same build, no second one.
describeServedRunbooks(() => ({url: server.url, outDir}));

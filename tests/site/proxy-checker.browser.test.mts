// The proxy checker on the proxy guide, in headless Debian Chromium, in both locales: paste, verdicts,
// copy and apply the fix with nothing sent; the share link; its own chunk only on the guide; narrow
// and dark layouts.
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import type {Page} from 'playwright-core';
import {describe, expect, test} from 'vitest';
import {CLIENTS} from '../../src/proxy/predict.mts';
import {REPO_ROOT} from './doc-source.mts';
import {PROXY_GUIDE, useBuiltSite} from './built-site.mts';

const session = useBuiltSite({browser: true});
const {open, screenshot} = session;

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
    await session.chromium.context.grantPermissions(['clipboard-read', 'clipboard-write'], {origin: new URL(session.server.url).origin});
    const checker = checkerOf(page);
    await checker.scrollIntoViewIfNeeded();
    // The guide's diagram loads Mermaid in an effect after hydration, which may come after the load
    // went idle on a busy machine; those requests are the page's own, not the checker's.
    await page.locator('.docusaurus-mermaid-container svg').first().waitFor();
    await page.waitForLoadState('networkidle');
    const requests: string[] = [];
    const record = (request: {method(): string; url(): string}) => requests.push(`${request.method()} ${request.url()}`);
    session.chromium.context.on('request', record);
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
      session.chromium.context.off('request', record);
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

// In headless Chromium, on a fixture site built from a temp git repo: the outdated zh-Hans page shows
// the banner (with the link to the English page and the changed section), the fresh one does not,
// and both quietly name their source commit.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {launchChromium, serveStatic, type ChromiumSession, type StaticServer} from '../kit/browser.mts';
import {buildFixtureSite, type FixtureSite} from './fixture-site.mts';

let site: FixtureSite | undefined;
let server: StaticServer | undefined;
let browser: ChromiumSession | undefined;
let sourceCommit: string;

beforeAll(async () => {
  site = await buildFixtureSite();
  sourceCommit = (await site.repo.git('log', '--format=%h', '-1', 'HEAD~2')).trim();
  server = await serveStatic(site.buildDir);
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await site?.repo.remove();
});

async function open(path: string) {
  const page = await browser!.context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
  });
  await page.goto(new URL(path, server!.url).href, {waitUntil: 'networkidle'});
  return {page, errors};
}

describe('translation status on the site', () => {
  it('an outdated page shows the banner in Chinese, with the English link and the changed section', async () => {
    const {page, errors} = await open('zh-Hans/stale');
    const banner = page.locator('[data-translation-outdated]');
    await expect.poll(() => banner.isVisible()).toBe(true);
    expect(await banner.innerText()).toContain('此译文已过时');
    expect(await banner.locator('[data-changed-sections] li').allInnerTexts()).toEqual(['Usage']);
    expect(await page.locator('[data-translation-source]').innerText()).toContain(sourceCommit);

    await banner.getByRole('link', {name: '英文原文'}).click();
    await page.waitForURL((url) => url.pathname === '/stale');
    expect(await page.locator('h1').innerText()).toBe('Stale');
    expect(await page.locator('[data-translation-outdated], [data-translation-source]').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a fresh page shows no banner, only the quiet source commit', async () => {
    const {page, errors} = await open('zh-Hans/fresh');
    const note = page.locator('[data-translation-source]');
    await expect.poll(() => note.isVisible()).toBe(true);
    expect(await note.innerText()).toBe(`本页译自英文页面的提交 ${sourceCommit}。`);
    expect(await page.locator('[data-translation-outdated]').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});

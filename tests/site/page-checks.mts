// The page checks of the built site in headless Debian Chromium, for any server of it: both locales,
// the locale dropdown, local search in English and Chinese, the Mermaid flowchart (from its pre-built
// copy, only where a diagram is), the quick fix in the first viewport, dark mode, and no console
// errors anywhere. pages.browser.test.mts runs them all on the shared build's own server,
// bundle.browser.test.mts (the same pages, served otherwise) all but the layout checks on the offline
// bundle behind python3 -m http.server.
import type {Page} from 'playwright-core';
import {expect, test} from 'vitest';
import {compact, docSource, docTitle, mermaidNodeLabels} from './doc-source.mts';
import {PROXY_GUIDE, RESTRICTED_GUIDE, type SiteSession} from './built-site.mts';

const proxyGuide = (locale: string) => docSource(locale, `${PROXY_GUIDE}.md`);
const mermaidContainer = (page: Page) => page.locator('.docusaurus-mermaid-container').first();

/**
 * Registers the page checks (call inside a describe) against `session`'s server. `layout: false`
 * leaves out the checks that depend only on the built pages and the browser, never on the server
 * (what the first viewport shows, dark mode): a second server of the same build needs only the rest.
 */
export function pageChecks(session: SiteSession, {layout}: {layout: boolean}): void {
  const open: SiteSession['open'] = (path, prepare) => session.open(path, prepare);
  const screenshot: SiteSession['screenshot'] = (target, name) => session.screenshot(target, name);

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
      // A host without clean URLs (python3 -m http.server) redirects a folder to its trailing slash.
      const at = (path: string) => (url: URL) => url.href.replace(/\/$/, '') === `${session.server.url}${path}`;
      await page.waitForURL(at(`zh-Hans/${PROXY_GUIDE}`));
      await expect.poll(() => page.getAttribute('html', 'lang')).toBe('zh-Hans');
      expect(await page.locator('article h1').first().innerText()).toBe(docTitle(proxyGuide('zh-Hans')));
      await switchTo('English');
      await page.waitForURL(at(PROXY_GUIDE));
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

    test('Mermaid comes from its pre-built copy, and only to pages with a diagram', async () => {
      // src/site-mermaid: the package's own minified modules, served next to the site's assets.
      const mermaidRequests = async (path: string) => {
        const urls: string[] = [];
        const page = await open(path, (p) => p.on('request', (request) => urls.push(new URL(request.url()).pathname)));
        if (path === PROXY_GUIDE) await mermaidContainer(page).locator('svg').waitFor();
        await page.close();
        return urls.filter((url) => /\/assets\/mermaid-[^/]+\//.test(url));
      };
      const loaded = await mermaidRequests(PROXY_GUIDE);
      expect(loaded).toContainEqual(expect.stringMatching(/^\/assets\/mermaid-[\d.]+\/mermaid\.esm\.min\.mjs$/));
      expect(loaded.some((url) => url.includes('/chunks/'))).toBe(true);
      expect(await mermaidRequests('')).toEqual([]);
    });

    // Layout: the same built pages look the same from any server.
    if (!layout) return;

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

    test.each([
      ['en', 390, 844, ''],
      ['en', 1280, 800, ''],
      ['zh-Hans', 390, 844, 'zh-Hans/'],
      ['zh-Hans', 1280, 800, 'zh-Hans/'],
    ])('%s restricted-network guide at %i×%i: the mirror lines (HF_ENDPOINT, PIP_INDEX_URL) are in the first viewport', async (locale, width, height, prefix) => {
      const page = await open(`${prefix}${RESTRICTED_GUIDE}`);
      await page.setViewportSize({width, height});
      await page.evaluate(() => window.scrollTo(0, 0));
      const fix = page.locator('article pre').filter({hasText: 'export HF_ENDPOINT=https://hf-mirror.com'}).first();
      expect(await fix.innerText()).toContain('export PIP_INDEX_URL=');
      const box = await fix.boundingBox();
      expect(box, 'the mirror lines\' code block').not.toBeNull();
      expect(box!.y).toBeGreaterThanOrEqual(0);
      expect(box!.y + box!.height).toBeLessThanOrEqual(height);
      expect(box!.x + box!.width).toBeLessThanOrEqual(width);
      await screenshot(page, `restricted-first-viewport-${locale}-${width}`);
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
}

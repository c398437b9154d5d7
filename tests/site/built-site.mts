// The built site (tests/kit/site-build.mts: built once, reused while its inputs are unchanged),
// served on loopback, and optionally a headless Chromium that opens its pages and fails the test on
// any console error or uncaught page error. The browser tests are split by concern into several
// files so that vitest runs them side by side; the first to arrive builds the site, the others wait
// for that one build. Screenshots land in test-results/screenshots/ (git-ignored).
import {mkdir} from 'node:fs/promises';
import {join} from 'node:path';
import type {Locator, Page} from 'playwright-core';
import {afterAll, afterEach, beforeAll, expect} from 'vitest';
import {launchChromium, serveStatic, type ChromiumSession, type StaticServer} from '../kit/browser.mts';
import {builtSite} from '../kit/site-build.mts';
import {REPO_ROOT} from './doc-source.mts';

const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'screenshots');
const BUILD_TIMEOUT_MS = 280_000;
export const PROXY_GUIDE = 'guides/local-service-proxy';
export const RESTRICTED_GUIDE = 'guides/restricted-networks';

export interface SiteSession {
  /** The build output folder (do not write into it). */
  outDir: string;
  server: StaticServer;
  /** Only with `{browser: true}`. */
  chromium: ChromiumSession;
  /** A fresh page at `path` (relative to the site root), hydrated; `prepare` runs before it loads. */
  open(path: string, prepare?: (page: Page) => void): Promise<Page>;
  /** A page's viewport, or one element, saved as test-results/screenshots/<name>.png. */
  screenshot(target: Page | Locator, name: string): Promise<void>;
}

/**
 * Registers this file's hooks: build or reuse the site, serve it (with `serve`, default
 * serveStatic on loopback), and start Chromium if asked.
 */
export function useBuiltSite({browser, serve = serveStatic}: {browser: boolean; serve?: (outDir: string) => Promise<StaticServer>}): SiteSession {
  let errors: string[] = [];
  // Stops the build if the hook times out, so no orphaned build keeps writing.
  const buildAborter = new AbortController();
  const session = {open, screenshot} as SiteSession;

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, {recursive: true});
    // Chromium starts while the site builds (or comes from the cache).
    const [site, chromium] = await Promise.allSettled([builtSite(buildAborter.signal), browser ? launchChromium() : Promise.resolve(undefined)]);
    if (chromium.status === 'fulfilled' && chromium.value) session.chromium = chromium.value;
    if (site.status === 'rejected') throw site.reason;
    if (chromium.status === 'rejected') throw chromium.reason;
    session.outDir = site.value;
    session.server = await serve(session.outDir);
  }, BUILD_TIMEOUT_MS + 20_000);

  afterAll(async () => {
    buildAborter.abort();
    await session.chromium?.close();
    await session.server?.close();
  });

  afterEach(() => {
    const seen = errors;
    errors = [];
    expect(seen, 'console errors / uncaught page errors').toEqual([]);
  });

  async function open(path: string, prepare?: (page: Page) => void): Promise<Page> {
    const page = await session.chromium.context.newPage();
    prepare?.(page);
    page.setDefaultTimeout(15_000); // fail with Playwright's message before vitest's 30 s test timeout
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`${page.url()}: console.error: ${message.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`${page.url()}: uncaught: ${error.message}`));
    await page.goto(session.server.url + path, {waitUntil: 'networkidle'});
    // Hydration done: the color toggle stays disabled until React has taken over the page.
    await page.locator('[class*="colorModeToggle"] button:not([disabled])').waitFor();
    return page;
  }

  return session;
}

// The sticky navbar would cover the top of an element that is taller than the viewport.
const SCREENSHOT_STYLE = '.navbar { position: static !important; }';

/** Headless Chromium captures an element that does not fit the viewport from the whole page, which
 *  takes tens of seconds far down a long guide; so the element is scrolled to the top of a viewport
 *  made tall enough for it, and that viewport is captured. */
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

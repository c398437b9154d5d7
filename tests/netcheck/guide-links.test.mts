// Every advice runbook-netcheck prints is followed by a link to the proxy guide's section that
// explains it, on the English and the Chinese page: the anchors exist on both pages (the same
// explicit heading id) and the site URL is src/site-address's placeholder, which the copies the site
// serves replace with the build's SITE_URL (tests/site/site-url.stack.test.mts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import {describe, expect, it} from 'vitest';
import {guideLink, PROXY_GUIDE, SITE_URL, type GuideSection} from '../../src/netcheck/guide-links.mts';
import {PLACEHOLDER_SITE_URL} from '../../src/site-address/site-url.mts';
import {runClient} from '../kit/processes.mts';
import {REPO, generatedFile} from '../kit/runbooks.mts';
import {NETCHECK_BIN} from '../../src/extraction/emit.mts';
// A port nothing listens on: bound, then released.
import {freePort} from '../../src/stack/free-port.mts';

const SECTIONS: GuideSection[] = ['quick-fix', 'symptoms', 'evaluation-tools-hang', 'scenario-local-service', 'health-check', 'local-proxies-socks'];
const pages = {
  en: fs.readFileSync(path.join(REPO, 'docs', `${PROXY_GUIDE}.md`), 'utf8'),
  'zh-Hans': fs.readFileSync(path.join(REPO, 'i18n/zh-Hans/docusaurus-plugin-content-docs/current', `${PROXY_GUIDE}.md`), 'utf8'),
};

describe('advice links to the proxy guide', () => {
  it('the links name the placeholder address that a site build replaces', () => {
    expect(SITE_URL).toBe(PLACEHOLDER_SITE_URL);
  });

  it.each(SECTIONS)('#%s is a heading id on the English and the Chinese page', (section) => {
    for (const [locale, source] of Object.entries(pages)) {
      expect(source, locale).toMatch(new RegExp(`^#{2,4} .+ \\{/\\* #${section} \\*/\\}$`, 'm'));
    }
  });

  it('a refused service: the advice, then the section in both languages', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const ran = await runClient(await generatedFile(NETCHECK_BIN), ['service', 'models', url], process.env);
    expect(ran.code).toBe(1);
    const lines = ran.stdout.trim().split('\n');
    expect(lines.at(-2)).toMatch(/^advice: nothing listens on that address and port/);
    expect(lines.at(-1)).toBe(`see: ${guideLink('scenario-local-service')}`);
    expect(lines.at(-1)).toContain(`${SITE_URL}/zh-Hans/${PROXY_GUIDE}#scenario-local-service`);
  });
});

// Where each advice is explained: a section of the proxy guide on the site, in English and in
// Chinese. Both pages give the section the same explicit id, so one anchor serves both
// (tests/netcheck/guide-links.test.mts checks). The links name the placeholder address, so that the
// runbooks `npm run runbooks` writes are the same whatever SITE_URL says; the copies the site serves
// name the site's own address (src/site-address: replaced at site build).
import {PLACEHOLDER_SITE_URL} from '../site-address/site-url.mts';

export const SITE_URL = PLACEHOLDER_SITE_URL;
export const PROXY_GUIDE = 'guides/local-service-proxy';

/** Sections of the proxy guide an advice can point at (explicit heading ids on both pages). */
export type GuideSection = 'quick-fix' | 'symptoms' | 'evaluation-tools-hang' | 'scenario-local-service' | 'health-check' | 'local-proxies-socks';

export function guideLink(section: GuideSection, page = PROXY_GUIDE): string {
  return `${SITE_URL}/${page}#${section} (中文: ${SITE_URL}/zh-Hans/${page}#${section})`;
}

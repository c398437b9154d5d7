// Where each advice is explained: a section of the proxy guide on the site, in English and in
// Chinese. Both pages give the section the same explicit id, so one anchor serves both; the site
// URL is docusaurus.config.ts's `url` (tests/netcheck/guide-links.test.mts checks both).
export const SITE_URL = 'https://llm-network-runbooks.example.org';
export const PROXY_GUIDE = 'guides/local-service-proxy';

/** Sections of the proxy guide an advice can point at (explicit heading ids on both pages). */
export type GuideSection = 'quick-fix' | 'symptoms' | 'evaluation-tools-hang' | 'scenario-local-service' | 'health-check' | 'local-proxies-socks';

export function guideLink(section: GuideSection, page = PROXY_GUIDE): string {
  return `${SITE_URL}/${page}#${section} (中文: ${SITE_URL}/zh-Hans/${page}#${section})`;
}

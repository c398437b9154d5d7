// The one address the site is served at, decided at build time by SITE_URL. Everything that names
// the site reads it from here: docusaurus.config.ts (`url`, `baseUrl`: canonical and hreflang links,
// the one-liners, the Runbooks page), src/netcheck/guide-links.mts (the advice links runbooks
// print) and the served runbooks (src/site-runbooks). No imports: the runbooks' runtime bundles it.

/** What an unconfigured build names: reserved (RFC 2606), so it can never reach a real host. */
export const PLACEHOLDER_SITE_URL = 'https://llm-network-runbooks.example.org';

export interface SiteAddress {
  /** Origin for docusaurus.config.ts `url`: `https://host[:port]`. */
  url: string;
  /** Path for docusaurus.config.ts `baseUrl`: `/` or `/path/`. */
  baseUrl: string;
  /** Where the site's root is, without a trailing slash: `url` + `baseUrl` minus the last `/`. */
  siteUrl: string;
  placeholder: boolean;
}

// Scheme, host, optional port, optional path of plain characters: nothing that could end a string
// in the generated JavaScript, HTML or shell lines the address is written into.
const SHAPE = /^(https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?)(\/(?:[A-Za-z0-9._~-]+\/)*(?:[A-Za-z0-9._~-]+)?)?$/i;

/** The address SITE_URL names (the placeholder when unset); a bad value throws one line. */
export function siteAddress(value: string | undefined = process.env.SITE_URL): SiteAddress {
  const raw = value?.trim() || PLACEHOLDER_SITE_URL;
  const match = SHAPE.exec(raw);
  if (!match) throw new Error(`SITE_URL=${JSON.stringify(raw)} is not an http(s) address like https://runbooks.example.com or https://user.github.io/repo/`);
  const url = match[1].toLowerCase();
  const path = (match[2] ?? '/').replace(/\/?$/, '/');
  return {url, baseUrl: path, siteUrl: `${url}${path}`.replace(/\/$/, ''), placeholder: url === PLACEHOLDER_SITE_URL};
}

/** Why a build for deployment must not go ahead with this address, or undefined when it may. */
export function deployRefusal(address: SiteAddress): string | undefined {
  if (!address.placeholder) return undefined;
  return `refusing to build for deployment: the site address is the placeholder ${PLACEHOLDER_SITE_URL}; set SITE_URL to where the site will be served (e.g. SITE_URL=https://runbooks.example.com npm run build:deploy)`;
}

/** `text` with every mention of the placeholder address replaced by `siteUrl` (no trailing slash). */
export function withSiteUrl(text: string, siteUrl: string): string {
  return text.replaceAll(PLACEHOLDER_SITE_URL, siteUrl);
}

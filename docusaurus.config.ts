import type {Config} from '@docusaurus/types';
import type * as Preset from '@docusaurus/preset-classic';
import {themes as prismThemes} from 'prism-react-renderer';
import {remarkValidateAnnotations} from './src/extraction/index.mts';
import {DEFAULT_LOCALE, LOCALES} from './src/site-layout/index.mts';
import {remarkSiteUrl, deployRefusal, siteAddress} from './src/site-address/index.mts';
import {parseFrontMatterForSite} from './src/site-runbooks/index.mts';

// Where the site is served: SITE_URL at build time (src/site-address/README.md). A build for
// deployment (DEPLOY=1, which `npm run build:deploy` sets) refuses the placeholder address.
function addressOrExit() {
  try {
    const address = siteAddress();
    const refusal = process.env.DEPLOY === '1' ? deployRefusal(address) : undefined;
    if (!refusal) return address;
    console.error(refusal);
  } catch (error) {
    console.error((error as Error).message);
  }
  process.exit(2);
}
const address = addressOrExit();

const config: Config = {
  title: 'LLM Network Runbooks',
  tagline: 'Proxy and restricted-network guides for local LLM serving, proven runnable in CI',
  favicon: 'img/favicon.svg',
  url: address.url,
  baseUrl: address.baseUrl,
  onBrokenLinks: 'throw',
  onBrokenAnchors: 'throw',
  markdown: {
    mermaid: true,
    parseFrontMatter: parseFrontMatterForSite,
    hooks: {onBrokenMarkdownLinks: 'throw'},
  },
  // Rspack + SWC: a two-locale build takes seconds instead of minutes (see bench/).
  // DOCUSAURUS_BUNDLER=webpack turns every `faster` flag off (webpack + Babel + Terser, Docusaurus's
  // default pipeline) so bench/site-build.bench.mts can show the speed-up side by side.
  // With v4, every `faster` flag is on unless named here. No page shows a "last updated" date, so
  // the whole git history is not read up front (gitEagerVcs); the i18n plugin asks git what it needs.
  future: {v4: true, faster: process.env.DOCUSAURUS_BUNDLER === 'webpack' ? false : {gitEagerVcs: false}},
  // The locales are src/site-layout/locales.mts's list (extraction and i18n read the same one).
  i18n: {defaultLocale: DEFAULT_LOCALE, locales: Object.keys(LOCALES), localeConfigs: LOCALES},
  presets: [
    [
      'classic',
      {
        docs: {
          routeBasePath: '/',
          sidebarPath: './sidebars.ts',
          // A wrong runbook annotation fails the build with page:line (src/extraction/README.md).
          remarkPlugins: [remarkValidateAnnotations, remarkSiteUrl],
        },
        blog: false,
        theme: {customCss: './src/theme/custom.css'},
      } satisfies Preset.Options,
    ],
  ],
  // Translation status from git (outdated banner, source commit): src/i18n/docusaurus-plugin.mts.
  // runbooks/<name>.mjs served at <baseUrl>runbooks/, with size and sha256: src/site-runbooks/.
  // Components that import src/'s .mts modules (the proxy checker): src/components/docusaurus-plugin.mts.
  // Mermaid served as its packages' own minified modules, not bundled per locale: src/site-mermaid/.
  // One Rspack persistent cache for both locales: src/site-bundler/.
  plugins: ['./src/site-mermaid/docusaurus-plugin.mts', './src/site-bundler/docusaurus-plugin.mts', './src/i18n/docusaurus-plugin.mts', './src/site-runbooks/docusaurus-plugin.mts', './src/components/docusaurus-plugin.mts'],
  themes: [
    '@docusaurus/theme-mermaid',
    [
      '@easyops-cn/docusaurus-search-local',
      {
        hashed: true,
        language: ['en', 'zh'],
        docsRouteBasePath: '/',
        indexBlog: false,
        highlightSearchTermsOnTargetPage: true,
        // The translation banner and source-commit note are page chrome, not content to find.
        ignoreCssSelectors: ['[data-translation-outdated]', '[data-translation-source]'],
      },
    ],
  ],
  themeConfig: {
    colorMode: {respectPrefersColorScheme: true},
    navbar: {
      title: 'LLM Network Runbooks',
      logo: {alt: 'LLM Network Runbooks', src: 'img/favicon.svg'},
      items: [
        {type: 'docSidebar', sidebarId: 'guides', position: 'left', label: 'Guides'},
        {to: '/runbooks', position: 'left', label: 'Runbooks'},
        {type: 'localeDropdown', position: 'right'},
      ],
    },
    footer: {
      style: 'dark',
      copyright: 'LLM Network Runbooks. Most commands on these pages run in CI against a mock vLLM, a real Squid and stand-in mirrors; the Runbooks page says which.',
    },
    prism: {
      theme: prismThemes.github,
      darkTheme: prismThemes.dracula,
      additionalLanguages: ['bash', 'python', 'yaml', 'docker', 'toml', 'json'],
    },
  } satisfies Preset.ThemeConfig,
};

export default config;

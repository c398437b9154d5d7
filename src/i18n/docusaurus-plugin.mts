// Docusaurus plugin: at build time, computes each translated doc's status from git (the same
// `analyzeTranslation` as `npm run i18n:check`) and publishes it as global data for the theme
// (src/theme/TranslationStatus), which shows the outdated banner and the source commit.
import {realpath} from 'node:fs/promises';
import type {LoadContext, Plugin} from '@docusaurus/types';
import type {LoadedContent} from '@docusaurus/plugin-content-docs';
import {topLevel} from '../io/index.mts';
import {DOCS_DIR, translationDir} from '../site-layout/index.mts';
import {analyzeTranslation, type PageStatus} from './status.mts';
import {PLUGIN_NAME, type TranslatedPageData, type TranslationGlobalData} from './site-data.mts';

/** The banner follows git's answer; only when git cannot answer does it fall back to the flag. */
function pageData(status: PageStatus, englishUrl: string): TranslatedPageData | null {
  if (status.meta === undefined) return null;
  const verified = status.outdated !== undefined;
  return {
    sourceCommit: status.meta.source_commit,
    outdated: verified ? status.outdated as boolean : status.meta.outdated,
    verified,
    changedSections: status.changedSections ?? [],
    englishUrl,
  };
}

async function translatedPages(context: LoadContext, docs: LoadedContent): Promise<TranslationGlobalData['pages']> {
  const {currentLocale, defaultLocale, localeConfigs} = context.i18n;
  // git reports the real path; the site dir may be reached through a symlink.
  const siteDir = await realpath(context.siteDir);
  const root = await topLevel(siteDir).catch(() => null);
  if (root !== siteDir) {
    console.warn(`[${PLUGIN_NAME}] ${context.siteDir} is not the top of a git work tree: no translation status shown`);
    return {};
  }
  // As the locale dropdown does: a path when both locales share a host, else a full URL.
  const english = localeConfigs[defaultLocale];
  const englishOrigin = english.url === localeConfigs[currentLocale].url ? '' : english.url.replace(/\/$/, '');
  const prefix = `@site/${translationDir(currentLocale)}/`;
  const translated = docs.loadedVersions.flatMap((version) => version.docs).filter((doc) => doc.source.startsWith(prefix));
  // The pages' git queries run side by side: each waits on its own git processes.
  const statuses = await Promise.all(translated.map((doc) => analyzeTranslation(root, currentLocale, doc.source.slice(prefix.length))));
  const pages: TranslationGlobalData['pages'] = {};
  translated.forEach((doc, index) => {
    const status = statuses[index]!;
    if (status.historyGap) console.warn(`[${PLUGIN_NAME}] ${status.translationFile}: ${status.historyGap}; showing its outdated: flag`);
    const page = pageData(status, englishOrigin + english.baseUrl + doc.permalink.slice(context.baseUrl.length));
    if (page) pages[doc.id] = page;
  });
  return pages;
}

export default function translationStatusPlugin(context: LoadContext): Plugin {
  const {currentLocale, defaultLocale} = context.i18n;
  return {
    name: PLUGIN_NAME,
    getPathsToWatch: () => [`${context.siteDir}/${DOCS_DIR}/**/*.{md,mdx}`, `${context.siteDir}/${translationDir(currentLocale)}/**/*.{md,mdx}`],
    async allContentLoaded({allContent, actions}) {
      const docs = allContent['docusaurus-plugin-content-docs']?.default as LoadedContent | undefined;
      const pages = currentLocale === defaultLocale || !docs ? {} : await translatedPages(context, docs);
      actions.setGlobalData({pages} satisfies TranslationGlobalData);
    },
  };
}

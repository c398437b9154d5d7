// Docusaurus plugin: publishes runbooks/<name>.mjs at <baseUrl>runbooks/<name>.mjs, self-contained
// (the runtime inlined, published.mts; written in postBuild for the default locale's output, which
// is the site's root), and their size and sha256 as global data for the Runbooks page and the
// guides' one-liners (components in this folder). The bytes hashed are the bytes written.
import {mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import type {LoadContext, Plugin} from '@docusaurus/types';
import {RUNBOOKS_DIR, RUNTIME_FILE} from '../plan/files.mts';
import {publishedRunbooks, type PublishedRunbook} from './published.mts';
import {PLUGIN_NAME, type RunbooksGlobalData} from './site-data.ts';

export default function runbooksSitePlugin(context: LoadContext): Plugin<PublishedRunbook[]> {
  const {currentLocale, defaultLocale, localeConfigs} = context.i18n;
  // Served once, at the site's root: a Chinese page points at the same file as the English one.
  const root = `${localeConfigs[defaultLocale].url.replace(/\/$/, '')}${localeConfigs[defaultLocale].baseUrl}`;
  return {
    name: PLUGIN_NAME,
    getPathsToWatch: () => [join(context.siteDir, RUNBOOKS_DIR, '*.mjs'), join(context.siteDir, RUNTIME_FILE)],
    // Their advice links name this build's address (src/site-address).
    loadContent: async () => publishedRunbooks(context.siteDir, root.replace(/\/$/, '')),
    async contentLoaded({content, actions}) {
      const runbooks = content.map(({name, path, size, sha256}) => ({name, path, url: `${root}${path}`, size, sha256}));
      actions.setGlobalData({runbooks} satisfies RunbooksGlobalData);
    },
    async postBuild({outDir, content}) {
      if (currentLocale !== defaultLocale) return;
      await mkdir(join(outDir, RUNBOOKS_DIR), {recursive: true});
      for (const runbook of content) await writeFile(join(outDir, runbook.path), runbook.bytes);
    },
  };
}

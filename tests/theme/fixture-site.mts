// A tiny Docusaurus site in a temp git repository: this repo's node_modules, its translation-status
// plugin and theme wrappers, and two zh-Hans pages, one fresh and one made outdated by a later commit.
import {cp, readFile, symlink} from 'node:fs/promises';
import {join, resolve} from 'node:path';
import {createRepo, englishPage, translation, ZH, type TestRepo} from '../i18n/git-repo.mts';
import {runOk} from '../kit/processes.mts';
import {DEFAULT_LOCALE, LOCALES} from '../../src/site-layout/locales.mts';

const MAIN = resolve(import.meta.dirname, '../..');

const CONFIG = `
export default {
  title: 'Fixture',
  favicon: 'img/favicon.svg',
  url: 'http://127.0.0.1',
  baseUrl: '/',
  onBrokenLinks: 'throw',
  // Only what the test looks at is made: no eager read of git history for "last updated" dates, no
  // sitemap or SVG plugin; JS and CSS unminified (the build's --no-minify). The persistent bundler
  // cache stays on, shared by both locales as on the site (src/site-bundler), so the second locale
  // reuses the first one's modules; it lives in the temp repository (not in the node_modules linked
  // from this checkout) and goes with it.
  future: {v4: true, faster: {gitEagerVcs: false}},
  i18n: {defaultLocale: ${JSON.stringify(DEFAULT_LOCALE)}, locales: ${JSON.stringify(Object.keys(LOCALES))}},
  presets: [['classic', {docs: {routeBasePath: '/'}, blog: false, pages: false, sitemap: false, svgr: false, theme: {}}]],
  plugins: [
    ${JSON.stringify(join(MAIN, 'src/i18n/docusaurus-plugin.mts'))},
    ${JSON.stringify(join(MAIN, 'src/site-bundler/docusaurus-plugin.mts'))},
    () => ({
      name: 'fixture-bundler-cache-dir',
      configureWebpack: (config) => ({experiments: {cache: {...config.experiments.cache, storage: {type: 'filesystem', directory: '.rspack-cache'}}}}),
    }),
  ],
};
`;

export interface FixtureSite {
  repo: TestRepo;
  /** The build output of both locales (English at `/`, Chinese at `/zh-Hans/`). */
  buildDir: string;
}

export async function buildFixtureSite(): Promise<FixtureSite> {
  const repo = await createRepo();
  try {
    await symlink(join(MAIN, 'node_modules'), join(repo.dir, 'node_modules'));
    await repo.write('.gitignore', 'node_modules\nbuild\n.docusaurus\n.rspack-cache\n');
    await repo.write('docusaurus.config.mjs', CONFIG);
    for (const component of ['MDXContent', 'TranslationStatus']) {
      await cp(join(MAIN, 'src/theme', component), join(repo.dir, 'src/theme', component), {recursive: true});
    }
    await repo.write('static/img/favicon.svg', await readFile(join(MAIN, 'static/img/favicon.svg')));
    await repo.write('i18n/zh-Hans/code.json', await readFile(join(MAIN, 'i18n/zh-Hans/code.json')));
    await repo.write('docs/index.md', '# Home\n\nThe navbar links here.\n');
    await repo.write('docs/fresh.md', englishPage('Fresh', {Install: 'Install it.', Usage: 'Use it.'}));
    await repo.write('docs/stale.md', englishPage('Stale', {Install: 'Install it.', Usage: 'Use it.'}));
    const first = await repo.commit('English pages');
    await repo.write(`${ZH}/fresh.md`, translation('docs/fresh.md', first, false, '# 新鲜\n\n正文。\n'));
    await repo.write(`${ZH}/stale.md`, translation('docs/stale.md', first, false, '# 陈旧\n\n正文。\n'));
    await repo.commit('Chinese pages');
    await repo.write('docs/stale.md', englishPage('Stale', {Install: 'Install it.', Usage: 'Use it with --flag.'}));
    await repo.commit('Change the Usage section of the stale page');
    // Both locales: the test follows the banner's link from the Chinese page to the English one.
    await runOk(process.execPath, [join(MAIN, 'node_modules/@docusaurus/core/bin/docusaurus.mjs'), 'build', '--no-minify'],
      {cwd: repo.dir, env: {...process.env, NODE_ENV: 'production'}});
    return {repo, buildDir: join(repo.dir, 'build')};
  } catch (error) {
    await repo.remove();
    throw error;
  }
}

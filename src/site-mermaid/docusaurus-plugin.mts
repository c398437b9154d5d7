// Docusaurus plugin: Mermaid (and its ELK layouts, when installed) reach the browser as the
// pre-built, minified ES modules their packages ship, copied next to the site's assets, instead of
// being bundled and minified again for every locale: they were most of the bundler's work
// (bench/README.md). The site still loads them only where a diagram renders: @docusaurus/theme-mermaid
// imports 'mermaid' lazily, and that import now resolves to ./mermaid.mjs, which loads the copy.
// Production builds only; `docusaurus start` bundles Mermaid as usual.
import {cp} from 'node:fs/promises';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import type {LoadContext, Plugin} from '@docusaurus/types';

/** A package's pre-built browser entry (`dist/<entry>`, with the chunks it imports), if installed. */
interface Prebuilt {
  /** The module specifier the site's code imports, and the module that replaces it in the bundle. */
  specifier: string;
  replacement: string;
  /** The constant through which the replacement learns the entry's path under the site's root. */
  constant: string;
  dist: string;
  entry: string;
  /** Where it is copied, under each locale's output folder. */
  dir: string;
}

function prebuilt(siteDir: string, specifier: string, entry: string, replacement: string, constant: string): Prebuilt | null {
  const require = createRequire(join(siteDir, 'package.json'));
  let packageJson: string;
  try {
    packageJson = require.resolve(`${specifier}/package.json`);
  } catch {
    return null;
  }
  const {version} = require(packageJson) as {version: string};
  const name = specifier.replace(/^@[^/]+\//, '');
  return {
    specifier,
    replacement: join(siteDir, 'src', 'site-mermaid', replacement),
    constant,
    dist: join(dirname(packageJson), 'dist'),
    entry,
    dir: `assets/${name}-${version}`,
  };
}

export default function mermaidPlugin({siteDir}: LoadContext): Plugin {
  const production = process.env.NODE_ENV === 'production';
  const packages = [
    prebuilt(siteDir, 'mermaid', 'mermaid.esm.min.mjs', 'mermaid.mjs', '__SITE_PREBUILT_MERMAID__'),
    prebuilt(siteDir, '@mermaid-js/layout-elk', 'mermaid-layout-elk.esm.min.mjs', 'layout-elk.mjs', '__SITE_PREBUILT_ELK__'),
  ].filter((found): found is Prebuilt => found !== null);
  return {
    name: 'site-mermaid',
    configureWebpack(_config, isServer, {currentBundler}) {
      if (!production) return {};
      return {
        // The server bundle renders pages without running effects: Mermaid never runs there.
        resolve: {alias: Object.fromEntries(packages.map((found) => [`${found.specifier}$`, isServer ? false : found.replacement]))},
        plugins: [
          new currentBundler.instance.DefinePlugin(Object.fromEntries(packages.map((found) => [found.constant, JSON.stringify(`${found.dir}/${found.entry}`)]))),
        ],
      };
    },
    async postBuild({outDir}) {
      if (!production) return;
      for (const found of packages) {
        const chunks = join('chunks', found.entry.replace(/\.mjs$/, ''));
        await cp(join(found.dist, found.entry), join(outDir, found.dir, found.entry));
        await cp(join(found.dist, chunks), join(outDir, found.dir, chunks), {
          recursive: true,
          filter: (source) => !source.endsWith('.map'),
        });
      }
    },
  };
}

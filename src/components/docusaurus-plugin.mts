// Docusaurus plugin: how the site bundles components/. Docusaurus compiles .js/.jsx/.ts/.tsx only;
// the components import src/proxy's .mts modules (shared with the Node runtime), so .mts under src/
// goes through the same JS loader. The proxy checker and the src/proxy code it pulls in get their
// own chunk, loaded only by the pages that show it, and measured by bench/proxy-checker-size.
import {join} from 'node:path';
import type {LoadContext, Plugin} from '@docusaurus/types';

export const PROXY_CHECKER_CHUNK = 'proxy-checker';

export default function componentsPlugin(context: LoadContext): Plugin {
  const src = join(context.siteDir, 'src');
  return {
    name: 'components',
    configureWebpack(_config, isServer, {getJSLoader}) {
      return {
        module: {rules: [{test: /\.mts$/, include: [src], use: getJSLoader({isServer})}]},
        ...(isServer ? {} : {
          optimization: {
            splitChunks: {
              cacheGroups: {
                proxyChecker: {
                  // Scripts only: the CSS stays in the site's one stylesheet, as Docusaurus wants it.
                  test: /[\\/]src[\\/](components[\\/]ProxyChecker|proxy)[\\/].*\.m?tsx?$/,
                  name: PROXY_CHECKER_CHUNK,
                  chunks: 'all',
                  enforce: true,
                  priority: 60,
                },
              },
            },
          },
        }),
      };
    },
  };
}

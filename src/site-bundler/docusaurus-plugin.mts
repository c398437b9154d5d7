// Docusaurus plugin: one Rspack persistent cache for every locale. Docusaurus names the cache after
// the locale, so the second locale of a cold build started from nothing although it bundles the same
// modules; what does differ between locales is in the generated files under .docusaurus/, which the
// cache re-reads like any other changed file (its snapshot follows their content).
import type {LoadContext, Plugin} from '@docusaurus/types';

export default function bundlerCachePlugin({i18n}: LoadContext): Plugin {
  return {
    name: 'site-bundler-cache',
    configureWebpack(config) {
      const cache = (config.experiments as {cache?: {type?: string; version?: string}} | undefined)?.cache;
      if (cache?.type !== 'persistent' || cache.version === undefined) return {};
      return {experiments: {cache: {...cache, version: cache.version.replace(`-${i18n.currentLocale}-`, '-every-locale-')}}};
    },
  };
}

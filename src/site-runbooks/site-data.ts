// What the runbooks plugin publishes to the browser bundle (types and the plugin's name only;
// `.ts`, not `.mts`: the site's client bundler compiles `.ts` but not `.mts`;
// the components import this file, so it must not pull in Node code).

export const PLUGIN_NAME = 'runbooks-site';

export interface PublishedRunbookData {
  name: string;
  /** Path below the site's baseUrl: `runbooks/<name>.mjs`. */
  path: string;
  /** Where the site serves it: the default locale's url and baseUrl, whatever the page's locale. */
  url: string;
  size: number;
  sha256: string;
}

export interface RunbooksGlobalData {
  runbooks: PublishedRunbookData[];
}

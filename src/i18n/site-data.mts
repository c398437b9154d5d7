// What the translation-status Docusaurus plugin hands to the theme (global data, JSON-serializable).
// The theme imports these types only: the plugin runs in Node, the theme in the browser.

export const PLUGIN_NAME = 'i18n-translation-status';

export interface TranslatedPageData {
  /** The source commit the translation follows, as written in its front matter. */
  sourceCommit: string;
  /** Whether the page shows the outdated banner. */
  outdated: boolean;
  /** true: `outdated` was computed from git at build time; false: git could not tell (e.g. a
   * shallow clone), so it is the page's own front matter flag. */
  verified: boolean;
  /** English headings of the changed sections; null = the part before the first heading. */
  changedSections: (string | null)[];
  /** URL of the same page in the default locale. */
  englishUrl: string;
}

export interface TranslationGlobalData {
  /** Keyed by doc id. Empty in the default locale. */
  pages: Record<string, TranslatedPageData>;
}

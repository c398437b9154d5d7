// The site's locales: the one list. docusaurus.config.ts builds its `i18n` from it, extraction reads
// every locale's pages, and translation tracking follows every locale but the default one.
// No Node import: the Docusaurus config loads it.

export const DEFAULT_LOCALE = 'en';

/** Each locale with the label the language menu shows and its `<html lang>`. */
export const LOCALES = {
  en: {label: 'English', htmlLang: 'en'},
  'zh-Hans': {label: '简体中文', htmlLang: 'zh-Hans'},
} as const;

export type Locale = keyof typeof LOCALES;

/** The locales whose pages are translations of the default locale's. */
export const TRANSLATED_LOCALES = (Object.keys(LOCALES) as Locale[]).filter((locale) => locale !== DEFAULT_LOCALE);

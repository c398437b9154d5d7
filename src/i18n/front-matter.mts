// Reads and validates the `translation:` block of a translated page's front matter (found by
// src/site-layout/front-matter.mts's fence rule).
import {parse as parseYaml} from 'yaml';
import {splitFrontMatter} from '../site-layout/front-matter.mts';

export interface TranslationMeta {
  source_commit: string;
  source_file: string;
  outdated: boolean;
}

export const SHORT_SHA = /^[0-9a-f]{7,40}$/;
const FIELDS = ['source_commit', 'source_file', 'outdated'] as const;

export type MetaResult = {ok: true; meta: TranslationMeta} | {ok: false; error: string};

/** Parses a translated page's text; `error` says in one line what is wrong with its front matter. */
export function readTranslationMeta(text: string): MetaResult {
  const {frontMatter} = splitFrontMatter(text);
  if (frontMatter === null) return {ok: false, error: 'no front matter (the page must start with a `---` block)'};
  let data: unknown;
  try {
    data = parseYaml(frontMatter);
  } catch (error) {
    const first = String((error as Error).message).split('\n')[0];
    return {ok: false, error: `front matter is not valid YAML: ${first}`};
  }
  const translation = isRecord(data) ? data.translation : undefined;
  if (translation === undefined) return {ok: false, error: 'front matter has no `translation:` block'};
  if (!isRecord(translation)) return {ok: false, error: '`translation:` must be a mapping'};
  const unknown = Object.keys(translation).filter((key) => !(FIELDS as readonly string[]).includes(key));
  if (unknown.length) return {ok: false, error: `unknown key(s) under translation: ${unknown.join(', ')}`};
  const {source_commit, source_file, outdated} = translation;
  if (typeof source_commit !== 'string') {
    return {ok: false, error: 'translation.source_commit must be a quoted string, e.g. "aa7b7cb"'};
  }
  if (!SHORT_SHA.test(source_commit)) {
    return {ok: false, error: `translation.source_commit ${JSON.stringify(source_commit)} is not a 7-40 digit lowercase hex commit id`};
  }
  if (typeof source_file !== 'string' || source_file === '') {
    return {ok: false, error: 'translation.source_file must be a path such as "docs/guides/page.md"'};
  }
  if (typeof outdated !== 'boolean') return {ok: false, error: 'translation.outdated must be true or false'};
  return {ok: true, meta: {source_commit, source_file, outdated}};
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

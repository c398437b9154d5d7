// Reads and validates the `translation:` block of a translated page's front matter.
import {parse as parseYaml} from 'yaml';

export interface TranslationMeta {
  source_commit: string;
  source_file: string;
  outdated: boolean;
}

export interface SplitPage {
  /** The YAML between the `---` fences, or null when the page has no front matter. */
  frontMatter: string | null;
  /** Everything after the closing fence (the whole text when there is no front matter). */
  body: string;
}

// Same shape Docusaurus (gray-matter) accepts: `---` on the first line, closed by a `---` line.
const FRONT_MATTER = /^---[ \t]*\r?\n(?:([\s\S]*?)\r?\n)?---[ \t]*(?:\r?\n|$)/;

export function splitFrontMatter(text: string): SplitPage {
  const match = FRONT_MATTER.exec(text);
  if (!match) return {frontMatter: null, body: text};
  return {frontMatter: match[1] ?? '', body: text.slice(match[0].length)};
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

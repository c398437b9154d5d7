// A page's front matter: `---` on the first line (after a byte-order mark, if any), closed by a `---`
// line, blanks after either allowed, any line ending (LF, CRLF, a lone CR as micromark reads it).
// The one fence rule of the project: extraction, i18n's reader and byte-exact writer, and the tests
// find the front matter here.
import {parse as parseYaml} from 'yaml';

/** A fence line, as `text.split('\n')` leaves it (a CRLF file keeps its `\r`). */
export const FENCE_LINE = /^---[ \t]*\r?$/;
const FRONT_MATTER = /^\uFEFF?---[ \t]*(?:\r\n|\r|\n)(?:([\s\S]*?)(?:\r\n|\r|\n))?---[ \t]*(?:\r\n|\r|\n|$)/;

export interface SplitPage {
  /** The YAML between the `---` fences, or null when the page has no front matter. */
  frontMatter: string | null;
  /** Everything after the closing fence (the whole text when there is no front matter). */
  body: string;
  /** How many lines the front matter takes, fences included (0 without): the body starts on line `lines + 1`. */
  lines: number;
}

export function splitFrontMatter(text: string): SplitPage {
  const match = FRONT_MATTER.exec(text);
  if (!match) return {frontMatter: null, body: text, lines: 0};
  const block = match[0].replace(/(?:\r\n|\r|\n)$/, '');
  return {frontMatter: match[1] ?? '', body: text.slice(match[0].length), lines: block.split(/\r\n|\r|\n/).length};
}

/** The front matter's YAML as data ({} without front matter or when it is not a mapping); invalid YAML throws. */
export function frontMatterData(text: string): Record<string, unknown> {
  const {frontMatter} = splitFrontMatter(text);
  const data: unknown = frontMatter === null ? null : parseYaml(frontMatter);
  return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
}

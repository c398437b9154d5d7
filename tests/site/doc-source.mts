// Reads what the browser test expects to see straight from the Markdown sources, so the test follows
// the guides as they are edited instead of pinning copies of their titles.
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {frontMatterData} from '../../src/site-layout/front-matter.mts';
import {LOCALES} from '../../src/site-layout/locales.mts';
import {localeDocsDir} from '../../src/site-layout/pages.mts';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');

export function docSource(locale: string, docPath: string): string {
  if (!(locale in LOCALES)) throw new Error(`no docs folder known for locale ${locale}`);
  return readFileSync(join(REPO_ROOT, localeDocsDir(locale), docPath), 'utf8');
}

/** The page title Docusaurus shows: front matter `title`, else the first `# ` heading. */
export function docTitle(source: string): string {
  const {title} = frontMatterData(source);
  if (typeof title === 'string' && title.trim()) return title.trim();
  const heading = /^#\s+(.+)$/m.exec(source);
  if (!heading) throw new Error('document has neither a front matter title nor a # heading');
  return heading[1]!.trim();
}

/** Node labels of the first ```mermaid block: the text inside [...], (...), {...} of flowchart nodes. */
export function mermaidNodeLabels(source: string): string[] {
  const block = /^```mermaid\r?\n([\s\S]*?)^```/m.exec(source);
  if (!block) return [];
  const labels = [...block[1]!.matchAll(/\b[A-Za-z][\w-]*\s*[[({]+\s*"?([^"[\](){}]+?)"?\s*[\])}]+/g)]
    .map((match) => match[1]!.replace(/<[^>]*>/g, ' ').trim())
    .filter(Boolean);
  return [...new Set(labels)];
}

/** Whitespace-free form, because Mermaid wraps long labels across lines and elements. */
export function compact(text: string): string {
  return text.replace(/\s+/g, '');
}

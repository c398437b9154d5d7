// Compares two versions of an English page by content: front matter and whitespace do not count.
import {splitFrontMatter} from '../site-layout/front-matter.mts';

export interface ContentLine {
  /** The line with runs of whitespace collapsed to one space and trimmed; never empty. */
  text: string;
  /** The heading of the section the line is in; null before the first heading. */
  section: string | null;
}

const ATX_HEADING = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADING_ID = /\s*\{#[^}]*\}\s*$/;

/**
 * The page body as comparable lines: front matter dropped, whitespace-only differences (indentation,
 * trailing spaces, runs of spaces, blank lines, CRLF) normalized away, each line tagged with its section.
 */
export function contentLines(text: string): ContentLine[] {
  const lines: ContentLine[] = [];
  let section: string | null = null;
  let fence: string | null = null;
  for (const raw of splitFrontMatter(text).body.split(/\r?\n/)) {
    const fenceMatch = FENCE.exec(raw);
    if (fence === null && fenceMatch) {
      fence = fenceMatch[1];
    } else if (fence !== null && fenceMatch && fenceMatch[1][0] === fence[0] && fenceMatch[1].length >= fence.length
      && raw.trim() === fenceMatch[1]) {
      fence = null;
    } else if (fence === null) {
      const heading = ATX_HEADING.exec(raw);
      if (heading) section = (heading[1] ?? '').replace(HEADING_ID, '').trim();
    }
    const normalized = raw.replace(/\s+/g, ' ').trim();
    if (normalized !== '') lines.push({text: normalized, section});
  }
  return lines;
}

export interface ContentChange {
  added: number;
  removed: number;
  /** Sections with added or removed lines, in the order they appear in the new version
   * (sections that exist only in the old version come last); null = before the first heading. */
  sections: (string | null)[];
}

/** What changed between two versions of a page, by content (see `contentLines`). */
export function compareContent(oldText: string, newText: string): ContentChange {
  const before = contentLines(oldText);
  const after = contentLines(newText);
  const {removed, added} = changedLines(before.map((l) => l.text), after.map((l) => l.text));
  const changed = new Set<string | null>();
  for (const i of added) changed.add(after[i].section);
  for (const i of removed) changed.add(before[i].section);
  const order = [...after, ...before].map((l) => l.section);
  const sections = [...new Set(order)].filter((section) => changed.has(section));
  return {added: added.length, removed: removed.length, sections};
}

/** Indexes of lines only in `a` (removed) and only in `b` (added), from a longest common subsequence. */
function changedLines(a: string[], b: string[]): {removed: number[]; added: number[]} {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const n = endA - start;
  const m = endB - start;
  // lcs[i][j] = LCS length of a[start+i..endA) and b[start+j..endB), stored row-major.
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] = a[start + i] === b[start + j]
        ? lcs[(i + 1) * width + j + 1] + 1
        : Math.max(lcs[(i + 1) * width + j], lcs[i * width + j + 1]);
    }
  }
  const removed: number[] = [];
  const added: number[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[start + i] === b[start + j]) {
      i++;
      j++;
    } else if (lcs[(i + 1) * width + j] >= lcs[i * width + j + 1]) {
      removed.push(start + i++);
    } else {
      added.push(start + j++);
    }
  }
  while (i < n) removed.push(start + i++);
  while (j < m) added.push(start + j++);
  return {removed, added};
}

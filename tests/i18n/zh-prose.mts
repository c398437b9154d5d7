// The prose lines of a Chinese page (front matter, fenced code, tables, HTML and headings left out),
// for the glossary and no-hard-wrap tests.
import {splitFrontMatter} from '../../src/site-layout/front-matter.mts';

export interface ProseLine {
  line: number;
  text: string;
}

const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;
const BLOCK_START = /^\s*(?:[-*+]\s|\d+\.\s|#|\||```|:::|<|>|$)/;

export function proseLines(source: string): ProseLine[] {
  const lines = source.split('\n');
  const out: ProseLine[] = [];
  let inFence = false;
  const frontMatterLines = splitFrontMatter(source).lines;
  lines.forEach((text, index) => {
    if (index < frontMatterLines) return;
    if (/^\s*```/.test(text)) {
      inFence = !inFence;
      return;
    }
    if (!inFence) out.push({line: index + 1, text});
  });
  return out;
}

/** Lines whose paragraph continues on the next source line while the break falls next to Chinese text. */
export function hardWraps(source: string): ProseLine[] {
  const prose = proseLines(source);
  return prose.filter((current, i) => {
    const next = prose[i + 1];
    if (!next || next.line !== current.line + 1) return false;
    if (current.text.trim() === '' || /^\s*(?:\||#|:::|<)/.test(current.text)) return false;
    if (BLOCK_START.test(next.text)) return false;
    const end = current.text.trimEnd().slice(-1);
    const start = next.text.trimStart().slice(0, 1);
    return CJK.test(end) || CJK.test(start);
  });
}

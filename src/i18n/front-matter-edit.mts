// Byte-exact edits of the `translation:` block: only the lines of the fields being set change.
// The file is handled as latin1 text, which maps every byte to one character and back, so bytes this
// module does not touch (any encoding, CRLF, comments, quoting) are written back unchanged.
import {FENCE_LINE} from '../site-layout/front-matter.mts';
import {readTranslationMeta, type TranslationMeta} from './front-matter.mts';

export type TranslationFields = Partial<TranslationMeta>;

const BLOCK_START = /^translation:[ \t]*(#.*)?\r?$/;

/** Returns the file with the given `translation:` fields set; a missing field or block is added. */
export function setTranslationFields(bytes: Buffer, fields: TranslationFields): Buffer {
  const lines = bytes.toString('latin1').split('\n');
  // Added lines take the file's line ending; existing lines keep theirs.
  const cr = lines[0].endsWith('\r') ? '\r' : '';
  if (!FENCE_LINE.test(lines[0])) {
    lines.unshift('---' + cr, 'translation:' + cr, '---' + cr);
  }
  const close = lines.findIndex((line, i) => i > 0 && FENCE_LINE.test(line));
  if (close < 0) throw new Error('front matter is not closed by a `---` line');
  let start = lines.findIndex((line, i) => i > 0 && i < close && BLOCK_START.test(line));
  if (start < 0) {
    if (lines.slice(1, close).some((line) => /^translation:/.test(line))) {
      throw new Error('`translation:` is not written as a block (one `key: value` per line); rewrite it as one');
    }
    lines.splice(close, 0, 'translation:' + cr);
    start = close;
  }
  let end = start + 1;
  while (end < lines.length && !FENCE_LINE.test(lines[end]) && /^([ \t]|\r?$)/.test(lines[end])) end++;
  for (const [key, value] of Object.entries(fields) as [keyof TranslationMeta, string | boolean][]) {
    const rendered = typeof value === 'boolean' ? String(value) : JSON.stringify(value);
    const text = Buffer.from(rendered, 'utf8').toString('latin1');
    const pattern = new RegExp(`^([ \\t]+${key}:[ \\t]*)([^#\\r]*?)([ \\t]*(?:#.*)?\\r?)$`);
    const at = lines.slice(start + 1, end).findIndex((line) => pattern.test(line));
    if (at >= 0) {
      lines[start + 1 + at] = lines[start + 1 + at].replace(pattern, (_all, head: string, _old, tail: string) => head + text + tail);
    } else {
      const indent = /^([ \t]+)\S/.exec(lines[start + 1] ?? '')?.[1] ?? '  ';
      lines.splice(end, 0, `${indent}${key}: ${text}${cr}`);
      end++;
    }
  }
  const result = Buffer.from(lines.join('\n'), 'latin1');
  verify(result, fields);
  return result;
}

// A rewrite that does not read back as intended must never reach the disk.
function verify(bytes: Buffer, fields: TranslationFields): void {
  const parsed = readTranslationMeta(bytes.toString('utf8'));
  const meta: Partial<TranslationMeta> = parsed.ok ? parsed.meta : {};
  for (const [key, value] of Object.entries(fields) as [keyof TranslationMeta, unknown][]) {
    if (meta[key] !== value) {
      throw new Error(parsed.ok ? `after the edit translation.${key} does not read back as ${JSON.stringify(value)}` : parsed.error);
    }
  }
}

// Tokenizes a code fence's meta string: `key=value`, `key="value with spaces"`, bare flags, and
// Docusaurus's own `{1,3-4}` line highlights.

export interface MetaToken {
  key: string;
  /** null for a bare flag such as `changes`. */
  value: string | null;
}

export type MetaResult = {tokens: MetaToken[]; error: null} | {tokens: null; error: string};

function readQuoted(meta: string, start: number): {value: string; end: number} | null {
  const quote = meta[start];
  let value = '';
  for (let i = start + 1; i < meta.length; i++) {
    const c = meta[i];
    if (c === '\\' && (meta[i + 1] === quote || meta[i + 1] === '\\')) {
      value += meta[++i];
    } else if (c === quote) {
      return {value, end: i + 1};
    } else {
      value += c;
    }
  }
  return null;
}

export function tokenizeMeta(meta: string): MetaResult {
  const tokens: MetaToken[] = [];
  let i = 0;
  while (i < meta.length) {
    if (/\s/.test(meta[i])) {
      i++;
      continue;
    }
    if (meta[i] === '{') {
      const end = meta.indexOf('}', i);
      if (end < 0) return {tokens: null, error: 'unterminated "{" in the fence meta'};
      tokens.push({key: '{}', value: meta.slice(i, end + 1)});
      i = end + 1;
      continue;
    }
    const keyMatch = /^[^\s="']+/.exec(meta.slice(i));
    if (!keyMatch) return {tokens: null, error: `unexpected ${JSON.stringify(meta[i])} in the fence meta`};
    const key = keyMatch[0];
    i += key.length;
    if (meta[i] !== '=') {
      tokens.push({key, value: null});
      continue;
    }
    i++;
    if (meta[i] === '"' || meta[i] === "'") {
      const quoted = readQuoted(meta, i);
      if (!quoted) return {tokens: null, error: `unterminated quoted value for ${key}=`};
      tokens.push({key, value: quoted.value});
      i = quoted.end;
    } else {
      const raw = /^[^\s]*/.exec(meta.slice(i))![0];
      tokens.push({key, value: raw});
      i += raw.length;
    }
  }
  return {tokens, error: null};
}

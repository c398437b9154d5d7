// Text a reader pastes into the proxy checker, turned into what the models take: an environment
// and a target URL. The runner and the fresh-shell check read a live environment (`env -0`); this
// reads what people copy from a terminal: `env | grep -i proxy`, `export` lines (also traced by
// `set -x` as `+ export …`), `declare -x` from `export -p`, Windows `set` output and commands,
// PowerShell `$env:`, fish and csh.
import {type Env} from './env.mts';
import {shellQuote} from '../io/text.mts';

export {shellQuote};

export interface IgnoredLine {
  /** 1-based line number in the pasted text. */
  line: number;
  /** The line as pasted, or, for a variable that no client reads, only its name (its value may be
   *  a secret that has no business in the checker's output). */
  text: string;
  reason: 'not-an-assignment' | 'not-a-proxy-variable';
}

export interface PastedEnv {
  /** The proxy variables the text sets, in the order they were first set; '' is set-but-empty. */
  env: Record<string, string>;
  ignored: IgnoredLine[];
}

/** Whether a client model reads the variable: any `*_proxy` in any case (Python reads them all,
 *  NODE_USE_ENV_PROXY included), and REQUEST_METHOD (Python and Go change course under CGI). */
export function isProxySetting(name: string): boolean {
  return /_proxy$/i.test(name) || name === 'REQUEST_METHOD';
}

type Change = {name: string; value: string | undefined};

const NAME = '[A-Za-z_][A-Za-z0-9_]*';
// `+ ` and `++ ` trace prefixes of `set -x`, and a leading `$ ` prompt.
const NOISE = /^(?:\++\s+|\$\s+)/;

export function parseEnvText(text: string): PastedEnv {
  const env: Record<string, string> = {};
  const ignored: IgnoredLine[] = [];
  text.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const line = raw.trim().replace(NOISE, '').trim();
    if (line === '' || line.startsWith('#') || /^rem(\s|$)/i.test(line)) return;
    const changes = parseLine(line);
    if (!changes) {
      ignored.push({line: index + 1, text: raw.trim(), reason: 'not-an-assignment'});
      return;
    }
    for (const {name, value} of changes) {
      if (!isProxySetting(name)) {
        ignored.push({line: index + 1, text: name, reason: 'not-a-proxy-variable'});
      } else if (value === undefined) {
        delete env[name];
      } else {
        env[name] = value;
      }
    }
  });
  return {env, ignored};
}

/** The variables as `env` prints them, one `NAME=value` a line; a value that would not survive
 *  that form (quotes or blanks at its ends, a line break) is written as a quoted `export`. */
export function formatEnvText(env: Env): string {
  return Object.entries(env)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => (/^["'\s]|\s$|[\r\n]/.test(value) ? `export ${name}=${shellQuote(value)}` : `${name}=${value}`))
    .join('\n');
}

function parseLine(line: string): Change[] | undefined {
  let match: RegExpExecArray | null;
  // bash, zsh, sh: `export A=1 B=2`, `declare -x A="1"`, `typeset -x`, `unset A B`.
  if ((match = /^(?:export|declare\s+-[a-zA-Z]*x[a-zA-Z]*|typeset\s+-x)\s+(.*)$/.exec(line))) return shellAssignments(match[1]!);
  if ((match = /^unset\s+(?:-v\s+)?(.*)$/.exec(line))) return names(match[1]!)?.map((name) => ({name, value: undefined}));
  // fish: `set -gx A value`, `set -e A`; csh: `setenv A value`.
  if ((match = new RegExp(`^set\\s+(?:-[a-zA-Z]*[eE][a-zA-Z]*|--erase)\\s+(${NAME})\\s*$`).exec(line))) return [{name: match[1]!, value: undefined}];
  if ((match = new RegExp(`^(?:set\\s+-[a-zA-Z]*x[a-zA-Z]*|setenv)\\s+(${NAME})(?:\\s+(.*))?$`).exec(line))) {
    const words = shellWords(match[2] ?? '');
    return words ? [{name: match[1]!, value: words.join(' ')}] : undefined;
  }
  // Windows cmd: `set A=1` and `set "A=1"`; an empty value deletes the variable there.
  if ((match = new RegExp(`^set\\s+"?(${NAME})=(.*?)"?$`, 'i').exec(line))) return [{name: match[1]!, value: match[2] || undefined}];
  // PowerShell: `$env:A = "1"`.
  if ((match = new RegExp(`^\\$env:(${NAME})\\s*=\\s*(.*)$`, 'i').exec(line))) {
    const words = shellWords(match[2]!);
    return words?.length === 1 ? [{name: match[1]!, value: words[0]!}] : undefined;
  }
  // `env` and Windows `set` output: the value runs to the end of the line, unquoted; a quoted
  // value is a line copied from a startup file.
  if ((match = new RegExp(`^(${NAME})=(.*)$`).exec(line))) {
    const value = match[2]!;
    if (!/^["']/.test(value)) return [{name: match[1]!, value}];
    return shellAssignments(line);
  }
  return undefined;
}

function names(text: string): string[] | undefined {
  const list = text.trim().split(/\s+/);
  return list.every((name) => new RegExp(`^${NAME}$`).test(name)) ? list : undefined;
}

/** `A=1 B="2 3"`: each word must be an assignment (a bare name, as in `export A`, sets nothing). */
function shellAssignments(text: string): Change[] | undefined {
  const words = shellWords(text);
  if (!words || words.length === 0) return undefined;
  const changes: Change[] = [];
  for (const word of words) {
    const match = new RegExp(`^(${NAME})(?:=([\\s\\S]*))?$`).exec(word);
    if (!match) return undefined;
    if (match[2] !== undefined) changes.push({name: match[1]!, value: match[2]});
  }
  return changes;
}

/** Splits shell words with sh's quoting: '…' literal, "…" with \\ \" \$ \` escapes, \x outside
 *  quotes; an unquoted # starting a word begins a comment. Undefined for an unterminated quote. */
function shellWords(text: string): string[] | undefined {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === '#' && word === undefined) {
      break;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return undefined;
      word = (word ?? '') + text.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let value = '';
      for (i++; i < text.length && text[i] !== '"'; i++) {
        if (text[i] === '\\' && /["\\$`]/.test(text[i + 1] ?? '')) i++;
        value += text[i];
      }
      if (i >= text.length) return undefined;
      word = (word ?? '') + value;
    } else if (c === '\\' && i + 1 < text.length) {
      word = (word ?? '') + text[++i];
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

export type UrlProblem = 'empty' | 'not-a-url' | 'not-http';

export type PastedUrl = {ok: true; url: string} | {ok: false; problem: UrlProblem};

/** A service address as people paste it: `http://127.0.0.1:8000/v1`, and also what servers print
 *  at start-up (`0.0.0.0:8000`, `localhost:8000/v1`, `[::1]:8000`), given `http://`. */
export function parseUrlText(text: string): PastedUrl {
  const trimmed = text.trim().replace(/^["'<]+|["'>]+$/g, '');
  if (trimmed === '') return {ok: false, problem: 'empty'};
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return {ok: false, problem: 'not-a-url'};
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return {ok: false, problem: 'not-http'};
  return {ok: true, url};
}

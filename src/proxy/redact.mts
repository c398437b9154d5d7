// Credential redaction for anything we print or write: proxy URLs carry `user:pass@` userinfo,
// and they show up in env dumps, JSON, error messages and command lines alike.
//
// The rule, everywhere: the userinfo runs from the scheme's `//` (or the start of the value) to the
// LAST `@` of the value, so a password holding `@ : / ? # "` raw or percent-encoded is hidden whole.
// A whole value (a variable's value, an env line) is unambiguous; inside free text a value ends at
// whitespace. Callers that know the environment also pass its secrets (`proxySecrets`), which are
// then hidden wherever they appear, in any of the forms clients print them.

// Only the schemes a proxy or service URL has: in a scheme-less `alice://pw@proxy:3128` (a password
// starting with `//`) the `alice:` is the user name, not a scheme to keep.
const SCHEME = /^\s*["']?(?:https?|socks(?:4a?|5h?)?):\/\//i;
const LEADING = /^\s*["']?/;

/** One value (`http://alice:p@ss/w#rd@proxy:3128`) with its userinfo replaced: `http://***@proxy:3128`. */
export function redactValue(value: string): string {
  const at = value.lastIndexOf('@');
  if (at < 0) return value;
  const start = (SCHEME.exec(value) ?? LEADING.exec(value)!)[0].length;
  if (at < start) return value;
  return `${value.slice(0, start)}***${value.slice(at)}`;
}

// `http_proxy=…`, `export HTTPS_PROXY="…"`, `declare -x all_proxy=…`, `set http_proxy=…`,
// `set -gx http_proxy …`, `setenv http_proxy …`, `$env:HTTP_PROXY = …`, and curl -v's
// `http_proxy == '…'`: the rest of the line is one value, so its last `@` ends the userinfo even
// when the password holds blanks or quotes.
const B = '[^\\S\\n]';
const NAME = '(?![a-z]*no_proxy\\b)[a-z_]*proxy';
const ENV_LINE = new RegExp(
  `^(${B}*(?:[+$]+${B}+)?(?:(?:(?:export|declare${B}+-x|set)${B}+)?${NAME}=|(?:set(?:${B}+-[a-z]+)*|setenv)${B}+${NAME}${B}+|\\$env:${NAME}${B}*=${B}*))([^\\n]*)$`,
  'gim',
);
const CURL_VERBOSE = new RegExp(`(\\b${NAME} == )([^\\n]*)$`, 'gim');

// scheme://userinfo@host inside text: up to the last `@` of the whitespace-delimited token that is
// followed by a host. Raw `"` ends a token (JSON escapes it as `\"`, which stays inside). `:\/\/`
// also covers JSON-escaped slashes.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:(?:\\?\/){2})((?:\\["\\/]|[^\s"])*)@(?=[^\s@"])/gi;

// Scheme-less proxy values (`user:pass@proxy:3128`, which curl and Python accept): a `name:secret@host`
// token after a separator, up to its last `@`. The colon keeps plain e-mail addresses intact.
const BARE_USERINFO = /(^|[\s=,;"'(])[^\s:/@"'=,;()\\]+:(?!\\?\/\\?\/)(?:\\["\\/]|[^\s"])*@(?=[a-z0-9[])/gim;

// Authorization headers in dumped requests: keep the scheme word, hide the credentials.
const AUTH_HEADER = /\b((?:proxy-)?authorization\s*[:=]\s*["']?(?:basic|bearer|digest|negotiate)\s+)[^\s"',]+/gi;

// `127.0.0.1:8080` or `[::1]:8080`: what an authority without userinfo looks like.
const HOST_PORT = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\]):\d{1,5}$/i;
const STARTS_WITH_HOST_PORT = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\]):\d{1,5}(?![\w.-])/i;

/**
 * A path or query with an `@` after a host is not userinfo: `http://x/a@b`, and a Go module proxy's
 * `http://127.0.0.1:8080/golang.org/x/text/@v/list` (a host:port, then an `@` that no host:port
 * follows); `user:pass/…@proxy:3128` is.
 */
function isUserinfo(candidate: string, after: string): boolean {
  const end = candidate.search(/[/?#]/);
  if (end <= 0) return true;
  const authority = candidate.slice(0, end).replace(/\\$/, '');
  if (!authority.includes(':')) return false;
  return !(HOST_PORT.test(authority) && !STARTS_WITH_HOST_PORT.test(after));
}

function valueAfter(_line: string, prefix: string, value: string): string {
  return prefix + redactValue(value);
}

export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join('***');
  return out
    .replace(ENV_LINE, valueAfter)
    .replace(CURL_VERBOSE, valueAfter)
    .replace(URL_USERINFO, (whole, scheme: string, userinfo: string, offset: number, all: string) =>
      (isUserinfo(userinfo, all.slice(offset + whole.length)) ? `${scheme}***@` : whole))
    .replace(BARE_USERINFO, '$1***@')
    .replace(AUTH_HEADER, '$1***');
}

const SHORTEST_SECRET = 4;

/** The userinfo of every proxy variable in `env` (and its password alone), in the forms a client
 *  or a serialiser prints them: raw, percent-decoded, percent-encoded, JSON-escaped. Longest first.
 *  Secrets shorter than four characters are left to the patterns: hiding every `ab` would hide text. */
export function proxySecrets(env: Readonly<Record<string, string | undefined>>): string[] {
  const values = Object.entries(env).flatMap(([name, value]) => (value && /_proxy$/i.test(name) && !/^no_proxy$/i.test(name) ? [value] : []));
  return [...new Set(values.flatMap(userinfoSecrets))].sort((a, b) => b.length - a.length);
}

/** The secrets of one value (a proxy URL, a service URL typed by hand). */
export function userinfoSecrets(value: string): string[] {
  const at = value.lastIndexOf('@');
  const start = (SCHEME.exec(value) ?? LEADING.exec(value)!)[0].length;
  if (at <= start) return [];
  const userinfo = value.slice(start, at);
  const colon = userinfo.indexOf(':');
  const found = new Set<string>();
  for (const part of colon < 0 ? [userinfo] : [userinfo, userinfo.slice(colon + 1)]) {
    for (const form of [part, decoded(part), encodeURIComponent(part), JSON.stringify(part).slice(1, -1)]) {
      if (form.length >= SHORTEST_SECRET) found.add(form);
    }
  }
  return [...found].sort((a, b) => b.length - a.length);
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

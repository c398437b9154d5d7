// Credential redaction for anything we print or write: proxy URLs carry `user:pass@` userinfo,
// and they show up in env dumps, JSON, error messages and command lines alike.

// scheme://userinfo@ — the userinfo runs up to the last `@` before the authority ends, so a
// password with an unescaped `@` is hidden whole. `:\/\/` also covers JSON-escaped slashes.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:(?:\\?\/){2})[^\s/?#"'<>\\]+@(?=[^\s@])/gi;

// Scheme-less proxy values (`HTTP_PROXY=user:pass@proxy:3128`, which curl and Python accept):
// a `name:secret@host` token after a separator. The colon keeps plain e-mail addresses intact.
const BARE_USERINFO = /(^|[\s=,;"'(])[^\s:/@"'=,;()]+:[^\s/@"']*@(?=[a-z0-9[])/gim;

// Authorization headers in dumped requests: keep the scheme word, hide the credentials.
const AUTH_HEADER = /\b((?:proxy-)?authorization\s*[:=]\s*["']?(?:basic|bearer|digest|negotiate)\s+)[^\s"',]+/gi;

export function redact(text: string): string {
  return text
    .replace(URL_USERINFO, '$1***@')
    .replace(BARE_USERINFO, '$1***@')
    .replace(AUTH_HEADER, '$1***');
}

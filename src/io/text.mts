// Text helpers with no Node import (src/proxy, which also runs in the browser, uses them too).

/** Single quotes, with `'\''` for a quote inside: one word to sh, bash and zsh, whatever it holds. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/** `text` matched literally inside a regular expression. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

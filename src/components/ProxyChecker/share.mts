// The share link: the checker's input in the page URL's fragment, which browsers never send to a
// server. Only the proxy variables go in (as `env` prints them), credentials redacted, so the link
// carries nothing the reader's colleague may not see; the predictions come out the same, since no
// client decides by the credentials.
import {formatEnvText, parseEnvText} from '../../proxy/pasted.mts';
import {redact, redactValue, userinfoSecrets} from '../../proxy/redact.mts';
import type {CheckerInput} from './model.mts';

const PREFIX = '#proxy-check?';

export function shareFragment({envText, urlText}: CheckerInput): string {
  const {env} = parseEnvText(envText);
  const redacted = Object.fromEntries(Object.entries(env).map(([name, value]) => [name, redactValue(value)]));
  const url = urlText.trim();
  return PREFIX + new URLSearchParams({url: redact(url, userinfoSecrets(url)), env: formatEnvText(redacted)}).toString();
}

/** The input a share link carries, or undefined for any other fragment. */
export function readShareFragment(hash: string): CheckerInput | undefined {
  if (!hash.startsWith(PREFIX)) return undefined;
  const params = new URLSearchParams(hash.slice(PREFIX.length));
  return {urlText: params.get('url') ?? '', envText: params.get('env') ?? ''};
}

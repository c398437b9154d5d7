// What a client does with one request: connect directly, go through a proxy, or fail before
// sending anything. The rule names what decided it, in a sentence a user can act on; it quotes
// variables as they are: predict.mts redacts it, knowing the environment's passwords.
import {redactValue} from './redact.mts';
import {isLocalProxy, normaliseProxy} from './schemes.mts';

export {hasScheme, normaliseProxy} from './schemes.mts';

export type Outcome = 'direct' | 'via' | 'fails';

export interface Decision {
  outcome: Outcome;
  /** The proxy URL, credentials redacted (only for `via`). */
  proxy?: string;
  /** Only for `via`, when the proxy listens on this machine (127.x, ::1, localhost): such a proxy
   *  (Clash, v2ray) can reach local services, so requests may work through it, more slowly. */
  local?: true;
  rule: string;
  /** Which release the rule describes, e.g. `requests 2.28.1` or `requests 2.34 (version not
   *  detected: newest known rule)`; only for clients whose rules changed between releases. */
  assumes?: string;
  /** Only for `fails`: the optional package whose absence is the failure (a SOCKS proxy without
   *  httpx's socksio or requests' PySocks), so callers can advise the install without reading `rule`. */
  missingExtra?: MissingExtra;
}

export type MissingExtra = 'socksio' | 'pysocks';

export function direct(rule: string): Decision {
  return {outcome: 'direct', rule};
}

/** `proxy` as configured; a value without a scheme (`127.0.0.1:7890`, as Clash setups export it)
 *  is an http proxy to every client that accepts it. */
export function via(proxy: string, rule: string): Decision {
  return {outcome: 'via', proxy: redactValue(normaliseProxy(proxy)), ...(isLocalProxy(proxy) ? {local: true as const} : {}), rule};
}

export function fails(rule: string, missingExtra?: MissingExtra): Decision {
  return {outcome: 'fails', rule, ...(missingExtra ? {missingExtra} : {})};
}

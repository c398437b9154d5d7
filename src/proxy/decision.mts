// What a client does with one request: connect directly, go through a proxy, or fail before
// sending anything. The rule names what decided it, in a sentence a user can act on.
import {redact} from './redact.mts';

export type Outcome = 'direct' | 'via' | 'fails';

export interface Decision {
  outcome: Outcome;
  /** The proxy URL, credentials redacted (only for `via`). */
  proxy?: string;
  rule: string;
}

export function direct(rule: string): Decision {
  return {outcome: 'direct', rule: redact(rule)};
}

/** `proxy` as configured; a value without a scheme (`127.0.0.1:7890`, as Clash setups export it)
 *  is an http proxy to every client that accepts it. */
export function via(proxy: string, rule: string): Decision {
  return {outcome: 'via', proxy: redact(normaliseProxy(proxy)), rule: redact(rule)};
}

export function hasScheme(proxy: string): boolean {
  return proxy.includes('://');
}

/** A proxy value as the clients that accept it read it: `127.0.0.1:7890` is `http://127.0.0.1:7890`. */
export function normaliseProxy(proxy: string): string {
  return hasScheme(proxy) ? proxy : `http://${proxy}`;
}

export function fails(rule: string): Decision {
  return {outcome: 'fails', rule: redact(rule)};
}

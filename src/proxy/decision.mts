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

export function via(proxy: string, rule: string): Decision {
  return {outcome: 'via', proxy: redact(proxy), rule: redact(rule)};
}

export function fails(rule: string): Decision {
  return {outcome: 'fails', rule: redact(rule)};
}

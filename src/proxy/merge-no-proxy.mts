// Computes a NO_PROXY value that every client family honours for a local service: the user's
// entries first, in their order, then the loopback names, then the caller's additions.
import {type Env} from './env.mts';

/** Loopback names every client needs, each in the one spelling all of them understand. */
export const LOOPBACK_NO_PROXY = ['localhost', '127.0.0.1', '::1', '0.0.0.0'] as const;

export interface NoProxyMerge {
  value: string;
  dropped: {entry: string; reason: string}[];
}

/** Why an entry must not be written, or undefined when it is safe for every client. */
function unsafeReason(entry: string): string | undefined {
  if (entry.startsWith('[')) {
    return 'a bracketed IPv6 entry makes httpx 0.28+ (the openai SDK, huggingface_hub 1.x) raise InvalidURL at client creation; ::1 without brackets is the portable spelling';
  }
  if (entry.includes(':') && entry.includes('/')) {
    return 'an IPv6 CIDR makes httpx 0.28+ (the openai SDK, huggingface_hub 1.x) raise at client creation';
  }
  return undefined;
}

/** A URL given as an addition (`http://10.0.0.5:8000/v1`) stands for its host name. */
function hostOf(entry: string): string {
  if (!entry.includes('://')) return entry;
  try {
    return new URL(entry).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return entry;
  }
}

export function mergeNoProxy(existing: string, additions: string[]): NoProxyMerge {
  const kept: string[] = [];
  const seen = new Set<string>();
  const dropped: NoProxyMerge['dropped'] = [];
  const candidates = [
    ...existing.split(/[\s,]+/),
    ...LOOPBACK_NO_PROXY,
    ...additions.flatMap((addition) => addition.split(/[\s,]+/)).map(hostOf),
  ];
  for (const entry of candidates) {
    if (entry === '') continue;
    const key = entry.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    const reason = unsafeReason(entry);
    if (reason) dropped.push({entry, reason});
    else kept.push(entry);
  }
  return {value: kept.join(','), dropped};
}

/** mergeNoProxy over what the environments already have, each in turn: NO_PROXY's entries, then
 *  no_proxy's (the fix-noproxy runbook passes the startup file's and the shell's; the proxy checker
 *  the pasted one; both write the value to both variables). */
export function mergeEnvNoProxy(envs: readonly Env[], additions: string[]): NoProxyMerge {
  return mergeNoProxy(envs.flatMap((env) => [env.NO_PROXY, env.no_proxy]).filter(Boolean).join(','), additions);
}

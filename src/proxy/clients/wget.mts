// GNU Wget 1.21 (src/retr.c getproxy, src/host.c sufmatch): lowercase variables only.
import {type Decision, direct, fails, via} from '../decision.mts';
import {type Env, entries, firstNonEmpty} from '../env.mts';
import {hasScheme, proxyScheme} from '../schemes.mts';
import type {Target} from '../target.mts';

export function wget(target: Target, env: Env): Decision {
  const proxy = firstNonEmpty(env, `${target.scheme}_proxy`);
  if (!proxy) {
    const upper = `${target.scheme.toUpperCase()}_PROXY`;
    const ignored = env[upper] ? ` (wget never reads ${upper})` : env.all_proxy || env.ALL_PROXY ? ' (wget has no all_proxy)' : '';
    return direct(`no ${target.scheme}_proxy is set${ignored}`);
  }
  const list = env.no_proxy ? entries(env.no_proxy) : [];
  const entry = list.find((pattern) => suffixMatches(target.host, pattern));
  if (entry !== undefined) return direct(`no_proxy entry "${entry}" matches ${target.host}`);
  const scheme = proxyScheme(proxy.value);
  if (hasScheme(proxy.value) && scheme !== 'http' && scheme !== 'https') {
    return fails(`wget: Error parsing proxy URL ${proxy.value}: Unsupported scheme '${scheme}' (wget has no SOCKS support)`);
  }
  const why = !env.no_proxy && env.NO_PROXY ? '; wget never reads NO_PROXY, only no_proxy' : env.no_proxy ? `; no no_proxy entry matches ${target.host}` : '';
  return via(proxy.value, `${proxy.name} is set${why}`);
}

/** sufmatch: the whole name, a subdomain on a dot boundary, or any name ending in a `.x` entry. */
function suffixMatches(host: string, pattern: string): boolean {
  const name = host.toLowerCase();
  const lower = pattern.toLowerCase();
  if (!name.endsWith(lower)) return false;
  return name.length === lower.length || name[name.length - lower.length - 1] === '.' || lower.startsWith('.');
}

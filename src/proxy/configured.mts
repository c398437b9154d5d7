// The proxies an environment configures for one URL: what a diagnosis probes, one entry per
// distinct proxy, named exactly as a prediction names it so the two can be joined on `proxy`.
import {isLocalProxy, normaliseProxy} from './schemes.mts';
import {type Env} from './env.mts';
import {redactValue} from './redact.mts';
import {parseTarget} from './target.mts';

export interface ConfiguredProxy {
  /** Normalised (`host:port` → `http://host:port`) and redacted: equal to `Prediction.proxy`
   *  for every client that uses it. */
  proxy: string;
  /** The variables that hold it, in the order clients look them up: `['http_proxy', 'HTTP_PROXY']`. */
  variables: string[];
  /** `host:port` only, never credentials: for advice a reader can act on. */
  endpoint: string;
  /** `socks4`, `socks5h`, `http`, …: the scheme, lowercase, after normalising. */
  scheme: string;
  /** It listens on this machine (127.x, ::1, localhost), as Clash or v2ray do: it can reach local services. */
  local: boolean;
}

/** Every variable some client reads for a URL of this scheme. undici falls back to http_proxy for
 *  https URLs, so an https URL lists the http variables last. */
function variablesFor(scheme: 'http' | 'https'): string[] {
  const own = [`${scheme}_proxy`, `${scheme.toUpperCase()}_PROXY`, 'all_proxy', 'ALL_PROXY'];
  return scheme === 'https' ? [...own, 'http_proxy', 'HTTP_PROXY'] : own;
}

/** The distinct proxies configured for `url` (empty variables are skipped), with the unredacted
 *  URL a probe must connect through. That URL carries credentials: never print it. */
export function proxiesToProbe(url: string, env: Env): Array<ConfiguredProxy & {connect: string}> {
  const found = new Map<string, ConfiguredProxy & {connect: string}>();
  for (const name of variablesFor(parseTarget(url).scheme)) {
    const value = env[name];
    if (!value) continue;
    const connect = normaliseProxy(value.trim());
    const seen = found.get(connect);
    if (seen) {
      seen.variables.push(name);
      continue;
    }
    found.set(connect, {proxy: redactValue(connect), variables: [name], endpoint: endpointOf(connect), scheme: schemeOf(connect), local: isLocalProxy(connect), connect});
  }
  return [...found.values()];
}

/** The same list without the unredacted URL: safe to print, send or render. */
export function configuredProxies(url: string, env: Env): ConfiguredProxy[] {
  return proxiesToProbe(url, env).map(({connect: _connect, ...shown}) => shown);
}

function schemeOf(proxy: string): string {
  return proxy.slice(0, proxy.indexOf('://')).toLowerCase();
}

function endpointOf(proxy: string): string {
  const authority = proxy.slice(proxy.indexOf('://') + 3).split(/[/?#]/)[0]!;
  return authority.slice(authority.lastIndexOf('@') + 1);
}

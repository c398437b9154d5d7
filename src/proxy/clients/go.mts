// Go net/http's ProxyFromEnvironment (golang.org/x/net/http/httpproxy), Go 1.19: http, https and
// socks5 proxies; any other scheme is re-read as `http://` + the whole value, which then fails.
import {type Decision, direct, fails, via} from '../decision.mts';
import {type Env, firstNonEmpty} from '../env.mts';
import {hasScheme, proxyScheme} from '../schemes.mts';
import {type Target, domainToASCII, inIPv4Network, inIPv6Network, ipv6Bits, isIPv4, isIPv6} from '../target.mts';

const GO_PROXY_SCHEMES = ['http', 'https', 'socks5'];

export function go(target: Target, env: Env): Decision {
  // UPPERCASE first, empty means unset, no ALL_PROXY.
  const proxy = target.scheme === 'https' ? firstNonEmpty(env, 'HTTPS_PROXY', 'https_proxy') : firstNonEmpty(env, 'HTTP_PROXY', 'http_proxy');
  if (!proxy) return direct(`no ${target.scheme.toUpperCase()}_PROXY or ${target.scheme}_proxy is set${env.ALL_PROXY || env.all_proxy ? ' (Go never reads ALL_PROXY)' : ''}`);
  if (target.scheme === 'http' && env.REQUEST_METHOD) return fails('Go refuses HTTP_PROXY when REQUEST_METHOD is set (a CGI environment): the request fails');
  if (target.host === 'localhost' || isLoopback(target.host)) {
    return direct(`Go never proxies localhost or loopback addresses (${target.urlHost}), whatever NO_PROXY says`);
  }
  const no = firstNonEmpty(env, 'NO_PROXY', 'no_proxy');
  const entry = no ? matchingEntry(target, no.value) : undefined;
  if (entry !== undefined) return direct(entry === '*' ? `${no!.name} contains *, which bypasses every host` : `${no!.name} entry "${entry}" matches ${target.urlHost}`);
  if (hasScheme(proxy.value) && !GO_PROXY_SCHEMES.includes(proxyScheme(proxy.value))) {
    return fails(`Go knows http, https and socks5 proxies only: it reads ${proxy.name}=${proxy.value} as an http proxy on the host "${proxyScheme(proxy.value)}", and the request fails (proxyconnect tcp: lookup ${proxyScheme(proxy.value)}: no such host)`);
  }
  return via(proxy.value, `${proxy.name} is set${no ? `; no ${no.name} entry matches ${target.urlHost}` : ''}`);
}

function isLoopback(host: string): boolean {
  if (isIPv4(host)) return host.startsWith('127.');
  return isIPv6(host) && ipv6Bits(host) === ipv6Bits('::1');
}

function matchingEntry(target: Target, value: string): string | undefined {
  const host = target.host.toLowerCase();
  const port = String(target.port);
  for (const raw of value.split(',')) {
    // Entries are converted to punycode like the host, so `.示例.com` matches `www.xn--fiqs8s.com`.
    const entry = toASCII(raw.trim().toLowerCase());
    if (entry === '') continue;
    if (entry === '*') return '*';
    const cidr = /^([^/]+)\/(\d+)$/.exec(entry);
    if (cidr) {
      if (cidrContains(host, cidr[1]!, Number(cidr[2]))) return raw.trim();
      if (isIPv4(cidr[1]!) || isIPv6(cidr[1]!)) continue;
    }
    const {host: entryHost, port: entryPort} = splitHostPort(entry);
    if (entryHost === '') continue;
    if (entryPort !== '' && entryPort !== port) continue;
    if (isIPv4(entryHost) || isIPv6(entryHost)) {
      if (sameIP(entryHost, host)) return raw.trim();
      continue;
    }
    const suffix = entryHost.startsWith('*.') ? entryHost.slice(1) : entryHost;
    if (suffix.startsWith('.') ? host.endsWith(suffix) : host === suffix || host.endsWith(`.${suffix}`)) return raw.trim();
  }
  return undefined;
}

function toASCII(entry: string): string {
  if (/^[\x00-\x7f]*$/.test(entry)) return entry;
  const [host = '', ...rest] = entry.split(':');
  const dot = host.startsWith('.') ? '.' : '';
  const ascii = domainToASCII(host.slice(dot.length));
  return ascii ? [`${dot}${ascii}`, ...rest].join(':') : entry;
}

/** net.SplitHostPort, or the whole entry when it has no port. */
function splitHostPort(entry: string): {host: string; port: string} {
  const bracketed = /^\[([^\]]*)\]:(\d*)$/.exec(entry);
  if (bracketed) return {host: bracketed[1]!, port: bracketed[2]!};
  const plain = /^([^:[\]]*):([^:]*)$/.exec(entry);
  return plain ? {host: plain[1]!, port: plain[2]!} : {host: entry, port: ''};
}

function sameIP(a: string, b: string): boolean {
  if (isIPv4(a) || isIPv4(b)) return a === b;
  return isIPv6(a) && isIPv6(b) && ipv6Bits(a) === ipv6Bits(b);
}

function cidrContains(host: string, network: string, bits: number): boolean {
  if (isIPv4(network)) return isIPv4(host) && bits <= 32 && (bits === 0 || inIPv4Network(host, network, bits));
  return isIPv6(network) && isIPv6(host) && inIPv6Network(host, network, bits);
}

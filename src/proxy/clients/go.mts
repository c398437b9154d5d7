// Go net/http's ProxyFromEnvironment (golang.org/x/net/http/httpproxy), Go 1.19.
import {type Decision, direct, fails, via} from '../decision.mts';
import {type Env, firstNonEmpty} from '../env.mts';
import {type Target, inIPv4Network, isIPv4, isIPv6} from '../target.mts';

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
  return via(proxy.value, `${proxy.name} is set${no ? `; no ${no.name} entry matches ${target.urlHost}` : ''}`);
}

function isLoopback(host: string): boolean {
  if (isIPv4(host)) return host.startsWith('127.');
  return isIPv6(host) && expandIPv6(host) === expandIPv6('::1');
}

function matchingEntry(target: Target, value: string): string | undefined {
  const host = target.host.toLowerCase();
  const port = String(target.port);
  for (const raw of value.split(',')) {
    const entry = raw.trim().toLowerCase();
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

/** net.SplitHostPort, or the whole entry when it has no port. */
function splitHostPort(entry: string): {host: string; port: string} {
  const bracketed = /^\[([^\]]*)\]:(\d*)$/.exec(entry);
  if (bracketed) return {host: bracketed[1]!, port: bracketed[2]!};
  const plain = /^([^:[\]]*):([^:]*)$/.exec(entry);
  return plain ? {host: plain[1]!, port: plain[2]!} : {host: entry, port: ''};
}

function sameIP(a: string, b: string): boolean {
  if (isIPv4(a) || isIPv4(b)) return a === b;
  return isIPv6(a) && isIPv6(b) && expandIPv6(a) === expandIPv6(b);
}

function cidrContains(host: string, network: string, bits: number): boolean {
  if (isIPv4(network)) return isIPv4(host) && bits <= 32 && (bits === 0 || inIPv4Network(host, network, bits));
  if (!isIPv6(network) || !isIPv6(host) || bits > 128) return false;
  const [a, b] = [expandIPv6(host), expandIPv6(network)];
  return a.slice(0, bits) === b.slice(0, bits);
}

/** An IPv6 address as 128 bits ('0'/'1'), for prefix comparison. */
function expandIPv6(address: string): string {
  const [head = '', tail = ''] = address.split('::');
  const parts = (s: string) => (s === '' ? [] : s.split(':'));
  const headParts = parts(head);
  const tailParts = parts(tail);
  const groups = address.includes('::')
    ? [...headParts, ...Array<string>(8 - headParts.length - tailParts.length).fill('0'), ...tailParts]
    : headParts;
  return groups.map((g) => Number.parseInt(g, 16).toString(2).padStart(16, '0')).join('');
}

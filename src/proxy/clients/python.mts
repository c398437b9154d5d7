// CPython 3.11 urllib.request, and the libraries built on its getproxies(): requests 2.28–2.34
// (and pip), aiohttp 3.8–3.14 with trust_env=True. None speaks SOCKS by itself: requests does
// with PySocks (`requests[socks]`), urllib and aiohttp never.
import {type Decision, direct, fails, hasScheme, via} from '../decision.mts';
import {type Env, type Setting, entries, pythonProxies} from '../env.mts';
import {isSocks, proxyScheme} from '../schemes.mts';
import {type Target, inIPv4Network, isIPv4} from '../target.mts';
import {type Installed, atLeast} from '../versions.mts';

export const REQUESTS_SOCKS_ERROR = 'InvalidSchema: Missing dependencies for SOCKS support.';

export function urllib(target: Target, env: Env): Decision {
  const proxies = pythonProxies(env);
  // urllib installs a handler per scheme key: all_proxy has no handler to go with.
  const proxy = proxies.get(target.scheme);
  if (!proxy) return direct(`no ${target.scheme}_proxy is set${masked(env, target.scheme)}${allIgnored(proxies, 'urllib')}`);
  // urllib passes Request.host, which keeps the port and the IPv6 brackets.
  const host = target.explicitPort ? `${target.urlHost}:${target.port}` : target.urlHost;
  const entry = bypassEntry(host, proxies.get('no'));
  if (entry !== undefined) return direct(bypassRule(proxies.get('no')!, entry, target));
  if (hasScheme(proxy.value) && !['http', 'https'].includes(proxyScheme(proxy.value))) {
    return fails(`urllib raises URLError: <urlopen error unknown url type: ${proxyScheme(proxy.value)}> (${proxy.name}=${proxy.value}; urllib has no SOCKS support)`);
  }
  return via(proxy.value, `${proxy.name} is set${noMatch(proxies.get('no'), target, env)}`);
}

export function requests(target: Target, env: Env, installed: Installed = {}): Decision {
  const proxies = pythonProxies(env);
  const proxy = proxies.get(target.scheme) ?? proxies.get('all');
  if (!proxy) return direct(`no ${target.scheme}_proxy or all_proxy is set${masked(env, target.scheme)}`);
  // requests reads no_proxy with `or`: an empty lowercase value falls through to NO_PROXY.
  const own = env.no_proxy ? {name: 'no_proxy', value: env.no_proxy} : env.NO_PROXY ? {name: 'NO_PROXY', value: env.NO_PROXY} : undefined;
  const ownEntry = own ? requestsEntry(target, own.value, atLeast(installed, 'requests', '2.34')) : undefined;
  if (ownEntry !== undefined) return direct(`${own!.name} entry "${ownEntry}" matches ${target.host} (requests' suffix match)`);
  // Then urllib's proxy_bypass on the bare host name, without port or brackets.
  const entry = bypassEntry(target.host, proxies.get('no'));
  if (entry !== undefined) return direct(bypassRule(proxies.get('no')!, entry, target));
  if (isSocks(proxy.value) && !installed.extras?.pysocks) {
    return fails(`requests raises ${REQUESTS_SOCKS_ERROR} (${proxy.name}=${proxy.value}): install PySocks (pip install 'requests[socks]'), or exempt the host in no_proxy/NO_PROXY, which requests checks first`, 'pysocks');
  }
  return via(proxy.value, `${proxy.name} is set${noMatch(own ?? proxies.get('no'), target, env)}`);
}

export function aiohttp(target: Target, env: Env, trustEnv: boolean): Decision {
  if (!trustEnv) return direct('aiohttp ignores the proxy variables unless the session is created with trust_env=True');
  const proxies = pythonProxies(env);
  const no = proxies.get('no');
  const entry = bypassEntry(target.host, no);
  if (entry !== undefined) return direct(bypassRule(no!, entry, target));
  const proxy = proxies.get(target.scheme);
  if (!proxy) return direct(`no ${target.scheme}_proxy is set${masked(env, target.scheme)}${allIgnored(proxies, 'aiohttp')}`);
  if (!hasScheme(proxy.value)) return fails(`aiohttp raises InvalidURL: ${proxy.name}=${proxy.value} has no scheme (write http://${proxy.value})`);
  const scheme = proxyScheme(proxy.value);
  if (scheme === 'https') return direct(`aiohttp ignores ${proxy.name}=${proxy.value} with a warning ("HTTPS proxies … are not supported, ignoring") and connects directly`);
  if (scheme !== 'http') {
    return fails(`aiohttp has no SOCKS support: it speaks HTTP to ${proxy.name}=${proxy.value} and fails (ClientResponseError: 400, message='Expected HTTP/…'); aiohttp-socks is a separate package`);
  }
  return via(proxy.value, `${proxy.name} is set (trust_env=True)${noMatch(no, target, env)}`);
}

/** urllib.request.proxy_bypass_environment: the matching entry, '*' for the wildcard value. */
function bypassEntry(host: string, no: Setting | undefined): string | undefined {
  if (!no) return undefined;
  if (no.value === '*') return '*';
  const lower = host.toLowerCase();
  const hostOnly = splitPort(lower);
  for (const entry of entries(no.value)) {
    const name = entry.replace(/^\.+/, '').toLowerCase();
    if (hostOnly === name || lower === name) return entry;
    if (hostOnly.endsWith(`.${name}`) || lower.endsWith(`.${name}`)) return entry;
  }
  return undefined;
}

/** urllib's _splitport: the text before a final `:digits`, as a regex sees it (`::1` → `:`). */
function splitPort(host: string): string {
  const match = /^(.*):([0-9]*)$/s.exec(host);
  return match ? match[1]! : host;
}

/** requests' should_bypass_proxies before it asks urllib: CIDR and equality for IPv4 hosts;
 *  otherwise a suffix of the name, with and without the port: before 2.34 any string suffix
 *  (`ternal.test` matches `svc.internal.test`), from 2.34 the whole name or a `.`-bounded suffix. */
function requestsEntry(target: Target, value: string, dotBoundary: boolean): string | undefined {
  const list = value.replace(/ /g, '').split(',').filter((entry) => entry !== '');
  if (target.ipv4) {
    return list.find((entry) => (validCidr(entry) ? inCidr(target.host, entry) : entry === target.host));
  }
  const withPort = target.explicitPort ? `${target.host}:${target.port}` : target.host;
  if (!dotBoundary) return list.find((entry) => target.host.endsWith(entry) || withPort.endsWith(entry));
  return list.find((raw) => {
    const entry = raw.replace(/^\.+/, '');
    return target.host === entry || withPort === entry || target.host.endsWith(`.${entry}`) || withPort.endsWith(`.${entry}`);
  });
}

function validCidr(entry: string): boolean {
  const [network, bits, extra] = entry.split('/');
  if (extra !== undefined || bits === undefined || !/^\d+$/.test(bits)) return false;
  return Number(bits) >= 1 && Number(bits) <= 32 && isIPv4(network!);
}

function inCidr(address: string, cidr: string): boolean {
  const [network, bits] = cidr.split('/');
  return inIPv4Network(address, network!, Number(bits));
}

function bypassRule(no: Setting, entry: string, target: Target): string {
  return entry === '*' ? `${no.name}=* bypasses every host` : `${no.name} entry "${entry}" matches ${target.host}`;
}

function masked(env: Env, scheme: string): string {
  const upper = `${scheme.toUpperCase()}_PROXY`;
  if (env[`${scheme}_proxy`] === '' && env[upper]) return ` (the empty ${scheme}_proxy hides ${upper})`;
  if (scheme === 'http' && env.REQUEST_METHOD !== undefined && env.HTTP_PROXY) return ' (HTTP_PROXY is ignored when REQUEST_METHOD is set, as under CGI)';
  return '';
}

function allIgnored(proxies: Map<string, Setting>, client: string): string {
  return proxies.has('all') ? `; ${client} never uses all_proxy` : '';
}

function noMatch(no: Setting | undefined, target: Target, env: Env): string {
  if (!no) {
    return env.no_proxy === '' && env.NO_PROXY ? '; the empty no_proxy hides NO_PROXY' : '';
  }
  return `; no ${no.name} entry matches ${target.urlHost}`;
}

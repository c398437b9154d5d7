// curl / libcurl (lib/url.c detect_proxy, lib/noproxy.c), and git 2.39, which reads the
// variables itself (http.c) and hands libcurl the result; libcurl's version picks the NO_PROXY
// rules: before 8.9 blanks separate entries (with a deprecation warning), from 8.9 a blank ends
// the list; from 8.18 IPv6 CIDR entries match. Every SOCKS scheme is used.
import {type Decision, direct, via} from '../decision.mts';
import {type Env, type Setting, firstDefined, firstNonEmpty} from '../env.mts';
import {type Target, inIPv4Network, inIPv6Network, isIPv4, isIPv6} from '../target.mts';
import {type Installed, atLeast} from '../versions.mts';

export function curl(target: Target, env: Env, installed: Installed = {}): Decision {
  // HTTP_PROXY is never read: a CGI client could set it through a `Proxy:` request header.
  const proxy = target.scheme === 'http'
    ? firstNonEmpty(env, 'http_proxy', 'all_proxy', 'ALL_PROXY')
    : firstNonEmpty(env, 'https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY');
  if (!proxy) {
    const ignored = target.scheme === 'http' && env.HTTP_PROXY ? ' (curl never reads HTTP_PROXY, only http_proxy)' : '';
    return direct(`no ${target.scheme}_proxy or all_proxy is set${ignored}`);
  }
  const noProxy = firstNonEmpty(env, 'no_proxy', 'NO_PROXY');
  return decide('curl', target, proxy, noProxy, installed);
}

export function git(target: Target, env: Env, installed: Installed = {}): Decision {
  // git's var_override: a variable that is set, even to '', replaces the one read before it.
  const proxy = (target.scheme === 'http' ? firstDefined(env, 'http_proxy') : firstDefined(env, 'https_proxy', 'HTTPS_PROXY'))
    ?? firstDefined(env, 'all_proxy', 'ALL_PROXY');
  if (!proxy) {
    const ignored = target.scheme === 'http' && env.HTTP_PROXY ? ' (git never reads HTTP_PROXY, only http_proxy)' : '';
    return direct(`no ${target.scheme}_proxy or all_proxy is set${ignored}`);
  }
  if (proxy.value === '') return direct(`${proxy.name} is set but empty, which turns git's proxy off`);
  const noProxy = firstDefined(env, 'no_proxy', 'NO_PROXY');
  if (noProxy?.value === '') {
    const masked = env.NO_PROXY ? ` (git takes the empty no_proxy over NO_PROXY=${env.NO_PROXY})` : '';
    return via(proxy.value, `${proxy.name} is set and no_proxy is empty${masked}`);
  }
  return decide('git', target, proxy, noProxy, installed);
}

function decide(client: string, target: Target, proxy: Setting, noProxy: Setting | undefined, installed: Installed): Decision {
  if (noProxy) {
    const entry = matchingEntry(target.host, noProxy.value, installed);
    if (entry !== undefined) {
      return direct(entry === '*' ? `${noProxy.name}=* bypasses every host` : `${noProxy.name} entry "${entry}" matches ${target.host}`);
    }
  }
  const why = noProxy ? `; no ${noProxy.name} entry matches ${target.host}${hint(client, target, noProxy.value)}` : '';
  return via(proxy.value, `${proxy.name} is set${why}`);
}

/** Why a plausible entry did not match, for the entries people write expecting them to. */
function hint(client: string, target: Target, value: string): string {
  const list = value.split(/[\s,]+/);
  if (target.ipv6 && list.includes(`[${target.host}]`)) return ` (${client} compares "${target.host}" without brackets)`;
  if (list.includes('*')) return ` (${client} honours * only as the whole value)`;
  if (list.some((e) => e.toLowerCase().startsWith(`${target.host}:`))) return ` (${client} never matches host:port entries)`;
  return '';
}

/** Curl_check_noproxy: the entry that matches, '*' for the wildcard, undefined for none. */
function matchingEntry(host: string, value: string, installed: Installed): string | undefined {
  if (value === '*') return '*';
  const ipv4 = isIPv4(host);
  const ipv6Cidr = atLeast(installed, 'curl', '8.18') && isIPv6(host);
  const name = !ipv4 && host.endsWith('.') ? host.slice(0, -1) : host;
  const matches = (token: string) => (ipv4 ? matchesIPv4(name, token) : (ipv6Cidr && matchesIPv6(name, token)) || matchesHost(name, token));
  if (!atLeast(installed, 'curl', '8.9')) {
    // Before 8.9 a blank separates entries as a comma does.
    return value.split(/[ \t,]+/).find((token) => token !== '' && matches(token));
  }
  // Tokens end at a blank or a comma; a blank not followed by a comma ends the whole list.
  for (const token of value.replace(/^[ \t]+/, '').split(/[ \t]*,+[ \t]*/)) {
    const [first, rest] = splitAtBlank(token);
    if (first !== '' && matches(first)) return first;
    if (rest) break;
  }
  return undefined;
}

function matchesIPv6(address: string, token: string): boolean {
  const [network = '', bits, extra] = token.split('/');
  if (extra !== undefined || bits === undefined || !isIPv6(network)) return false;
  return inIPv6Network(address, network, Number(bits));
}

function splitAtBlank(token: string): [string, boolean] {
  const blank = token.search(/[ \t]/);
  return blank < 0 ? [token, false] : [token.slice(0, blank), true];
}

function matchesHost(name: string, token: string): boolean {
  let pattern = token.endsWith('.') ? token.slice(0, -1) : token;
  if (pattern.startsWith('.')) pattern = pattern.slice(1);
  const lowerName = name.toLowerCase();
  const lower = pattern.toLowerCase();
  if (lower.length === lowerName.length) return lower === lowerName;
  return lower.length < lowerName.length && lowerName.endsWith(`.${lower}`);
}

function matchesIPv4(address: string, token: string): boolean {
  const slash = token.indexOf('/');
  const network = slash < 0 ? token : token.slice(0, slash);
  const bits = slash < 0 ? 0 : Number.parseInt(token.slice(slash + 1), 10) || 0;
  return inIPv4Network(address, network, bits);
}

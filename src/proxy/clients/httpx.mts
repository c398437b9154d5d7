// httpx (and the openai SDK, huggingface_hub 1.x): the environment becomes a table of URL
// patterns ("mounts"), sorted most specific first; the first pattern matching the URL decides.
// Two generations, each checked against the real release: '0.23' (and older) turns every
// no_proxy entry into `all://*entry` and parses it with rfc3986, where an entry it cannot split
// (any IPv6 address) keeps no host and never wins; '0.28' (the 0.24 series on, encode/httpx#2659)
// maps IP addresses and localhost to exact patterns and parses with httpx's own strict parser, so
// `[::1]` or an IPv6 CIDR raises InvalidURL when the client is created. 'httpx2' (httpx2 2.x, under
// the openai SDK 3.x) is 0.28 except that an IPv6 CIDR becomes `all://[addr]/bits`, whose path
// the pattern ignores: accepted, matching the network address alone.
// Every proxy is turned into a transport when the client is created, whatever the URL: a SOCKS
// proxy without socksio, or a scheme httpx does not know, raises there, before NO_PROXY is read.
import {type Decision, direct, fails, via} from '../decision.mts';
import {type Env, type Setting, pythonProxies} from '../env.mts';
import {normaliseProxy, proxyScheme} from '../schemes.mts';
import {type Target, isIPv4, isIPv6} from '../target.mts';
import {compareVersions, type Installed} from '../versions.mts';

export type HttpxGeneration = '0.23' | '0.28' | 'httpx2';

/** The generation an installed httpx release belongs to: '0.28' from 0.24 on (encode/httpx#2659). */
export function httpxGenerationOf(version: string): '0.23' | '0.28' {
  return compareVersions(version, '0.24') < 0 ? '0.23' : '0.28';
}

export const SOCKSIO_ERROR = "ImportError: Using SOCKS proxy, but the 'socksio' package is not installed. Make sure to install httpx using `pip install httpx[socks]`.";

/** The proxy schemes each generation builds a transport for. */
function knownSchemes(generation: HttpxGeneration): string[] {
  return generation === '0.23' ? ['http', 'https', 'socks5'] : ['http', 'https', 'socks5', 'socks5h'];
}

interface Mount {
  source: string;
  scheme: string;
  host: string;
  port: number | undefined;
  proxy?: Setting;
}

class InvalidPattern extends Error {}

const NAME: Record<HttpxGeneration, string> = {'0.23': 'httpx 0.23', '0.28': 'httpx 0.24+', 'httpx2': 'httpx2'};

/** The error creating the client raises for one proxy, or undefined when it builds a transport. */
function transportError(proxy: Setting, generation: HttpxGeneration, installed: Installed): string | undefined {
  const scheme = proxyScheme(proxy.value);
  if (!knownSchemes(generation).includes(scheme)) return `ValueError: Unknown scheme for proxy URL URL('${normaliseProxy(proxy.value)}')`;
  if (scheme.startsWith('socks') && !installed.extras?.socksio) return SOCKSIO_ERROR;
  return undefined;
}

export function httpx(target: Target, env: Env, generation: HttpxGeneration, installed: Installed = {}): Decision {
  const proxies = pythonProxies(env);
  const no = proxies.get('no');
  const mounts: Mount[] = [];
  try {
    for (const scheme of ['http', 'https', 'all']) {
      const proxy = proxies.get(scheme);
      if (!proxy) continue;
      const error = transportError(proxy, generation, installed);
      if (error) {
        const missingSocksio = error === SOCKSIO_ERROR;
        return fails(`${NAME[generation]} raises ${error} when the client is created (${proxy.name}=${proxy.value}), whatever the URL and NO_PROXY: ${missingSocksio ? "pip install 'httpx[socks]' (socksio), or unset the variable for this job" : 'use http://, socks5:// or socks5h://'}`, missingSocksio ? 'socksio' : undefined);
      }
      mounts.push({source: `${scheme}://`, scheme: scheme === 'all' ? '' : scheme, host: '', port: undefined, proxy});
    }
    // A dict in httpx: a key seen before is not added again (a Set, so a long NO_PROXY stays linear).
    const sources = new Set(mounts.map((m) => m.source));
    for (const entry of no ? no.value.split(',').map((e) => e.trim()) : []) {
      if (entry === '*') return direct(`${no!.name} contains *, which turns every proxy off in httpx`);
      const source = entry === '' ? '' : patternFor(entry, generation);
      if (entry === '' || sources.has(source)) continue;
      sources.add(source);
      mounts.push({...parsePattern(source, generation), source});
    }
  } catch (error) {
    if (!(error instanceof InvalidPattern)) throw error;
    return fails(`${NAME[generation]} raises InvalidURL at client creation: ${error.message}`);
  }
  const port = target.explicitPort && target.port !== (target.scheme === 'https' ? 443 : 80) ? target.port : undefined;
  const winner = sortByPriority(mounts).find((mount) => matches(mount, target, port));
  if (!winner) return direct(`no ${target.scheme}_proxy or all_proxy is set`);
  if (winner.proxy) {
    const shadowed = no ? `; no ${no.name} entry takes precedence for ${target.urlHost}` : '';
    return via(winner.proxy.value, `${winner.proxy.name} is set${shadowed}`);
  }
  return direct(`${no!.name} becomes the httpx pattern "${winner.source}", which matches ${target.urlHost}`);
}

/** get_environment_proxies: the mount key one no_proxy entry becomes. */
function patternFor(entry: string, generation: HttpxGeneration): string {
  if (generation === '0.23') return `all://*${entry}`;
  if (entry.includes('://')) return entry;
  const address = entry.split('/')[0]!;
  if (isIPv4(address)) return `all://${entry}`;
  if (isIPv6(address)) return generation === 'httpx2' && entry.includes('/') ? `all://[${address}]/${entry.split('/')[1]}` : `all://[${entry}]`;
  if (entry.toLowerCase() === 'localhost') return `all://${entry}`;
  return `all://*${entry}`;
}

function parsePattern(pattern: string, generation: HttpxGeneration): Omit<Mount, 'source'> {
  const [, scheme = '', rest = ''] = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/is.exec(pattern) ?? [];
  const authority = rest.split(/[/?#]/)[0]!;
  if (/[^\x20-\x7e]/.test(authority)) throw new InvalidPattern(`"${pattern}" is not a valid URL pattern (non-ASCII host)`);
  const {host, port} = generation === '0.23' ? splitLenient(authority) : splitStrict(pattern, authority);
  return {scheme: scheme.toLowerCase() === 'all' ? '' : scheme.toLowerCase(), host: host === '*' ? '' : host.toLowerCase(), port};
}

/** httpx's own parser (0.24 on): `[v6]` must be a valid address, a port must be digits. */
function splitStrict(pattern: string, authority: string): {host: string; port: number | undefined} {
  const match = /^(\[[^\]]*\]|[^:@]*):?(.*)$/s.exec(authority)!;
  let host = match[1]!;
  if (host.startsWith('[')) {
    if (!isIPv6(host.slice(1, -1))) throw new InvalidPattern(`"${pattern}" has an invalid IPv6 address`);
    host = host.slice(1, -1);
  }
  const port = match[2]!;
  if (port !== '' && !/^\d+$/.test(port)) throw new InvalidPattern(`"${pattern}" has an invalid port "${port}"`);
  return {host, port: port === '' ? undefined : Number(port)};
}

/** rfc3986's authority matcher (httpx 0.23 and older): a pattern it cannot split keeps no host and no
 *  port, so it matches every URL, at the lowest priority. */
function splitLenient(authority: string): {host: string; port: number | undefined} {
  const match = /^([A-Za-z0-9\-._~!$&'()*+,;=%]*)(?::(\d{0,5}))?$/.exec(authority);
  if (!match) return {host: '', port: undefined};
  return {host: match[1]!, port: match[2] ? Number(match[2]) : undefined};
}

/** URLPattern.priority: a port first, then the longer host, then the longer scheme; stable. */
function sortByPriority(mounts: Mount[]): Mount[] {
  const key = (m: Mount) => [m.port === undefined ? 1 : 0, -m.host.length, -m.scheme.length];
  return [...mounts].sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    for (let i = 0; i < 3; i++) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!;
    return 0;
  });
}

/** URLPattern.matches, with its host regex: `*.x` subdomains only, `*x` x and subdomains. */
function matches(mount: Mount, target: Target, port: number | undefined): boolean {
  if (mount.scheme && mount.scheme !== target.scheme) return false;
  if (mount.host && !hostMatches(mount.host, target.host)) return false;
  return mount.port === undefined || mount.port === port;
}

function hostMatches(pattern: string, host: string): boolean {
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
  if (pattern.startsWith('*')) return host === pattern.slice(1) || host.endsWith(`.${pattern.slice(1)}`);
  return host === pattern;
}

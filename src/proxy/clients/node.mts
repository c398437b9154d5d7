// Node 20's global fetch (and http.request) and undici's EnvHttpProxyAgent 7.x (7.30: http, https
// and, experimentally, socks5 proxies; any other scheme throws when the agent is created).
import {type Decision, direct, fails, via} from '../decision.mts';
import {type Env, firstDefined} from '../env.mts';
import type {Target} from '../target.mts';

export function nodeFetch(_target: Target, env: Env): Decision {
  const opted = env.NODE_USE_ENV_PROXY ? ' (NODE_USE_ENV_PROXY needs Node 22.21+ or 24.5+)' : '';
  return direct(`Node's fetch ignores the proxy variables unless given an EnvHttpProxyAgent dispatcher${opted}`);
}

const UNDICI_PROXY_PROTOCOLS = ['http:', 'https:', 'socks5:'];

/** undici 7.22+: `lowercase ?? UPPERCASE`, so an empty lowercase variable masks the other. */
export function undiciEnvAgent(target: Target, env: Env): Decision {
  const http = firstDefined(env, 'http_proxy', 'HTTP_PROXY');
  const https = firstDefined(env, 'https_proxy', 'HTTPS_PROXY');
  // https URLs fall back to the http proxy; all_proxy is never read.
  const proxy = target.scheme === 'https' && https?.value ? https : http?.value ? http : undefined;
  // Both proxy agents are built in the constructor, whatever the URL: a value that is no URL throws.
  const invalid = [http, https].find((setting) => setting?.value && !URL.canParse(setting.value));
  if (invalid) return fails(`EnvHttpProxyAgent throws "Invalid URL" when created: ${invalid.name}=${invalid.value} has no scheme (write http://${invalid.value})`);
  const unsupported = [http, https].find((setting) => setting?.value && !UNDICI_PROXY_PROTOCOLS.includes(new URL(setting.value).protocol));
  if (unsupported) {
    return fails(`EnvHttpProxyAgent throws InvalidArgumentError when created: "Invalid URL protocol: the URL must start with \`http:\` or \`https:\`." (${unsupported.name}=${unsupported.value})`);
  }
  const no = firstDefined(env, 'no_proxy', 'NO_PROXY');
  const entries = (no?.value ?? '').split(/[,\s]/).filter((e) => e !== '').map(parseEntry);
  const host = target.urlHost.toLowerCase();
  // `Number(url.port) || default`: an explicit port 0 counts as the scheme's default port.
  const port = target.port || (target.scheme === 'https' ? 443 : 80);
  const value = no?.value ?? '';
  const bypass = value === '*'
    ? '*'
    : entries.find((e) => (e.port === 0 || e.port === port) && (host === e.hostname || host.endsWith(`.${e.hostname}`)))?.raw;
  if (entries.length > 0 && bypass !== undefined) {
    return direct(bypass === '*' ? `${no!.name}=* bypasses every host` : `${no!.name} entry "${bypass}" matches ${target.urlHost}`);
  }
  if (!proxy) {
    const masked = http?.value === '' && env.HTTP_PROXY ? ` (the empty ${http.name} masks HTTP_PROXY)` : '';
    return direct(`no http_proxy is set${masked}`);
  }
  const why = no?.value === '' && env.NO_PROXY ? `; the empty no_proxy masks NO_PROXY` : no ? `; no ${no.name} entry matches ${target.urlHost}` : '';
  return via(proxy.value, `${proxy.name} is set${why}`);
}

/** `host:port` keeps the port apart (so `::1` reads as host ":" port 1); `.x` and `*.x` lose
 *  the prefix; IPv6 addresses only match with their brackets, as the URL writes them. */
function parseEntry(raw: string): {raw: string; hostname: string; port: number} {
  const parsed = /^(.+):(\d+)$/.exec(raw);
  return {
    raw,
    hostname: (parsed ? parsed[1]! : raw).replace(/^\*?\./, '').toLowerCase(),
    port: parsed ? Number.parseInt(parsed[2]!, 10) : 0,
  };
}

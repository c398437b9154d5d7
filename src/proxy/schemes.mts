// Proxy URL schemes: which ones each client family can use, and the exact error the others raise.
// A value without a scheme is `http://` to every client that accepts it (see decision.mts).
export function hasScheme(proxy: string): boolean {
  return proxy.includes('://');
}

/** A proxy value as the clients that accept it read it: `127.0.0.1:7890` is `http://127.0.0.1:7890`. */
export function normaliseProxy(proxy: string): string {
  return hasScheme(proxy) ? proxy : `http://${proxy}`;
}

export const SOCKS_SCHEMES = ['socks4', 'socks4a', 'socks5', 'socks5h'] as const;

/** The proxy's scheme, lowercase, after normalising (`127.0.0.1:7890` → `http`). */
export function proxyScheme(value: string): string {
  const normalised = normaliseProxy(value.trim());
  return normalised.slice(0, normalised.indexOf('://')).toLowerCase();
}

export function isSocks(value: string): boolean {
  return (SOCKS_SCHEMES as readonly string[]).includes(proxyScheme(value));
}

/** The `host` of a proxy value, without credentials, port or brackets. */
export function proxyHost(value: string): string {
  const normalised = normaliseProxy(value.trim());
  const authority = normalised.slice(normalised.indexOf('://') + 3).split(/[/?#]/)[0]!;
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  if (hostPort.startsWith('[')) return hostPort.slice(1, hostPort.indexOf(']')).toLowerCase();
  return hostPort.split(':')[0]!.toLowerCase();
}

/** A proxy on this machine (Clash, v2ray, mihomo on 127.0.0.1:7890): unlike a remote one, it can
 *  reach the services on our loopback, so a request sent to it may well succeed. */
export function isLocalProxy(value: string): boolean {
  const host = proxyHost(value);
  return host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1' || host === '0:0:0:0:0:0:0:1';
}

// The target URL as the clients see it: the host with and without IPv6 brackets, the port.

export interface Target {
  scheme: 'http' | 'https';
  /** Lowercase host without brackets: `::1`, `127.0.0.1`, `svc.internal.test`. */
  host: string;
  /** The host as it appears in the URL: `[::1]` for IPv6. */
  urlHost: string;
  port: number;
  /** Whether the port was written in the URL (requests only matches `host:port` entries then). */
  explicitPort: boolean;
  ipv4: boolean;
  ipv6: boolean;
}

export function parseTarget(url: string): Target {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`not a URL: ${url}`);
  }
  const scheme = parsed.protocol.slice(0, -1);
  if (scheme !== 'http' && scheme !== 'https') throw new Error(`not an http(s) URL: ${url}`);
  const urlHost = parsed.hostname;
  const ipv6 = urlHost.startsWith('[');
  const host = ipv6 ? urlHost.slice(1, -1) : urlHost;
  return {
    scheme,
    host,
    urlHost,
    port: parsed.port ? Number(parsed.port) : scheme === 'https' ? 443 : 80,
    explicitPort: parsed.port !== '',
    ipv4: isIPv4(host),
    ipv6,
  };
}

/** A dotted quad as inet_pton(AF_INET) accepts it: four decimal octets, no leading zeros. */
export function isIPv4(text: string): boolean {
  return /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(text);
}

/** An IPv6 address (no brackets, no zone) as WHATWG URL's host parser accepts it: the same set as
 *  node:net's isIPv6 without zones, and available in the browser, where these models also run. */
export function isIPv6(text: string): boolean {
  if (!/^[0-9a-f:.]+$/i.test(text) || !text.includes(':')) return false;
  try {
    new URL(`http://[${text}]/`);
    return true;
  } catch {
    return false;
  }
}

/** The 32-bit value of a dotted quad (callers check isIPv4 first). */
export function ipv4Number(text: string): number {
  return text.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

/** Whether IPv4 `address` lies in `network`/`bits`; bits 0 or 32 means equality (curl's rule). */
export function inIPv4Network(address: string, network: string, bits: number): boolean {
  if (!isIPv4(address) || !isIPv4(network) || bits > 32) return false;
  if (bits === 0 || bits === 32) return address === network;
  const shift = 32 - bits;
  return Math.floor(ipv4Number(address) / 2 ** shift) === Math.floor(ipv4Number(network) / 2 ** shift);
}

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

/** A host name in ASCII (punycode, lowercase), or '' when it is not a valid name: node:url's
 *  domainToASCII, through the WHATWG `URL` global so that it also runs in the browser. */
export function domainToASCII(name: string): string {
  // The URL parser would strip blanks at the ends and slashes at the start, and read `a@b` as a
  // user name; node's refuses all three.
  if (/^[\x00-\x20/\\]|[\x00-\x20]$|@/.test(name)) return '';
  try {
    return new URL(`http://${name}`).hostname;
  } catch {
    return '';
  }
}

/** The 32-bit value of a dotted quad (callers check isIPv4 first). */
export function ipv4Number(text: string): number {
  return text.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

/** An IPv6 address as 128 bits ('0'/'1'), for prefix comparison (callers check isIPv6 first). */
export function ipv6Bits(address: string): string {
  const [head = '', tail = ''] = address.split('::');
  const parts = (s: string) => (s === '' ? [] : s.split(':'));
  const headParts = parts(head);
  const tailParts = parts(tail);
  const groups = address.includes('::')
    ? [...headParts, ...Array<string>(8 - headParts.length - tailParts.length).fill('0'), ...tailParts]
    : headParts;
  return groups.map((g) => Number.parseInt(g, 16).toString(2).padStart(16, '0')).join('');
}

/** Whether IPv6 `address` lies in `network`/`bits`. */
export function inIPv6Network(address: string, network: string, bits: number): boolean {
  if (!(bits >= 0 && bits <= 128)) return false;
  return ipv6Bits(address).slice(0, bits) === ipv6Bits(network).slice(0, bits);
}

/** Whether IPv4 `address` lies in `network`/`bits`; bits 0 or 32 means equality (curl's rule). */
export function inIPv4Network(address: string, network: string, bits: number): boolean {
  if (!isIPv4(address) || !isIPv4(network) || bits > 32) return false;
  if (bits === 0 || bits === 32) return address === network;
  const shift = 32 - bits;
  return Math.floor(ipv4Number(address) / 2 ** shift) === Math.floor(ipv4Number(network) / 2 ** shift);
}

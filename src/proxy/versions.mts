// Which release of a client a prediction describes. Rules changed between releases (requests 2.34,
// curl 8.9 and 8.18, httpx 0.24, httpx2); a caller that knows the installed versions passes them,
// otherwise each model applies the newest rule it knows and the prediction says so.

/** The packages whose version selects a rule. libcurl's version decides for curl and git. */
export type VersionedPackage = 'curl' | 'requests' | 'httpx' | 'httpx2' | 'aiohttp' | 'undici' | 'go';

/** What is installed where the request runs. */
export interface Installed {
  /** `{requests: '2.28.1', curl: '7.88.1'}`; a missing package means "unknown: newest rule". */
  versions?: Partial<Record<VersionedPackage, string>>;
  /** Optional extras: PySocks gives requests SOCKS, socksio gives httpx and httpx2 SOCKS. Unknown = not installed
   *  (neither comes with a plain `pip install requests httpx openai`). */
  extras?: {pysocks?: boolean; socksio?: boolean};
}

/** The newest release each model was checked against: the rule used when the version is unknown. */
export const NEWEST_KNOWN: Record<VersionedPackage, string> = {
  curl: '8.18',
  requests: '2.34',
  httpx: '0.28',
  httpx2: '2.13',
  aiohttp: '3.14',
  undici: '7.30',
  go: '1.19',
};

/** -1, 0 or 1, comparing dotted numeric versions (`2.34.2` > `2.34`); text after the numbers is ignored. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => (/^\d+(\.\d+)*/.exec(v.trim())?.[0] ?? '0').split('.').map(Number);
  const [pa, pb] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** The version a rule is chosen by: the installed one, or the newest known. */
export function effectiveVersion(installed: Installed, pkg: VersionedPackage): string {
  return installed.versions?.[pkg] ?? NEWEST_KNOWN[pkg];
}

/** Whether the version in effect for `pkg` is at least `min`. */
export function atLeast(installed: Installed, pkg: VersionedPackage, min: string): boolean {
  return compareVersions(effectiveVersion(installed, pkg), min) >= 0;
}

/** The sentence a prediction carries: which release it describes, and whether that was detected. */
export function assumption(installed: Installed, pkg: VersionedPackage): string {
  const version = installed.versions?.[pkg];
  return version ? `${pkg} ${version}` : `${pkg} ${NEWEST_KNOWN[pkg]} (version not detected: newest known rule)`;
}

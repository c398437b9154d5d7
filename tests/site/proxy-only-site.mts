// The network the one-liners are for: the site is reachable only through the proxy, and there is no
// npm registry. A loopback address of the calling file's own (127.x.y.z) serves the site on port 80;
// a Squid of its own (src/stack/squid.mts, forward mode) is the only resolver that maps the site's
// host name (TEST_SITE_URL) to that address (hosts_file); nothing else can look the name up. Then
// `runLine` runs a copied command in a clean HOME and an empty directory, where zx is nowhere.
import {randomInt} from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {afterAll, beforeAll} from 'vitest';
import {startSquid, type SquidProxy} from '../../src/stack/squid.mts';
import {runClient, type Ran} from '../kit/processes.mts';
import {TEST_SITE_URL} from '../kit/site-build.mts';

export const SITE_HOST = new URL(TEST_SITE_URL).hostname;

/** Whether this process may listen on port 80 (root, or a lowered unprivileged port start). */
export function mayListenOnPort80(): boolean {
  if (process.getuid?.() === 0) return true;
  try {
    return Number(fs.readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8')) <= 80;
  } catch {
    return false;
  }
}

export interface ProxyOnlySite {
  /** The Squid that alone resolves SITE_HOST (its access log shows what went through it). */
  squid: SquidProxy;
  /**
   * `bash -c COMMAND` in a fresh empty directory with a clean HOME; `proxy` sets the four proxy
   * variables; `readOnly` mounts the directory read-only first (a mount namespace: root only), as a
   * directory the reader cannot write to is for them.
   */
  runLine(command: string, options: {proxy: boolean; readOnly?: boolean}): Promise<Ran & {cwd: string}>;
}

/**
 * Registers this file's hooks: `serve(address)` starts the site on `address`, port 80 (retried on
 * another address if that one is taken), and a Squid maps SITE_HOST to it.
 */
export function useProxyOnlySite(serve: (address: string) => Promise<{close(): Promise<void>}>): ProxyOnlySite {
  let server: {close(): Promise<void>} | undefined;
  const dirs: string[] = [];
  const site = {runLine} as ProxyOnlySite;

  beforeAll(async () => {
    let address = '';
    for (let attempt = 0; !server; attempt++) {
      address = `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
      server = await serve(address).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EADDRINUSE' || attempt >= 5) throw error;
        return undefined;
      });
    }
    site.squid = await startSquid({mode: 'forward', hosts: {[SITE_HOST]: address}});
  }, 60_000);

  afterAll(async () => {
    await site.squid?.stop();
    await server?.close();
    for (const dir of dirs) fs.rmSync(dir, {recursive: true, force: true});
  });

  async function runLine(command: string, {proxy, readOnly = false}: {proxy: boolean; readOnly?: boolean}): Promise<Ran & {cwd: string}> {
    const [home, cwd] = ['home', 'cwd'].map((kind) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `one-liner-${kind}-`));
      dirs.push(dir);
      return dir;
    });
    const env: NodeJS.ProcessEnv = {
      HOME: home!,
      PATH: [...new Set([path.dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'])].join(path.delimiter),
      SHELL: '/bin/bash',
      LANG: 'C.UTF-8',
      // No registry: anything that would fetch a package (npx zx) fails.
      npm_config_registry: 'http://127.0.0.1:1',
    };
    if (proxy) for (const name of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY']) env[name] = site.squid.url;
    // Root writes to a directory whatever its mode says: a read-only mount stops it too.
    const [program, args] = readOnly
      ? ['unshare', ['-m', 'sh', '-c', 'mount -o bind,ro "$PWD" "$PWD" && cd "$PWD" && exec bash -c "$0"', command]]
      : ['bash', ['-c', command]];
    return {...(await runClient(program, args, env, 120_000, cwd)), cwd: cwd!};
  }

  return site;
}

// Test helpers over the stack started by tests/stack/global-setup.mts.
import {describe, inject} from 'vitest';
import {execFile} from 'node:child_process';
import {AccessLog, type StackInfo} from '../../src/stack/index.mts';

export function stackInfo(): StackInfo {
  return inject('stack');
}

/** A describe block that needs Squid: without it, its tests report themselves skipped with the
 * install hint in the suite name. Read the Squid URLs inside the tests (`squidInfo()`), not here. */
export function describeWithSquid(name: string, body: () => void): void {
  const {squidMissing} = stackInfo();
  describe.skipIf(squidMissing)(squidMissing ? `${name} (skipped: ${squidMissing})` : name, body);
}

export function squidInfo(): NonNullable<StackInfo['squid']> {
  const {squid, squidMissing} = stackInfo();
  if (!squid) throw new Error(squidMissing ?? 'no Squid');
  return squid;
}

/** A describe block that needs the SOCKS5 server (microsocks): skipped, saying why, without it. */
export function describeWithSocks(name: string, body: () => void): void {
  const {socksMissing} = stackInfo();
  describe.skipIf(Boolean(socksMissing))(socksMissing ? `${name} (skipped: ${socksMissing})` : name, body);
}

export function socksInfo(): NonNullable<StackInfo['socks']> {
  const {socks, socksMissing} = stackInfo();
  if (!socks) throw new Error(socksMissing ?? 'no SOCKS server');
  return socks;
}

export function accessLog(which: 'remote' | 'forward'): AccessLog {
  return new AccessLog(squidInfo()[which].accessLog);
}

/** Environment for a client process: the current one minus every proxy variable, plus `extra`. */
export function clientEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = {...process.env};
  for (const name of ['http_proxy', 'https_proxy', 'all_proxy', 'no_proxy']) {
    delete env[name];
    delete env[name.toUpperCase()];
  }
  return {...env, ...extra};
}

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a real client (async: never block this process while a server it hosts must answer). */
export function runClient(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 20_000, cwd?: string): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(command, args, {env, timeout: timeoutMs, encoding: 'utf8', cwd}, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({code, stdout, stderr});
    });
  });
}

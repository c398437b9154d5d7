// Test helpers over the stack started by tests/stack/global-setup.mts.
import {afterAll, beforeAll, describe, inject} from 'vitest';
import {AccessLog, type AccessLogEntry, type StackInfo} from '../../src/stack/index.mts';
import {startMockVllm, type MockVllm} from '../../src/stack/mock-vllm.mts';
import {runClient} from './processes.mts';
import {withoutProxyVariables} from './proxy-env.mts';
import {waitFor} from './wait.mts';

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
  return withoutProxyVariables(process.env, extra);
}

/**
 * What Squid logged since `mark`, once it has logged every request that ended before this call.
 * Squid logs a request when it ends, a moment after the client has its answer; so a request of our
 * own goes through the proxy last, and its log line (it is written after every earlier one) is the
 * condition to wait on. The returned lines exclude it.
 */
export async function settledLog(which: 'remote' | 'forward', mark: number): Promise<AccessLogEntry[]> {
  const marker = `http://127.0.0.1:9/settle-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const ran = await runClient('curl', ['-sS', '-o', '/dev/null', '--max-time', '10', '-x', squidInfo()[which].url, marker], clientEnv());
  const log = accessLog(which);
  const {met, value: lines} = await waitFor(() => log.linesSince(mark), (lines) => lines.some((e) => e.url === marker), 10_000);
  if (!met) throw new Error(`Squid never logged ${marker} (curl exit ${ran.code}: ${ran.stderr.trim()})`);
  return lines.filter((e) => e.url !== marker);
}

/**
 * A mock vLLM of the calling file's own, on its own port (started in beforeAll, closed in afterAll).
 * The stack's Squids are shared by every file running at the same time; a test that counts what
 * Squid logged talks to this mock and reads only its lines (`settledLogFor`).
 */
export function useOwnMockVllm(): () => MockVllm {
  let mock: MockVllm | undefined;
  beforeAll(async () => {
    mock = await startMockVllm({port: 0});
  });
  afterAll(() => mock?.close());
  return () => {
    if (!mock) throw new Error('useOwnMockVllm: the mock is started in beforeAll');
    return mock;
  };
}

/** `settledLog`, only the requests for URLs under `base` (a mock's or a stand-in's own URL). */
export async function settledLogFor(which: 'remote' | 'forward', mark: number, base: string): Promise<AccessLogEntry[]> {
  const prefix = base.endsWith('/') ? base : `${base}/`;
  return (await settledLog(which, mark)).filter((e) => e.url.startsWith(prefix));
}

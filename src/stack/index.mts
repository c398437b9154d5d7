// The mock stack the guides are proven against: a mock vLLM, a real Squid in `remote` mode (a
// corporate proxy that cannot see our loopback) and in `forward` mode (a working proxy, which is
// also the "local proxy": like Clash or v2ray on 127.0.0.1, it can reach the mock), a real SOCKS5
// server (microsocks) and a blackhole proxy. Used by `npm run stack`, the vitest globalSetup and the benchmarks.
import {startMockVllm, DEFAULT_MODEL, type MockVllm, type MockVllmOptions} from './mock-vllm.mts';
import {startBlackhole, type Blackhole} from './blackhole.mts';
import {startSquid, type Isolation, type SquidMode, type SquidProxy} from './squid.mts';
import {squidMissingReason} from './find-squid.mts';
import {startSocks, type SocksServer} from './socks.mts';
import {shellQuote} from '../io/text.mts';

export {AccessLog, parseAccessLogLine, type AccessLogEntry} from './access-log.mts';
export {DEFAULT_MODEL} from './mock-vllm.mts';

/** A service another module adds to the stack (e.g. the HF / PyPI mirror stand-ins). */
export interface ExtraService {
  name: string; // key in `extras`, e.g. "hf-mirror"
  start(): Promise<StartedExtraService>;
}

export interface StartedExtraService {
  url: string;
  port: number;
  env?: Record<string, string>; // added to the stack's env / export lines
  close(): Promise<void>;
}

export interface StackOptions {
  model?: string;
  mockPort?: number; // default 0 = ephemeral
  mockVllm?: Omit<MockVllmOptions, 'model' | 'port'>;
  /** `required` (default): a missing Squid throws. `optional`: start without it and say why in
   * `squidMissing` (the test setup does this so Squid tests report themselves skipped). */
  squid?: 'required' | 'optional';
  /** Force the remote Squid's isolation (tests of the fallback). Default: namespace when permitted. */
  isolation?: 'namespace' | 'rewrite';
  /** `optional` (default): without microsocks, start anyway and say why in `socksMissing`.
   *  `required`: a SOCKS server that cannot start throws. */
  socks?: 'required' | 'optional';
  extraServices?: ExtraService[];
}

export interface SquidInfo {
  mode: SquidMode;
  isolation: Isolation;
  url: string;
  port: number;
  accessLog: string; // path of Squid's access log (native format); read it with AccessLog
  configPath: string;
  pid: number;
}

/** Everything a client needs, JSON-serialisable (what `npm run stack --json` prints and tests inject). */
export interface StackInfo {
  mockVllm: {url: string; baseUrl: string; port: number; model: string};
  squid: {remote: SquidInfo; forward: SquidInfo} | null;
  squidMissing: string | null; // why there is no Squid (install hint), or null
  /** The local HTTP proxy (Clash/v2ray-style, on our loopback): the forward Squid, which can reach the mock. */
  localProxy: {url: string; port: number} | null;
  /** A real SOCKS5 server on our loopback (microsocks), which can reach the mock. */
  socks: {url: string; port: number} | null;
  socksMissing: string | null; // why there is no SOCKS server (install hint), or null
  blackhole: {url: string; port: number};
  extras: Record<string, {url: string; port: number}>;
  env: Record<string, string>;
  exportLines: string[];
  notes: string[];
}

export interface Stack extends StackInfo {
  info(): StackInfo;
  stop(): Promise<void>;
}

export const REWRITE_FALLBACK_NOTE =
  'Network namespaces are not permitted here: the remote Squid shares our loopback and a url_rewrite helper sends loopback requests to a closed port instead (same error page; the access log shows the rewritten port).';

function squidInfo(proxy: SquidProxy): SquidInfo {
  return {
    mode: proxy.mode,
    isolation: proxy.isolation,
    url: proxy.url,
    port: proxy.port,
    accessLog: proxy.accessLog.path,
    configPath: proxy.configPath,
    pid: proxy.squidPid,
  };
}

function stackEnv(mock: MockVllm, squid: StackInfo['squid'], socks: SocksServer | null, blackhole: Blackhole, extras: StartedExtraService[]): Record<string, string> {
  const env: Record<string, string> = {
    MOCK_VLLM_URL: mock.url,
    MOCK_VLLM_MODEL: mock.model,
    OPENAI_BASE_URL: `${mock.url}/v1`,
    OPENAI_API_KEY: 'EMPTY',
    BLACKHOLE_PROXY_URL: blackhole.url,
  };
  if (squid) {
    Object.assign(env, {
      REMOTE_PROXY_URL: squid.remote.url,
      REMOTE_PROXY_ACCESS_LOG: squid.remote.accessLog,
      FORWARD_PROXY_URL: squid.forward.url,
      FORWARD_PROXY_ACCESS_LOG: squid.forward.accessLog,
      LOCAL_PROXY_URL: squid.forward.url,
      // The seed's situation: every client is pointed at the "corporate" proxy.
      http_proxy: squid.remote.url,
      https_proxy: squid.remote.url,
      HTTP_PROXY: squid.remote.url,
      HTTPS_PROXY: squid.remote.url,
    });
  }
  if (socks) env.SOCKS_PROXY_URL = socks.url;
  for (const extra of extras) Object.assign(env, extra.env);
  return env;
}

/** `export NAME='value'` lines, single-quoted for any POSIX shell. */
export function exportLines(env: Record<string, string>): string[] {
  return Object.entries(env).map(([name, value]) => `export ${name}=${shellQuote(value)}`);
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const squidMissing = squidMissingReason() ?? null;
  if (squidMissing && options.squid !== 'optional') throw new Error(squidMissing);
  const closers: Array<() => Promise<void>> = [];
  const stopAll = () => Promise.all(closers.map((close) => close().catch(() => {}))).then(() => {});
  const started = <T,>(promise: Promise<T>, close: (value: T) => () => Promise<void>) => promise.then((value) => (closers.push(close(value)), value));
  // allSettled, not all: when one service fails, the others must finish starting so they can be stopped.
  const results = await Promise.allSettled([
    started(startMockVllm({...options.mockVllm, model: options.model ?? DEFAULT_MODEL, port: options.mockPort ?? 0}), (m) => m.close),
    started(startBlackhole(), (b) => b.close),
    squidMissing ? null : started(startSquid({mode: 'remote', isolation: options.isolation}), (s) => s.stop),
    squidMissing ? null : started(startSquid({mode: 'forward'}), (s) => s.stop),
    started(startSocks(), (s) => s.close).catch((error: Error) => {
      if (options.socks === 'required') throw error;
      return error.message;
    }),
    Promise.all((options.extraServices ?? []).map((service) => started(service.start(), (e) => e.close).then((e) => ({name: service.name, e})))),
  ] as const);
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) {
    await stopAll();
    throw failure.reason;
  }
  const [mock, blackhole, remote, forward, socksOrReason, extras] = results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as [
    MockVllm,
    Blackhole,
    SquidProxy | null,
    SquidProxy | null,
    SocksServer | string,
    Array<{name: string; e: StartedExtraService}>,
  ];
  const squid = remote && forward ? {remote: squidInfo(remote), forward: squidInfo(forward)} : null;
  const socks = typeof socksOrReason === 'string' ? null : socksOrReason;
  const socksMissing = typeof socksOrReason === 'string' ? socksOrReason : null;
  const env = stackEnv(mock, squid, socks, blackhole, extras.map(({e}) => e));
  const notes = [
    ...(squidMissing ? [squidMissing] : []),
    ...(socksMissing ? [socksMissing] : []),
    ...(remote?.isolation === 'rewrite' ? [REWRITE_FALLBACK_NOTE] : []),
  ];
  const info: StackInfo = {
    mockVllm: {url: mock.url, baseUrl: `${mock.url}/v1`, port: mock.port, model: mock.model},
    squid,
    squidMissing,
    localProxy: squid ? {url: squid.forward.url, port: squid.forward.port} : null,
    socks: socks ? {url: socks.url, port: socks.port} : null,
    socksMissing,
    blackhole: {url: blackhole.url, port: blackhole.port},
    extras: Object.fromEntries(extras.map(({name, e}) => [name, {url: e.url, port: e.port}])),
    env,
    exportLines: exportLines(env),
    notes,
  };
  let stopped: Promise<void> | undefined;
  return {...info, info: () => structuredClone(info), stop: () => (stopped ??= stopAll())};
}

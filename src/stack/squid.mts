// Starts and stops the real Squid (Debian's `squid`) from a generated config in a temp dir.
//
// Modes:
// - `remote`: a corporate proxy on another host. Squid runs in a network namespace of its own
//   (`unshare -n`), so its 127.0.0.1 is not ours: a request through it for our mock vLLM gets Squid's
//   "Connection to 127.0.0.1 failed ... (111) Connection refused" page while the mock is up. Its
//   port reaches our loopback over a unix socket (supervisor relay in the namespace, bridge here).
//   Where namespaces are not permitted, isolation falls back to `rewrite`: a url_rewrite helper sends
//   requests for loopback hosts to a closed port, which yields the same error page.
// - `forward`: a plain working proxy on our loopback.
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {chmodSync, chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {createInterface} from 'node:readline';
import {Worker} from 'node:worker_threads';
import {squidConfig} from './squid-config.mts';
import {findSquid} from './find-squid.mts';
import {freePort} from './free-port.mts';
import {AccessLog} from './access-log.mts';

export type SquidMode = 'remote' | 'forward';
/** How a remote Squid is kept away from our loopback. `none` for forward mode. */
export type Isolation = 'namespace' | 'rewrite' | 'none';

export interface SquidOptions {
  mode: SquidMode;
  /** Force an isolation for remote mode (tests of the fallback); default: namespace when permitted. */
  isolation?: 'namespace' | 'rewrite';
  /**
   * Host names this Squid resolves and nobody else does (its `hosts_file`), e.g.
   * `{'site.test': '127.0.0.7'}`: a network where a server is reachable only through the proxy.
   */
  hosts?: Record<string, string>;
  /** squid.conf lines matched before the stack's own rules (see ProcessFlavour.extraRules). */
  extraRules?: string[];
  /** Every request must carry this user and password (basic auth, Squid's basic_ncsa_auth); checked before extraRules. */
  basicAuth?: {user: string; password: string};
}

const NCSA_AUTH = '/usr/lib/squid/basic_ncsa_auth';

/** The htpasswd file in `dir` (readable by Squid's user) and the rules that require it. */
function basicAuthRules(dir: string, {user, password}: {user: string; password: string}): string[] {
  const hashed = spawnSync('openssl', ['passwd', '-apr1', '-stdin'], {input: password, encoding: 'utf8'});
  if (hashed.status !== 0) throw new Error(`openssl passwd failed: ${hashed.stderr.trim()}`);
  const file = path.join(dir, 'htpasswd');
  writeFileSync(file, `${user}:${hashed.stdout.trim()}\n`, {mode: 0o644});
  return [`auth_param basic program ${NCSA_AUTH} ${file}`, 'auth_param basic realm proxy', 'acl authenticated proxy_auth REQUIRED', 'http_access deny !authenticated'];
}

export interface SquidProxy {
  mode: SquidMode;
  isolation: Isolation;
  url: string; // http://127.0.0.1:PORT
  port: number;
  dir: string; // temp dir: squid.conf, access.log, cache.log, squid.pid
  configPath: string;
  accessLog: AccessLog;
  squidPid: number;
  stop(): Promise<void>;
}

const SUPERVISOR = fileURLToPath(new URL('./squid-supervisor.mjs', import.meta.url));
const NAMESPACE_SQUID_PORT = 3128; // inside Squid's own namespace nothing else can hold it
/** Port 1 (tcpmux) is privileged and never served here: connecting to it is refused. */
const CLOSED_PORT = 1;
const READY_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 8_000; // longer than the supervisor's own grace for Squid

let namespacesPermitted: boolean | undefined;

/** Whether this process may create network namespaces (root, or CAP_SYS_ADMIN). */
export function canUseNetworkNamespace(): boolean {
  namespacesPermitted ??= spawnSync('unshare', ['-n', 'ip', 'link', 'set', 'lo', 'up'], {stdio: 'ignore'}).status === 0;
  return namespacesPermitted;
}

/** Squid refuses to stay root; as root it must switch to an unprivileged user that owns its dir. */
function unprivilegedUser(): {name: string; uid: number; gid: number} | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n').map((line) => line.split(':'));
  const entry = passwd.find(([name]) => name === 'proxy') ?? passwd.find(([name]) => name === 'nobody');
  if (!entry) throw new Error('running as root, but neither user "proxy" nor "nobody" exists for Squid to switch to');
  return {name: entry[0], uid: Number(entry[2]), gid: Number(entry[3])};
}

function writeRewriteHelper(dir: string): string {
  const helper = path.join(dir, 'rewrite-loopback.sh');
  // Squid's url_rewrite protocol: one "URL extras" line in, "OK rewrite-url=…" or "ERR" out.
  const script = `#!/bin/sh
while read -r url rest; do
  case "$url" in
    http://127.*|http://localhost|http://localhost[:/]*|http://\\[::1\\]*)
      echo "OK rewrite-url=$(printf '%s' "$url" | sed -E 's#^(http://[^/]*):[0-9]+#\\1#; s#^(http://[^/]*)#\\1:${CLOSED_PORT}#')" ;;
    *) echo "ERR" ;;
  esac
done
`;
  writeFileSync(helper, script, {mode: 0o755});
  return helper;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => (clearTimeout(timer), resolve(true)));
  });
}

function readyLine(child: ChildProcess): Promise<{ready: boolean; squidPid?: number; error?: string}> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ready: false, error: `no ready report within ${READY_TIMEOUT_MS} ms`}), READY_TIMEOUT_MS);
    const lines = createInterface({input: child.stdout!});
    lines.once('line', (line) => (clearTimeout(timer), resolve(JSON.parse(line))));
    child.once('exit', (code) => (clearTimeout(timer), resolve({ready: false, error: `supervisor exited with ${code}`})));
  });
}

// Runs in a worker thread, so a client that blocks our main thread (execFileSync curl) still gets
// through: the bridge keeps its own event loop. Plain CommonJS, evaluated by the Worker.
const BRIDGE_WORKER = `
const net = require('node:net');
const {parentPort, workerData} = require('node:worker_threads');
const server = net.createServer((client) => {
  const upstream = net.connect(workerData.socketPath);
  client.pipe(upstream).pipe(client);
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
`;

/** A TCP port on our loopback that pipes each connection to the unix socket of the namespaced Squid. */
async function bridgeToUnixSocket(socketPath: string): Promise<{port: number; close: () => Promise<number>}> {
  const worker = new Worker(BRIDGE_WORKER, {eval: true, workerData: {socketPath}});
  worker.unref();
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {port, close: () => worker.terminate()};
}

export async function startSquid(options: SquidOptions): Promise<SquidProxy> {
  const squidBinary = findSquid();
  const isolation: Isolation = options.mode === 'forward' ? 'none' : (options.isolation ?? (canUseNetworkNamespace() ? 'namespace' : 'rewrite'));
  const dir = mkdtempSync(path.join(os.tmpdir(), `llm-stack-squid-${options.mode}-`));
  const user = unprivilegedUser();
  if (user) chownSync(dir, user.uid, user.gid);
  chmodSync(dir, 0o755);
  const squidPort = isolation === 'namespace' ? NAMESPACE_SQUID_PORT : await freePort();
  const configPath = path.join(dir, 'squid.conf');
  const rewrite = isolation === 'rewrite' ? {helper: writeRewriteHelper(dir)} : undefined;
  const hostsFile = options.hosts ? path.join(dir, 'hosts') : undefined;
  if (hostsFile) writeFileSync(hostsFile, Object.entries(options.hosts!).map(([name, address]) => `${address} ${name}\n`).join(''));
  const extraRules = [...(options.basicAuth ? basicAuthRules(dir, options.basicAuth) : []), ...(options.extraRules ?? [])];
  writeFileSync(configPath, squidConfig({flavour: 'process', dir, port: squidPort, effectiveUser: user?.name, rewriteLoopbackTo: rewrite, hostsFile, extraRules}));

  const socketPath = path.join(dir, 'squid.sock');
  const serviceName = `llmstack${path.basename(dir).split('-').at(-1)!.replace(/[^A-Za-z0-9]/g, '')}`; // at most 32 chars
  const supervisorArgs = [SUPERVISOR, squidBinary, configPath, serviceName, String(squidPort), ...(isolation === 'namespace' ? [socketPath] : [])];
  const [command, args] = isolation === 'namespace' ? ['unshare', ['-n', process.execPath, ...supervisorArgs]] : [process.execPath, supervisorArgs];
  const supervisor = spawn(command, args, {stdio: ['pipe', 'pipe', 'inherit']});
  supervisor.stdin!.on('error', () => {}); // the supervisor may already be gone when we close its stdin

  const ready = await readyLine(supervisor);
  let bridge: Awaited<ReturnType<typeof bridgeToUnixSocket>> | undefined;
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= shutdown());
  const shutdown = async () => {
    await bridge?.close();
    supervisor.stdin!.end();
    supervisor.kill('SIGTERM');
    if (!(await waitExit(supervisor, STOP_GRACE_MS))) supervisor.kill('SIGKILL');
    if (ready.squidPid && isAlive(ready.squidPid)) process.kill(ready.squidPid, 'SIGKILL');
    process.off('exit', killOnExit);
    rmSync(dir, {recursive: true, force: true});
  };
  // A process exiting without calling stop() (uncaught error, process.exit) still takes Squid along:
  // Squid gets SIGTERM now; the supervisor, seeing our end of its stdin close, escalates if needed.
  const killOnExit = () => {
    if (ready.squidPid && isAlive(ready.squidPid)) process.kill(ready.squidPid, 'SIGTERM');
  };
  process.on('exit', killOnExit);
  if (!ready.ready || !ready.squidPid) {
    const cacheLog = readTail(path.join(dir, 'cache.log'));
    await stop();
    throw new Error(`Squid (${options.mode}) failed to start: ${ready.error}${cacheLog ? `\n${cacheLog}` : ''}`);
  }
  if (isolation === 'namespace') bridge = await bridgeToUnixSocket(socketPath);
  const port = bridge ? bridge.port : squidPort;
  return {
    mode: options.mode,
    isolation,
    url: `http://127.0.0.1:${port}`,
    port,
    dir,
    configPath,
    accessLog: new AccessLog(path.join(dir, 'access.log')),
    squidPid: ready.squidPid,
    stop,
  };
}

function readTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').filter((line) => /FATAL|ERROR|WARNING/.test(line)).slice(-5).join('\n');
  } catch {
    return '';
  }
}

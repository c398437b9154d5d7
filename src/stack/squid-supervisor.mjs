// Runs one Squid and ties its life to the stack's process. Started by src/stack/squid.mts with plain
// `node` (fast start), either directly or under `unshare -n` (then it is inside Squid's private
// network namespace and relays a unix socket to Squid's port there).
// Squid stops when: the stack closes our stdin (including when the stack process dies, even by
// SIGKILL), or we get SIGTERM/SIGINT. Squid gets SIGTERM, then SIGKILL after a grace period.
//
// Usage: node squid-supervisor.mjs <squid-binary> <squid.conf> <service-name> <squid-port> [<unix-socket>]
// The service name (-n) keeps the shared-memory segments of concurrent Squids apart.
// Prints one JSON line to stdout: {"ready":true,"squidPid":N} or {"ready":false,"error":"…"}.
import {spawn, spawnSync} from 'node:child_process';
import {existsSync, readFileSync, readdirSync, rmSync} from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const [squidBinary, configPath, serviceName, portText, socketPath] = process.argv.slice(2);
const squidPort = Number(portText);
const GRACE_MS = 5000; // Squid needs about 2 s to stop on SIGTERM (its event loop), more on a busy machine
const READY_TIMEOUT_MS = 10_000;

function report(message) {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

if (socketPath) {
  // A fresh network namespace has its loopback down.
  const up = spawnSync('ip', ['link', 'set', 'lo', 'up'], {encoding: 'utf8'});
  if (up.status !== 0) {
    report({ready: false, error: `cannot bring up loopback in the namespace: ${up.error?.message ?? up.stderr.trim()}`});
    process.exit(1);
  }
}

const squid = spawn(squidBinary, ['-N', '-n', serviceName, '-f', configPath], {stdio: ['ignore', 'ignore', 'pipe']});
let stderr = '';
squid.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-2000)));
let stopping = false;

// Squid names its shared-memory segments after the service name; a killed Squid leaves them behind.
function removeSharedMemory() {
  for (const name of readdirSync('/dev/shm')) if (name.startsWith(`${serviceName}-`)) rmSync(`/dev/shm/${name}`, {force: true});
}

squid.on('exit', (code, signal) => {
  if (existsSync('/dev/shm')) removeSharedMemory();
  // The temp dir goes with Squid, also when the stack died without cleaning up. After a failed start
  // it stays for the stack to read cache.log (the stack removes it then).
  if (stopping) rmSync(path.dirname(configPath), {recursive: true, force: true});
  if (!stopping) report({ready: false, error: `squid exited (${signal ?? code}): ${stderr.trim().split('\n').at(-1) ?? ''}`});
  process.exit(stopping ? 0 : 1);
});

function stop() {
  if (stopping) return;
  stopping = true;
  if (squid.exitCode !== null || squid.signalCode !== null) process.exit(0);
  squid.kill('SIGTERM');
  setTimeout(() => squid.kill('SIGKILL'), GRACE_MS).unref();
}

process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.on('error', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

// Ready = Squid says it accepts connections. (A test connection would leave a line in the access log.)
const cacheLogPath = path.join(path.dirname(configPath), 'cache.log');
function accepting() {
  try {
    return readFileSync(cacheLogPath, 'utf8').includes('Accepting HTTP Socket connections');
  } catch {
    return false;
  }
}

function relayUnixSocket() {
  const server = net.createServer((client) => {
    const upstream = net.connect(squidPort, '127.0.0.1');
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, resolve);
  });
}

async function waitReady() {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!accepting()) {
    if (stopping) return;
    if (Date.now() > deadline) {
      report({ready: false, error: `squid did not listen on port ${squidPort} within ${READY_TIMEOUT_MS} ms`});
      return stop();
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  if (socketPath) await relayUnixSocket();
  report({ready: true, squidPid: squid.pid});
}

waitReady().catch((error) => {
  report({ready: false, error: error.message});
  stop();
});

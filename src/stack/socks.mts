// A real SOCKS5 server on our loopback (Debian's microsocks): what `all_proxy=socks5://127.0.0.1:7891`
// points at on machines with a Clash/v2ray-style local proxy. It can reach the mock vLLM, like those do.
import {spawn, type ChildProcess} from 'node:child_process';
import net from 'node:net';
import {freePort} from './free-port.mts';

export const INSTALL_MICROSOCKS_HINT = 'microsocks is not installed: run `apt-get install -y microsocks` (Debian/Ubuntu) for the SOCKS cases.';

export interface SocksServer {
  url: string; // socks5://127.0.0.1:PORT
  port: number;
  pid: number;
  close(): Promise<void>;
}

const START_ATTEMPTS = 5; // another process may take the free port before microsocks binds it
const READY_TIMEOUT_MS = 10_000;

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** Resolves true once the port accepts connections, false when the child exits first. */
async function listening(child: ChildProcess, port: number): Promise<boolean> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (child.exitCode === null && child.signalCode === null && Date.now() < deadline) {
    if (await canConnect(port)) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return false;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL'); // microsocks keeps no state worth a graceful stop
  });
}

export interface SocksOptions {
  /** Source address for the connections it makes (microsocks -b), e.g. 127.0.0.2: an origin on
   *  our loopback then tells a request that came through the SOCKS server from a direct one. */
  outgoingAddress?: string;
}

/** Starts microsocks on 127.0.0.1 and an ephemeral port. `setpriv --pdeathsig` ends it with us,
 *  even when we are killed with SIGKILL. Throws (with the install hint) when it cannot start. */
export async function startSocks(options: SocksOptions = {}): Promise<SocksServer> {
  const outgoing = options.outgoingAddress ? ['-b', options.outgoingAddress] : [];
  let lastError = '';
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    const port = await freePort();
    const child = spawn('setpriv', ['--pdeathsig', 'KILL', 'microsocks', '-i', '127.0.0.1', '-p', String(port), ...outgoing], {stdio: ['ignore', 'ignore', 'pipe']});
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
    const spawnError = new Promise<string>((resolve) => child.once('error', (error) => resolve(error.message)));
    if (await listening(child, port)) {
      const onExit = () => child.kill('SIGKILL');
      process.on('exit', onExit);
      return {
        url: `socks5://127.0.0.1:${port}`,
        port,
        pid: child.pid!,
        close: async () => {
          process.off('exit', onExit);
          await stopChild(child);
        },
      };
    }
    await stopChild(child);
    lastError = stderr.trim() || (await Promise.race([spawnError, Promise.resolve('')]));
    if (/No such file|ENOENT|not found/i.test(lastError)) break;
  }
  throw new Error(`microsocks failed to start${lastError ? `: ${lastError}` : ''}. ${INSTALL_MICROSOCKS_HINT}`);
}

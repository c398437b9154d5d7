// A proxy that accepts TCP connections and never answers: the "EvalScope hangs" symptom. Only a
// client-side timeout ends a request sent through it.
import net from 'node:net';
import type {AddressInfo} from 'node:net';

export interface Blackhole {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startBlackhole(options: {host?: string; port?: number} = {}): Promise<Blackhole> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => socket.destroy()); // a client giving up resets the connection: expected
    socket.on('close', () => sockets.delete(socket));
    socket.resume(); // read and discard what the client sends, so it never blocks on a full window
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

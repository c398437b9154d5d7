// A TCP port on 127.0.0.1 that was free a moment ago, for servers that cannot bind port 0 and
// report the port they got (Squid, microsocks). Callers retry when another process took it first.
import net from 'node:net';

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

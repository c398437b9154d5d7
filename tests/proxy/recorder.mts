// Test servers that record which requests reach them: a forward proxy that never forwards (it
// answers every request itself, absolute-form or tunnelled through CONNECT, as undici's
// ProxyAgent does even for http URLs) and an origin. Each request path carries the
// client and case it belongs to, so an observation is simply "who saw /obs/<client>/<case>".
import * as http from 'node:http';
import type {AddressInfo} from 'node:net';

export interface Recorder {
  port: number;
  /** Whether a request for this client and case arrived. */
  saw(client: string, caseId: string): boolean;
  /** The address it came from (127.0.0.2 for the SOCKS server the matrix starts), if it arrived. */
  peer(client: string, caseId: string): string | undefined;
  close(): Promise<void>;
}

const OBSERVATION = /\/obs\/([^/]+)\/([^/.?]+)/;

export async function startRecorder(host: string, port = 0): Promise<Recorder> {
  const seen = new Map<string, string>();
  const server = http.createServer((request, response) => {
    const match = OBSERVATION.exec(request.url ?? '');
    if (match) seen.set(`${match[1]}/${match[2]}`, (request.socket.remoteAddress ?? '').replace(/^::ffff:/, ''));
    response.writeHead(200, {'content-type': 'text/plain', connection: 'close'});
    response.end('recorded\n');
  });
  // A CONNECT tunnel to an http origin carries a plain request: serve it on the same server.
  server.on('connect', (_request, socket, head) => {
    socket.on('error', () => socket.destroy()); // a client that gives up mid-tunnel: nothing to record
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) socket.unshift(head);
    server.emit('connection', socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    saw: (client, caseId) => seen.has(`${client}/${caseId}`),
    peer: (client, caseId) => seen.get(`${client}/${caseId}`),
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

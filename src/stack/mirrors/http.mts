// The small HTTP toolkit the four stand-ins share: a loopback listener that records every request
// (tests read the record to see which routes a real client used) and a file sender that speaks
// HEAD and single byte ranges, because pip, curl -C - and huggingface_hub's resume rely on them.
import {createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';

export interface RequestRecord {
  method: string;
  /** Path and query exactly as the client sent them. */
  path: string;
  status: number;
  /** The Via header, which a proxy such as Squid adds: tells proxied requests from direct ones. */
  via: string | null;
}

export interface RunningServer {
  url: string;
  port: number;
  /** Every answered request, oldest first. */
  requests: RequestRecord[];
  close(): Promise<void>;
}

export interface ListenOptions {
  /** 0 (the default) picks a free ephemeral port. */
  port?: number;
  host?: string;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

export async function listen(handler: Handler, {port = 0, host = '127.0.0.1'}: ListenOptions = {}): Promise<RunningServer> {
  const requests: RequestRecord[] = [];
  const server = createServer((req, res) => {
    res.on('finish', () => requests.push({method: req.method ?? '', path: req.url ?? '', status: res.statusCode, via: req.headers.via ?? null}));
    const url = new URL(req.url ?? '/', 'http://stand-in');
    Promise.resolve()
      .then(() => handler(req, res, url))
      .catch((error: unknown) => {
        if (!res.headersSent) sendText(res, 500, `internal error: ${String(error)}\n`);
        else res.destroy();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${bound}`,
    port: bound,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function sendText(res: ServerResponse, status: number, text: string, headers: OutgoingHttpHeaders = {}): void {
  const body = Buffer.from(text);
  res.writeHead(status, {'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': body.length, ...headers});
  res.end(body);
}

/** Sends a whole body, or no body for HEAD (with the same Content-Length a GET would carry). */
export function sendBody(req: IncomingMessage, res: ServerResponse, status: number, body: Buffer, headers: OutgoingHttpHeaders): void {
  res.writeHead(status, {...headers, 'Content-Length': body.length});
  res.end(req.method === 'HEAD' ? undefined : body);
}

export function sendJson(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: OutgoingHttpHeaders = {},
): void {
  sendBody(req, res, status, Buffer.from(JSON.stringify(value)), {'Content-Type': 'application/json; charset=utf-8', ...headers});
}

/** Parses a single `bytes=` range against a body size: null means "send it all", 'unsatisfiable' means 416. */
export function parseRange(header: string | undefined, size: number): {start: number; end: number} | null | 'unsatisfiable' {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (match === null || (match[1] === '' && match[2] === '')) return null;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    return suffix === 0 ? 'unsatisfiable' : {start: Math.max(size - suffix, 0), end: size - 1};
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  return start >= size || end < start ? 'unsatisfiable' : {start, end};
}

/** Sends a file's bytes, honouring HEAD and a single byte range (206 / 416) like a real file host. */
export function sendFile(req: IncomingMessage, res: ServerResponse, bytes: Buffer, headers: OutgoingHttpHeaders): void {
  const range = parseRange(req.headers.range, bytes.length);
  const common = {...headers, 'Accept-Ranges': 'bytes'};
  if (range === 'unsatisfiable') {
    sendText(res, 416, 'requested range not satisfiable\n', {'Content-Range': `bytes */${bytes.length}`});
  } else if (range === null) {
    sendBody(req, res, 200, bytes, common);
  } else {
    const part = bytes.subarray(range.start, range.end + 1);
    sendBody(req, res, 206, part, {...common, 'Content-Range': `bytes ${range.start}-${range.end}/${bytes.length}`});
  }
}

/** A URL path's segments, percent-decoded; null when the encoding is malformed. */
export function pathSegments(url: URL): string[] | null {
  try {
    return url.pathname.split('/').slice(1).map(decodeURIComponent);
  } catch {
    return null;
  }
}

export function allowOnly(req: IncomingMessage, res: ServerResponse, methods: string[]): boolean {
  if (methods.includes(req.method ?? '')) return true;
  sendText(res, 405, `method ${req.method} not allowed\n`, {Allow: methods.join(', ')});
  return false;
}

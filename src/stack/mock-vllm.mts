// An OpenAI-compatible mock of a vLLM server (`vllm serve` / `swift deploy`), built on Node's http
// module. It answers the endpoints evaluation tools probe and can inject the faults the guides
// diagnose: an error status, a slow first byte, a dropped connection.
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import type {Duplex} from 'node:stream';
import {setTimeout as sleep} from 'node:timers/promises';
import {randomUUID} from 'node:crypto';
import {
  chatCompletion,
  errorBody,
  modelList,
  replyText,
  streamChunk,
  streamPieces,
  textCompletion,
  usageChunk,
  usageFor,
} from './openai-wire.mts';
import {ownedBy, personaRoute, type Persona} from './personas.mts';
import {checkChatRequest, checkCompletionRequest, parseJsonBody, type Checked, type GenerationRequest} from './mock-vllm-requests.mts';

export const DEFAULT_MODEL = 'mh-sft-7b';
export const MOCK_VLLM_VERSION = '0.1.0-mock';
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
// The whole request (headers and body) within this long, else 408 and close: a 1 byte/s trickle
// is bounded as uvicorn's and nginx's timeouts bound it.
const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;
// Past the body limit the rest is read (and dropped) so the client can read the 413, but at most
// this much more, or for this long: an endless chunked body then gets its 413 and a close.
const DRAIN_BYTES = 32 * 1024 * 1024;
const DRAIN_MS = 5_000;
const LINGER_MS = 2_000;
const MAX_MODEL_LEN = 4096;

/** A fault applied to every request of this server run. */
export type Fault =
  | {type: 'status'; status: number} // every request gets this status with an OpenAI-style error body
  | {type: 'slow-start'; ms: number} // the first byte of every response waits this long (read-timeout probes)
  | {type: 'drop'}; // the connection is destroyed as soon as a request arrives (no response at all)

export interface MockVllmOptions {
  model?: string;
  host?: string;
  port?: number; // 0 (default) = ephemeral
  latencyMs?: number; // delay before each response, and again between stream chunks
  fault?: Fault;
  maxBodyBytes?: number;
  headersTimeoutMs?: number; // a client still sending headers after this long gets 408 and is closed
  requestTimeoutMs?: number; // a request (headers and body) still arriving after this long gets 408 and is closed
  apiKey?: string; // like `vllm serve --api-key`: /v1 requests without `Authorization: Bearer KEY` get 401
  persona?: Persona; // answer as another model server (personas.mts); default vllm
}

export interface MockVllm {
  url: string; // http://127.0.0.1:PORT (no trailing slash; the API lives under /v1)
  port: number;
  model: string;
  close(): Promise<void>;
}

type Route = {methods: string[]; handle: (ctx: RequestContext) => Promise<void>};

interface RequestContext {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  config: Required<Omit<MockVllmOptions, 'fault' | 'host' | 'port' | 'headersTimeoutMs' | 'requestTimeoutMs' | 'apiKey'>> & {fault?: Fault; apiKey?: string};
}

const started = Math.floor(Date.now() / 1000);

const routes: Record<string, Route> = {
  '/health': {methods: ['GET'], handle: async ({res}) => void res.writeHead(200).end()},
  '/version': {methods: ['GET'], handle: async ({res}) => sendJson(res, 200, {version: MOCK_VLLM_VERSION})},
  '/v1/models': {methods: ['GET'], handle: async ({res, config}) => sendJson(res, 200, modelList(config.model, started, MAX_MODEL_LEN, ownedBy(config.persona, config.model)))},
  '/v1/chat/completions': {methods: ['POST'], handle: (ctx) => handleGeneration(ctx, checkChatRequest)},
  '/v1/completions': {methods: ['POST'], handle: (ctx) => handleGeneration(ctx, checkCompletionRequest)},
};

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers});
  res.end(text);
}

function sendError(res: http.ServerResponse, status: number, message: string, param: string | null = null, headers: http.OutgoingHttpHeaders = {}): void {
  sendJson(res, status, errorBody(status, message, param), headers);
}

type BodyResult = {ok: true; text: string} | {ok: false; status: 400 | 413; message: string};

const utf8 = new TextDecoder('utf-8', {fatal: true});

/**
 * Reads the whole body. Past the limit it drains without buffering, so the client reads the 413
 * instead of a reset while it is still sending. JSON must be UTF-8 (RFC 8259): invalid bytes are a
 * 400, not silently replaced with U+FFFD.
 */
function readBody(req: http.IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let drainUntil = 0;
    const tooLarge = (): BodyResult => ({ok: false, status: 413, message: `Request body exceeds ${limit} bytes.`});
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      drainUntil ||= Date.now() + DRAIN_MS;
      if (size > limit + DRAIN_BYTES || Date.now() > drainUntil) {
        req.removeAllListeners('data');
        req.pause();
        resolve(tooLarge());
      }
    });
    req.on('end', () => {
      if (size > limit) return resolve(tooLarge());
      try {
        resolve({ok: true, text: utf8.decode(Buffer.concat(chunks))});
      } catch {
        resolve({ok: false, status: 400, message: 'Request body is not valid UTF-8.'});
      }
    });
    req.on('error', reject);
  });
}

/**
 * Closes after the answer as nginx's `lingering_close` does. Node closes the socket as soon as a
 * `Connection: close` answer is written; with the client's body still arriving, that close is a
 * reset, and a reset makes the client's system drop the answer it has not read yet (on a loaded
 * machine, the 413 was lost). So: FIN after the answer, then read and drop what the client still
 * sends until it closes its side (it does on our FIN), at most LINGER_MS.
 */
function lingerOnClose(req: http.IncomingMessage): void {
  const socket = req.socket;
  socket.destroySoon = () => {
    socket.end();
    req.resume();
    socket.on('data', () => {});
    socket.once('end', () => socket.destroy());
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  };
}

async function handleGeneration(ctx: RequestContext, check: (body: unknown, model: string) => Checked): Promise<void> {
  const {req, res, config} = ctx;
  const body = await readBody(req, config.maxBodyBytes);
  if (!body.ok) {
    // The rest of an unread body would be taken for the next request: close once the 413 is out.
    if (!req.complete) lingerOnClose(req);
    return sendError(res, body.status, body.message, null, body.status === 413 ? {connection: 'close'} : {});
  }
  const parsed = parseJsonBody(body.text);
  if (!parsed.ok) return sendError(res, 400, parsed.message);
  const checked = check(parsed.value, config.model);
  if (!checked.ok) return sendError(res, checked.status, checked.message, checked.param);
  await (checked.request.stream ? streamGeneration(res, checked.request, config.latencyMs) : answerGeneration(res, checked.request));
}

async function answerGeneration(res: http.ServerResponse, request: GenerationRequest): Promise<void> {
  const text = replyText(request.model, request.promptText);
  const usage = usageFor(request.promptText, text);
  const created = Math.floor(Date.now() / 1000);
  const body =
    request.kind === 'chat'
      ? chatCompletion(`chatcmpl-${randomUUID()}`, request.model, created, text, usage)
      : textCompletion(`cmpl-${randomUUID()}`, request.model, created, text, usage);
  sendJson(res, 200, body);
}

async function streamGeneration(res: http.ServerResponse, request: GenerationRequest, latencyMs: number): Promise<void> {
  const {kind, model} = request;
  const text = replyText(model, request.promptText);
  const usage = usageFor(request.promptText, text);
  const id = `${kind === 'chat' ? 'chatcmpl' : 'cmpl'}-${randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  // No connection header of our own: Node answers keep-alive or close as the request asked.
  res.writeHead(200, {'content-type': 'text/event-stream', 'cache-control': 'no-cache'});
  let first = true;
  // A client that hangs up mid-stream ends the stream: nothing more is generated for a closed socket.
  const send = async (payload: unknown) => {
    if (latencyMs > 0 && !first) await sleep(latencyMs);
    first = false;
    if (!res.destroyed) res.write(`data: ${JSON.stringify(payload)}\n\n`);
  };
  if (kind === 'chat') await send(streamChunk(kind, id, model, created, {role: true}));
  for (const piece of streamPieces(text)) {
    if (res.destroyed) return;
    await send(streamChunk(kind, id, model, created, {content: piece}));
  }
  // Usage rides on the closing chunk unless the client asked for the separate usage-only chunk.
  await send(streamChunk(kind, id, model, created, {finish: true}, request.includeUsage ? undefined : usage));
  if (request.includeUsage) await send(usageChunk(kind, id, model, created, usage));
  if (!res.destroyed) res.end('data: [DONE]\n\n');
}

async function dispatch(ctx: RequestContext): Promise<void> {
  const {req, res, config} = ctx;
  const fault = config.fault;
  if (fault?.type === 'drop') return void req.socket.destroy();
  if (fault?.type === 'slow-start') await sleep(fault.ms);
  if (fault?.type === 'status') return sendError(res, fault.status, `Injected fault: HTTP ${fault.status}.`);
  const path = new URL(req.url ?? '/', 'http://mock').pathname.replace(/\/+$/, '') || '/';
  if (config.apiKey !== undefined && path.startsWith('/v1') && req.headers.authorization !== `Bearer ${config.apiKey}`) {
    // vLLM's own answer, word for word: not the OpenAI error shape.
    res.writeHead(401, {'content-type': 'application/json'});
    return void res.end(JSON.stringify({error: 'Unauthorized'}));
  }
  const own = req.method === 'GET' ? personaRoute(config.persona, path, config.model, sendJson) : null;
  if (own) return own(res);
  const route = routes[path];
  if (!route) return sendError(res, 404, `Not Found: ${path}`);
  if (!route.methods.includes(req.method ?? '')) {
    return sendError(res, 405, `Method ${req.method} not allowed on ${path}.`, null, {allow: route.methods.join(', ')});
  }
  if (config.latencyMs > 0) await sleep(config.latencyMs);
  await route.handle(ctx);
}

export async function startMockVllm(options: MockVllmOptions = {}): Promise<MockVllm> {
  const config = {
    model: options.model ?? DEFAULT_MODEL,
    latencyMs: options.latencyMs ?? 0,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    fault: options.fault,
    apiKey: options.apiKey,
    persona: options.persona ?? 'vllm',
  };
  const headersTimeout = options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  const requestTimeout = Math.max(headersTimeout, options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
  // Node's parser answers what never reaches dispatch: 408 and close when headers or the whole
  // request take too long, 431 for oversized headers, 400 and close for unparseable requests
  // (including methods it does not know). The check interval bounds how late a timeout fires.
  const server = http.createServer(
    {headersTimeout, requestTimeout, connectionsCheckingInterval: Math.min(1000, headersTimeout)},
    (req, res) => {
      dispatch({req, res, config}).catch((error: Error) => {
        if (!res.headersSent) sendError(res, 500, `Mock vLLM internal error: ${error.message}`);
        else res.destroy(error);
      });
    },
  );
  server.on('connect', refuseTunnel);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    model: config.model,
    close: () => closeServer(server),
  };
}

/** The mock is not a proxy: a CONNECT (a client whose https_proxy points here) gets 405 and a close. */
function refuseTunnel(req: http.IncomingMessage, socket: Duplex): void {
  const body = JSON.stringify(errorBody(405, `Method CONNECT not allowed: this is a model server, not a proxy (${req.url}).`));
  socket.on('error', () => socket.destroy());
  socket.end(
    'HTTP/1.1 405 Method Not Allowed\r\ncontent-type: application/json\r\nallow: GET, POST\r\nconnection: close\r\n' +
      `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** Closes the server and every open connection (streams, keep-alive sockets) so close never hangs. */
export function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

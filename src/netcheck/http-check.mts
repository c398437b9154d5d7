// One HTTP request made with curl, as the guide's commands make it, and what its result means:
// the service answered, nothing listens, a proxy sent an error page, or nobody answered in time.
// curl (not Node's fetch) because it reads the proxy variables the way the user's tools do.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {CommandNotFoundError, runCommand} from '../io/child-process.mts';
import type {Env} from '../io/env.mts';
import type {GuideSection} from './guide-links.mts';


/** `env`: as the environment says; `direct`: no proxy at all; `proxy`: through this proxy, ignoring NO_PROXY. */
export type Route = {via: 'env'} | {via: 'direct'} | {via: 'proxy'; proxy: string};

export interface HttpRequest {
  url: string;
  route: Route;
  timeoutS: number;
  env: Env;
  /** A JSON body makes it a POST. */
  json?: unknown;
}

export interface HttpResult {
  /** curl's exit code: 0 an answer came, 7 connection refused, 28 timeout, … */
  curlExit: number;
  curlError: string;
  /** 0 when no HTTP answer came. */
  status: number;
  /** The last response's headers, names in lowercase. */
  headers: Map<string, string>;
  body: string;
  ms: number;
}

export type Problem = 'refused' | 'timeout' | 'proxy-error-page' | 'http-error' | 'no-answer';

export interface Finding {
  ok: boolean;
  problem?: Problem;
  /** One line: what happened, with the status or curl's error. */
  summary: string;
  /** What to do, from the guide's symptom table. */
  advice?: string;
  /** The section of the proxy guide that explains it (printed as a link in both languages). */
  see?: GuideSection;
}

/** A curl config file's quoted string (its escapes are `\\` and `\"`). */
function configString(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

/** The route and the URL, as a curl config read from stdin (`--config -`): a proxy URL carries
 *  credentials, and a command line is readable by every user of the machine (/proc/PID/cmdline). */
function routeConfig(route: Route, url: string): string {
  const lines = [`url = ${configString(url)}`];
  if (route.via === 'direct') lines.push('noproxy = "*"');
  if (route.via === 'proxy') lines.push(`proxy = ${configString(route.proxy)}`, 'noproxy = ""');
  return `${lines.join('\n')}\n`;
}

function parseHeaders(raw: string): Map<string, string> {
  // -D writes every response (a proxy's 100-continue, redirects); the last one is the answer.
  const blocks = raw.split(/\r?\n\r?\n/).filter((b) => /^HTTP\//.test(b.trim()));
  const headers = new Map<string, string>();
  for (const line of (blocks.at(-1) ?? '').split(/\r?\n/).slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** curl's exit code (127 when it is missing, 28 when even our own time limit had to kill it). */
async function curl(args: string[], request: HttpRequest): Promise<{code: number; stdout: string; stderr: string}> {
  try {
    const input = routeConfig(request.route, request.url);
    const ran = await runCommand('curl', [...args, '--config', '-'], {env: request.env, input, timeoutMs: (request.timeoutS + 2) * 1000});
    return {code: ran.code ?? 28, stdout: ran.stdout, stderr: ran.stderr};
  } catch (error) {
    if (error instanceof CommandNotFoundError) return {code: 127, stdout: '', stderr: error.message};
    throw error;
  }
}

export async function curlRequest(request: HttpRequest): Promise<HttpResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-http-'));
  const bodyFile = path.join(dir, 'body');
  const headerFile = path.join(dir, 'headers');
  const args = ['-sS', '-N', '-o', bodyFile, '-D', headerFile, '-w', '%{http_code}', '--max-time', String(request.timeoutS)];
  if (request.json !== undefined) args.push('-H', 'Content-Type: application/json', '--data-binary', JSON.stringify(request.json));
  const started = performance.now();
  try {
    const {code, stdout, stderr} = await curl(args, request);
    const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
    return {
      curlExit: code,
      curlError: stderr.trim().replace(/^curl: \(\d+\) /, ''),
      status: Number(stdout.trim()) || 0,
      headers: parseHeaders(read(headerFile)),
      body: read(bodyFile),
      ms: Math.round(performance.now() - started),
    };
  } finally {
    fs.rmSync(dir, {recursive: true, force: true});
  }
}

const SQUID_PAGE_TITLE = 'The requested URL could not be retrieved';

/** Squid answered instead of the service: its error header, its server name with an error, or its page. */
export function isSquidPage(result: HttpResult): boolean {
  return result.headers.has('x-squid-error')
    || (result.status >= 400 && /squid/i.test(result.headers.get('server') ?? ''))
    || result.body.includes(SQUID_PAGE_TITLE);
}

/** The few lines of Squid's HTML page that say what happened, instead of the whole page. */
export function squidSummary(result: HttpResult): string {
  const text = result.body.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, '\n').replace(/&nbsp;/g, ' ');
  const lines = text.split('\n').map((l) => l.replace(/\s+/g, ' ').trim()).filter(Boolean);
  // The page splits "The system returned:" from its reason across elements: join them again.
  const telling = lines.flatMap((l, i) => {
    if (/^The system returned:$/i.test(l)) return [`${l} ${lines[i + 1] ?? ''}`.trim()];
    return /^(Connection to .* failed|The system returned:|Access Denied|Unable to determine IP address)/i.test(l) ? [l] : [];
  });
  const error = result.headers.get('x-squid-error');
  const server = result.headers.get('server');
  return [`Squid error page (HTTP ${result.status}${error ? `, X-Squid-Error: ${error}` : ''}${server ? `, ${server}` : ''})`, ...telling.slice(0, 2)].join(' ');
}

export const ADVICE = {
  refused: 'nothing listens on that address and port: start the service, check --host/--port; from a container, use the host\'s address',
  squid: 'the proxy answered instead of the service: exempt the host in no_proxy/NO_PROXY (runbook fix-noproxy)',
  squidDenied: 'the proxy refuses local destinations: exempt the host in no_proxy/NO_PROXY (runbook fix-noproxy)',
  forbidden: 'the service refused the request: check its access rules and API-key setting (--api-key)',
  notFound: 'wrong path (/v1 missing or doubled) or a model name the service does not serve: compare with /v1/models and use the exact served name',
  serverError: 'the service itself failed on the request: read the service log; the proxy is not involved',
  timeout: 'a proxy that accepts and never answers, a dropped connection, or a service still loading weights: compare with curl --noproxy \'*\', give clients a timeout',
  other: 'see the symptom table of the proxy guide',
} as const;

function httpAdvice(status: number): string {
  if (status === 403) return ADVICE.forbidden;
  if (status === 404) return ADVICE.notFound;
  if (status >= 500) return ADVICE.serverError;
  return ADVICE.other;
}

/** What a result means; `ok` only for a 2xx answer from something that is not a proxy's error page. */
export function classify(result: HttpResult, timeoutS: number): Finding {
  const ms = `${result.ms} ms`;
  if (result.status > 0 && isSquidPage(result)) {
    const denied = result.status === 403 || /ACCESS_DENIED/.test(result.headers.get('x-squid-error') ?? '');
    return {ok: false, problem: 'proxy-error-page', summary: `${squidSummary(result)} (${ms})`, advice: denied ? ADVICE.squidDenied : ADVICE.squid, see: 'quick-fix'};
  }
  if (result.curlExit === 28) {
    return {ok: false, problem: 'timeout', summary: `no answer within ${timeoutS} s`, advice: ADVICE.timeout, see: 'evaluation-tools-hang'};
  }
  if (result.curlExit === 7) return {ok: false, problem: 'refused', summary: `connection refused: ${result.curlError}`, advice: ADVICE.refused, see: 'scenario-local-service'};
  if (result.status === 0) return {ok: false, problem: 'no-answer', summary: `no HTTP answer (curl exit ${result.curlExit}: ${result.curlError})`, advice: ADVICE.other, see: 'symptoms'};
  if (result.status >= 400) {
    return {ok: false, problem: 'http-error', summary: `HTTP ${result.status}${errorMessage(result.body)} (${ms})`, advice: httpAdvice(result.status), see: 'symptoms'};
  }
  return {ok: true, summary: `HTTP ${result.status} in ${ms}`};
}

/** An OpenAI-style error body's message, short. */
function errorMessage(body: string): string {
  try {
    const message = (JSON.parse(body) as {error?: {message?: unknown}; message?: unknown}).error?.message;
    return typeof message === 'string' ? `: ${message.slice(0, 160)}` : '';
  } catch {
    return '';
  }
}

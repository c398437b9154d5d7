// The real clients, run with a given environment against the service: each must get an answer
// that did not come through a proxy (no Via or X-Squid-Error header). Python clients run under the
// first interpreter that has them; a client no interpreter has is reported as not verified.
import type {Env} from '../io/index.mts';
import {classify, curlRequest} from './http-check.mts';
import {detectInstalled, pythonCandidates, run} from './installed.mts';

export interface ClientCheck {
  client: string;
  status: 'verified' | 'failed' | 'not-available';
  detail: string;
}

const PYTHON_CLIENTS = ['urllib', 'requests', 'httpx', 'aiohttp-trust-env'] as const;
const MODULE: Record<(typeof PYTHON_CLIENTS)[number], string> = {
  'urllib': 'urllib', 'requests': 'requests', 'httpx': 'httpx', 'aiohttp-trust-env': 'aiohttp',
};

// argv: client, url, timeout. Prints one JSON line: status and the proxy-revealing headers.
const PYTHON_PROBE = `
import json, sys
client, url, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3])
def report(status, headers):
    print(json.dumps({"status": status, "via": headers.get("Via"), "squid": headers.get("X-Squid-Error")}))
if client == "urllib":
    import urllib.request, urllib.error
    try:
        r = urllib.request.urlopen(url, timeout=timeout)
        report(r.status, r.headers)
    except urllib.error.HTTPError as e:
        report(e.code, e.headers)
elif client == "requests":
    import requests
    r = requests.get(url, timeout=timeout)
    report(r.status_code, r.headers)
elif client == "httpx":
    import httpx
    r = httpx.get(url, timeout=timeout)
    report(r.status_code, r.headers)
else:
    import asyncio, aiohttp
    async def main():
        async with aiohttp.ClientSession(trust_env=True) as session:
            async with session.get(url, timeout=aiohttp.ClientTimeout(total=timeout)) as r:
                report(r.status, r.headers)
    asyncio.run(main())
`;

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}

function fromHeaders(client: string, status: number, via: string | null | undefined, squid: string | null | undefined): ClientCheck {
  if (via || squid) return {client, status: 'failed', detail: `went through a proxy (${squid ? `X-Squid-Error: ${squid}` : `Via: ${via}`}), HTTP ${status}`};
  if (status < 200 || status >= 300) return {client, status: 'failed', detail: `direct, but HTTP ${status}`};
  return {client, status: 'verified', detail: `direct, HTTP ${status}`};
}

async function curlCheck(url: string, env: Env, timeoutS: number): Promise<ClientCheck> {
  const result = await curlRequest({url, env, timeoutS, route: {via: 'env'}});
  if (result.status === 0) return {client: 'curl', status: 'failed', detail: classify(result, timeoutS).summary};
  return fromHeaders('curl', result.status, result.headers.get('via'), result.headers.get('x-squid-error'));
}

async function wgetCheck(url: string, env: Env, timeoutS: number): Promise<ClientCheck> {
  const result = await run('wget', ['-S', '-O', '/dev/null', `--timeout=${timeoutS}`, '--tries=1', url], env, timeoutS + 2);
  if (result.missing) return {client: 'wget', status: 'not-available', detail: 'wget is not installed'};
  // -S prints each response's headers, indented, to stderr; the last status line is the answer.
  const statuses = [...result.stderr.matchAll(/^\s+HTTP\/[\d.]+ (\d{3})/gm)].map((m) => Number(m[1]));
  if (statuses.length === 0) return {client: 'wget', status: 'failed', detail: lastLine(result.stderr) || `exit ${result.code}`};
  const header = (name: string) => new RegExp(`^\\s+${name}: (.*)$`, 'im').exec(result.stderr)?.[1];
  return fromHeaders('wget', statuses.at(-1)!, header('Via'), header('X-Squid-Error'));
}

async function pythonCheck(client: (typeof PYTHON_CLIENTS)[number], python: string, url: string, env: Env, timeoutS: number): Promise<ClientCheck> {
  const result = await run(python, ['-c', PYTHON_PROBE, client, url, String(timeoutS)], env, timeoutS + 5);
  const name = `${client} (${python})`;
  if (result.code !== 0) {
    const error = lastLine(result.stderr) || `exit ${result.code ?? 'timeout'}`;
    // httpx builds a transport for every proxy when the client is created: NO_PROXY never helps.
    const cannotFix = error.includes('socksio') ? ": NO_PROXY cannot fix this: pip install 'httpx[socks]', or unset all_proxy/ALL_PROXY for this job" : '';
    return {client: name, status: 'failed', detail: `${error}${cannotFix}`};
  }
  const answer = JSON.parse(lastLine(result.stdout)) as {status: number; via: string | null; squid: string | null};
  return fromHeaders(name, answer.status, answer.via, answer.squid);
}

export async function checkClients(url: string, env: Env, timeoutS: number): Promise<ClientCheck[]> {
  const {interpreters} = await detectInstalled(env);
  return Promise.all([
    curlCheck(url, env, timeoutS),
    wgetCheck(url, env, timeoutS),
    ...PYTHON_CLIENTS.map((client) => {
      const python = interpreters[MODULE[client]];
      if (!python) {
        const tried = pythonCandidates(env).join(', ');
        return Promise.resolve<ClientCheck>({client, status: 'not-available', detail: `no python with ${MODULE[client]} (tried ${tried})`});
      }
      return pythonCheck(client, python, url, env, timeoutS);
    }),
  ]);
}

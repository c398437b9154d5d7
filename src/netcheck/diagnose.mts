// The diagnosis half of fix-noproxy: what each client family does with the target URL in this
// environment (src/proxy's predictions), and probes that tell apart a service that is down, a
// proxy's error page, a proxy that hangs, and a path that works. Credentials are redacted.
import {CLIENTS, predictAll, type Prediction} from '../proxy/predict.mts';
import {redact} from '../proxy/redact.mts';
import type {Env} from '../io/env.mts';
import {classify, curlRequest, type Finding} from './http-check.mts';

export interface Report {
  lines: string[];
  /** True when the problem exists: some client is sent to a proxy, fails, or the path is broken. */
  problem: boolean;
}

function clientName(prediction: Prediction): string {
  return CLIENTS.find((c) => c.id === prediction.client)?.name ?? prediction.client;
}

function outcomeText(prediction: Prediction): string {
  if (prediction.outcome === 'via') return `via ${prediction.proxy}`;
  return prediction.outcome;
}

export function clientsReport(url: string, env: Env): Report {
  const predictions = predictAll(url, env);
  const width = Math.max(...predictions.map((p) => clientName(p).length));
  const lines = [`what each client does with ${url} in this environment:`];
  for (const p of predictions) lines.push(`  ${clientName(p).padEnd(width)}  ${outcomeText(p).padEnd(8)}  ${p.rule}`);
  const affected = predictions.filter((p) => p.outcome !== 'direct');
  lines.push(affected.length === 0
    ? 'every client connects directly'
    : `${affected.length} client(s) do not connect directly: ${affected.map((p) => p.client).join(', ')}`);
  return {lines: lines.map(redact), problem: affected.length > 0};
}

/** The distinct proxies configured for the URL's scheme, in the order clients look them up. */
export function configuredProxies(url: string, env: Env): string[] {
  const scheme = new URL(url).protocol === 'https:' ? 'https' : 'http';
  const names = [`${scheme}_proxy`, `${scheme.toUpperCase()}_PROXY`, 'all_proxy', 'ALL_PROXY'];
  return [...new Set(names.map((n) => env[n]).filter((v): v is string => Boolean(v)))];
}

/** What a request through a proxy showed: a short name for the verdict, and the detail. */
function proxyOutcome(finding: Finding): {name: string; detail: string} {
  if (finding.ok) return {name: 'works', detail: `the proxy reached the service (${finding.summary})`};
  if (finding.problem === 'timeout') return {name: 'proxy hangs', detail: `accepted the connection and answered nothing (${finding.summary})`};
  if (finding.problem === 'proxy-error-page') return {name: 'proxy error page', detail: finding.summary};
  if (finding.problem === 'refused') return {name: 'proxy unreachable', detail: finding.summary};
  return {name: 'proxy failed', detail: finding.summary};
}

export async function probeReport(url: string, env: Env, timeoutS: number): Promise<Report> {
  const proxies = configuredProxies(url, env);
  const [direct, ...viaProxy] = await Promise.all([
    curlRequest({url, env, timeoutS, route: {via: 'direct'}}),
    ...proxies.map((proxy) => curlRequest({url, env, timeoutS, route: {via: 'proxy', proxy}})),
  ]);
  const directFinding = classify(direct, timeoutS);
  const lines = [`direct (no proxy): ${directFinding.ok ? 'works: ' : ''}${directFinding.summary}`];
  const predictions = predictAll(url, env);
  const verdicts: string[] = [];
  let problem = false;
  if (!directFinding.ok) {
    problem = true;
    const down = directFinding.problem === 'refused' ? 'service down' : 'service not answering correctly';
    verdicts.push(`${down}: ${directFinding.summary}; ${directFinding.advice}; no proxy setting will help`);
  }
  proxies.forEach((proxy, i) => {
    const finding = classify(viaProxy[i], timeoutS);
    const users = predictions.filter((p) => p.outcome === 'via' && p.proxy === redact(proxy)).map((p) => p.client);
    const used = users.length > 0 ? `used for this URL by ${users.join(', ')}` : 'not used for this URL';
    const outcome = proxyOutcome(finding);
    lines.push(`through ${proxy} (${used}): ${outcome.name}: ${outcome.detail}`);
    if (users.length > 0 && !finding.ok && directFinding.ok) {
      problem = true;
      verdicts.push(`${outcome.name} for ${users.join(', ')}: ${finding.advice}`);
    }
  });
  if (proxies.length === 0) lines.push(`no proxy is configured for ${new URL(url).protocol}// URLs`);
  if (!problem) {
    const viaAny = predictions.some((p) => p.outcome === 'via');
    verdicts.push(viaAny ? 'works: the clients that use the proxy get an answer through it' : 'works: every client reaches the service directly');
  }
  for (const verdict of verdicts) lines.push(`verdict: ${verdict}`);
  return {lines: lines.map(redact), problem};
}

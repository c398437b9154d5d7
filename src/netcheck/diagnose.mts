// The diagnosis half of fix-noproxy: what each client family does with the target URL in this
// environment (src/proxy's predictions), and probes that tell apart a service that is down, a
// proxy's error page, a proxy that hangs, and a path that works. Credentials are redacted.
import {type ConfiguredProxy, proxiesToProbe} from '../proxy/configured.mts';
import {REQUESTS_SOCKS_ERROR} from '../proxy/clients/python.mts';
import {SOCKSIO_ERROR} from '../proxy/clients/httpx.mts';
import {CLIENTS, predictAll, type Prediction} from '../proxy/predict.mts';
import {proxySecrets, redact} from '../proxy/redact.mts';
import type {Env} from '../io/env.mts';
import {guideLink, type GuideSection} from './guide-links.mts';
import {classify, curlRequest, type Finding} from './http-check.mts';
import type {Detected} from './installed.mts';

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

/** The versions found, then one line per client with its outcome, rule and the release it assumes. */
export function clientsReport(url: string, env: Env, detected: Detected): Report {
  const predictions = predictAll(url, env, detected.installed);
  const width = Math.max(...predictions.map((p) => clientName(p).length));
  const lines = [
    `versions found here: ${detected.found.join('; ')}`,
    `what each client does with ${url} in this environment:`,
  ];
  for (const p of predictions) {
    lines.push(`  ${clientName(p).padEnd(width)}  ${outcomeText(p).padEnd(8)}  ${p.rule}${p.assumes ? ` [assumes ${p.assumes}]` : ''}`);
  }
  const affected = predictions.filter((p) => p.outcome !== 'direct');
  lines.push(affected.length === 0
    ? 'every client connects directly'
    : `${affected.length} client(s) do not connect directly: ${affected.map((p) => p.client).join(', ')}`);
  return {lines: redactLines(lines, env), problem: affected.length > 0};
}

/** What a request through a proxy showed: a short name for the verdict, and the detail. */
function proxyOutcome(finding: Finding): {name: string; detail: string} {
  if (finding.ok) return {name: 'works', detail: `the proxy reached the service (${finding.summary})`};
  if (finding.problem === 'timeout') return {name: 'proxy hangs', detail: `accepted the connection and answered nothing (${finding.summary})`};
  if (finding.problem === 'proxy-error-page') return {name: 'proxy error page', detail: finding.summary};
  if (finding.problem === 'refused') return {name: 'proxy unreachable', detail: finding.summary};
  return {name: 'proxy failed', detail: finding.summary};
}

/** One line of advice for a proxy that failed, naming the proxy (never its credentials). */
function proxyAdvice(finding: Finding, proxy: ConfiguredProxy): string {
  if (finding.problem === 'refused') {
    return `nothing listens at the proxy ${proxy.endpoint}: start it, or unset ${proxy.variables.join(' and ')}, or exempt the host in no_proxy/NO_PROXY (runbook fix-noproxy)`;
  }
  return finding.advice ?? '';
}

/** The clients that cannot use a SOCKS proxy for want of an extra package, one verdict per extra. */
function missingExtraVerdicts(predictions: Prediction[], detected: Detected): string[] {
  const verdicts: string[] = [];
  const httpx = predictions.filter((p) => p.missingExtra === 'socksio');
  if (httpx.length > 0) {
    const sdk = detected.openai ? ` (the openai SDK ${detected.openai.version} here runs on ${detected.openai.on})` : '';
    verdicts.push(`SOCKS proxy unusable for ${httpx.map((p) => p.client).join(', ')}${sdk}: ${SOCKSIO_ERROR} It fails when the client is created, so NO_PROXY cannot fix it: pip install 'httpx[socks]' (the socksio extra), or unset all_proxy/ALL_PROXY for that job`);
  }
  const requests = predictions.filter((p) => p.missingExtra === 'pysocks');
  if (requests.length > 0) {
    verdicts.push(`SOCKS proxy unusable for ${requests.map((p) => p.client).join(', ')}: ${REQUESTS_SOCKS_ERROR} pip install 'requests[socks]' (PySocks), or exempt the host in no_proxy/NO_PROXY (runbook fix-noproxy)`);
  }
  return verdicts;
}

const TUN_ADVICE = 'if a proxy runs in TUN (transparent) mode, such as Clash or v2ray, it intercepts the connection without any variable: add the host to the proxy\'s bypass rules (NO_PROXY cannot help)';

export async function probeReport(url: string, env: Env, timeoutS: number, detected: Detected): Promise<Report> {
  const proxies = proxiesToProbe(url, env);
  const [direct, ...viaProxy] = await Promise.all([
    curlRequest({url, env, timeoutS, route: {via: 'direct'}}),
    ...proxies.map((proxy) => curlRequest({url, env, timeoutS, route: {via: 'proxy', proxy: proxy.connect}})),
  ]);
  const directFinding = classify(direct, timeoutS);
  const lines = [`direct (no proxy): ${directFinding.ok ? 'works: ' : ''}${directFinding.summary}`];
  const predictions = predictAll(url, env, detected.installed);
  const verdicts: string[] = [];
  const sections: GuideSection[] = [];
  if (!directFinding.ok && proxies.length === 0) {
    verdicts.push(`service unreachable and no proxy variable is set: ${directFinding.summary}; ${directFinding.advice}; ${TUN_ADVICE}`);
    if (directFinding.see) sections.push(directFinding.see);
  } else if (!directFinding.ok) {
    const down = directFinding.problem === 'refused' ? 'service down' : 'service not answering correctly';
    verdicts.push(`${down}: ${directFinding.summary}; ${directFinding.advice}; no proxy setting will help`);
    if (directFinding.see) sections.push(directFinding.see);
  }
  const good: string[] = [];
  proxies.forEach((proxy, i) => {
    const finding = classify(viaProxy[i]!, timeoutS);
    const users = predictions.filter((p) => p.outcome === 'via' && p.proxy === proxy.proxy).map((p) => p.client);
    const used = users.length > 0 ? `used for this URL by ${users.join(', ')}` : 'not used for this URL';
    const outcome = proxyOutcome(finding);
    lines.push(`through ${proxy.proxy} (${used}; set in ${proxy.variables.join(', ')}): ${outcome.name}: ${outcome.detail}`);
    if (users.length === 0 || !directFinding.ok) return;
    const kind = proxy.scheme.startsWith('socks') ? 'SOCKS proxy' : 'proxy';
    if (!finding.ok) {
      verdicts.push(`${outcome.name} for ${users.join(', ')}: ${proxyAdvice(finding, proxy)}`);
      if (finding.see) sections.push(finding.see);
    } else if (proxy.local) {
      verdicts.push(`reached through the local ${kind} ${proxy.endpoint} by ${users.join(', ')}: exempt it anyway (streaming and latency suffer, and the proxy's rules may block it): no_proxy/NO_PROXY, runbook fix-noproxy`);
    } else good.push(`works through the ${kind} ${proxy.endpoint} for ${users.join(', ')}`);
  });
  const socks = missingExtraVerdicts(predictions, detected);
  verdicts.push(...socks);
  if (socks.length > 0) sections.push('local-proxies-socks');
  for (const failing of predictions.filter((p) => p.outcome === 'fails' && !p.missingExtra)) {
    verdicts.push(`fails for ${failing.client}: ${failing.rule}`);
  }
  if (proxies.length === 0 && directFinding.ok) lines.push(`no proxy is configured for ${new URL(url).protocol}// URLs`);
  const problem = verdicts.length > 0;
  if (!problem) {
    verdicts.push(good.length > 0 ? `works: ${good.join('; ')}` : 'works: every client reaches the service directly');
  }
  for (const verdict of verdicts) lines.push(`verdict: ${verdict}`);
  for (const section of new Set(sections)) lines.push(`see: ${guideLink(section)}`);
  return {lines: redactLines(lines, env), problem};
}

function redactLines(lines: string[], env: Env): string[] {
  const secrets = proxySecrets(env);
  return lines.map((line) => redact(line, secrets));
}

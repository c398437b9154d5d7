// `runbook-netcheck services`: what answers on the well-known loopback ports of local model
// servers, named from the answer's shape: GET /v1/models (its `owned_by`), Ollama's GET /api/tags,
// TGI's GET /info. Loopback is asked directly (never through a proxy variable), every port and
// path at once, each with a short limit, so the whole probe takes about one timeout at most.
import * as http from 'node:http';
import {OWNED_BY, SERVICE_PORTS, type ServerName} from './service-ports.mts';

export interface Answer {
  status: number;
  body: string;
}

/** One GET on 127.0.0.1, no proxy; null when nothing answers in time (refused, reset, silent). */
function get(port: number, route: string, timeoutMs: number): Promise<Answer | null> {
  return new Promise((resolve) => {
    const req = http.get({host: '127.0.0.1', port, path: route, agent: false, timeout: timeoutMs, headers: {accept: 'application/json'}}, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= 256 * 1024) chunks.push(chunk);
      });
      res.on('end', () => resolve({status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8')}));
      res.on('error', () => resolve(null));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
  });
}

function json(answer: Answer | null): Record<string, unknown> | null {
  if (!answer || answer.status !== 200) return null;
  try {
    const value = JSON.parse(answer.body) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export interface Found {
  port: number;
  /** null: something answers HTTP but not as a model server this knows. */
  server: ServerName | null;
  /** What told: `GET /v1/models: owned_by vllm`, and the models listed. */
  evidence: string;
  models: string[];
}

function identify(port: number, models: Answer | null, tags: Answer | null, info: Answer | null): Found | null {
  const ollama = json(tags);
  if (ollama && Array.isArray(ollama.models)) {
    const names = ollama.models.map((m) => (m as {name?: unknown}).name).filter((n): n is string => typeof n === 'string');
    return {port, server: 'Ollama', evidence: 'GET /api/tags lists models', models: names};
  }
  const tgi = json(info);
  if (tgi && typeof tgi.model_id === 'string') {
    return {port, server: 'TGI', evidence: `GET /info: model_id, version ${String(tgi.version ?? '?')}`, models: [tgi.model_id]};
  }
  const list = json(models);
  if (list && Array.isArray(list.data)) {
    const entries = list.data as {id?: unknown; owned_by?: unknown}[];
    const ids = entries.map((m) => m.id).filter((id): id is string => typeof id === 'string');
    const owner = entries.map((m) => m.owned_by).find((o): o is string => typeof o === 'string');
    const server = owner !== undefined ? OWNED_BY[owner] ?? null : null;
    return {port, server, evidence: `GET /v1/models: owned_by ${owner ?? 'absent'}`, models: ids};
  }
  const any = models ?? tags ?? info;
  if (!any) return null;
  return {port, server: null, evidence: `answers HTTP (GET /v1/models: ${models ? `HTTP ${models.status}` : 'no answer'})`, models: []};
}

/** The ports to probe: `RUNBOOK_SERVICE_PORTS` (comma-separated, for tests and unusual setups), else the table. */
export function portsToProbe(env: Record<string, string | undefined>): number[] {
  const custom = env.RUNBOOK_SERVICE_PORTS?.split(',').map((p) => Number(p.trim())).filter((p) => Number.isInteger(p) && p > 0 && p < 65536);
  return custom && custom.length > 0 ? custom : SERVICE_PORTS.map((p) => p.port);
}

export async function findServices(ports: number[], timeoutMs = 1500): Promise<Found[]> {
  const found = await Promise.all(ports.map(async (port) => {
    const [models, tags, info] = await Promise.all(['/v1/models', '/api/tags', '/info'].map((route) => get(port, route, timeoutMs)));
    return identify(port, models, tags, info);
  }));
  return found.filter((f): f is Found => f !== null);
}

/** The server to check when no URL was given: the first found that answers as a model server this
 *  knows (ports in the table's order), or null. */
export function serviceToCheck(found: Found[]): Found | null {
  return found.find((f) => f.server !== null) ?? null;
}

export function servicesReport(found: Found[], ports: number[]): {lines: string[]; problem: boolean} {
  const lines = [`model servers answering on 127.0.0.1 (ports ${ports.join(', ')}):`];
  for (const f of found) {
    const models = f.models.length > 0 ? `; models: ${f.models.join(', ')}` : '';
    lines.push(`  127.0.0.1:${f.port}  ${f.server ?? 'not a model server this knows'} (${f.evidence}${models})`);
  }
  if (found.length === 0) lines.push('  none: start the server, or give its address with --url');
  else {
    const first = serviceToCheck(found);
    if (first) lines.push(`check it with: --url http://127.0.0.1:${first.port}`);
  }
  return {lines, problem: found.length === 0};
}

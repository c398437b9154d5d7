// Serves one stack component on its own: the entry point of the mock-vllm container image
// (docker/mock-vllm.Dockerfile bundles this file). Runs until SIGINT/SIGTERM.
//
//   serve.mts mock-vllm [--host H] [--port N] [--model NAME] [--latency-ms N] [--headers-timeout-ms N] [--fault status:503|slow-start:MS|drop]
//   serve.mts blackhole [--host H] [--port N]
// Exit codes: 0 stopped by a signal, 1 failed to listen, 2 bad usage.
import {ArgumentError, readCommandLine, runCli} from '../io/index.mts';
import {startMockVllm, type Fault} from './mock-vllm.mts';
import {startBlackhole} from './blackhole.mts';
import {WELL_KNOWN_PORTS} from './well-known-ports.mts';

const USAGE = 'Usage: serve mock-vllm|blackhole [--host H] [--port N] [--model NAME] [--latency-ms N] [--headers-timeout-ms N] [--fault status:CODE|slow-start:MS|drop]';

const OPTIONS = {
  host: {type: 'string'},
  port: {type: 'string'},
  model: {type: 'string'},
  'latency-ms': {type: 'string'},
  'headers-timeout-ms': {type: 'string'},
  fault: {type: 'string'},
} as const;

function parseFault(text: string): Fault {
  const [type, value] = text.split(':');
  const number = Number(value);
  if (type === 'drop' && value === undefined) return {type: 'drop'};
  if (type === 'status' && Number.isInteger(number) && number >= 400 && number <= 599) return {type: 'status', status: number};
  if (type === 'slow-start' && Number.isInteger(number) && number > 0) return {type: 'slow-start', ms: number};
  throw new ArgumentError(`--fault must be status:<400-599>, slow-start:<ms> or drop, got "${text}"`);
}

function integer(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new ArgumentError(`${name} must be a non-negative integer, got "${text}"`);
  return value;
}

function positive(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const value = integer(text, name, 0);
  if (value === 0) throw new ArgumentError(`${name} must be a positive integer, got "${text}"`);
  return value;
}

async function main(): Promise<void> {
  const {values, positionals} = readCommandLine(process.argv.slice(2), OPTIONS, {positionals: 1});
  const [component] = positionals;
  const host = values.host ?? '127.0.0.1';
  if (component !== 'mock-vllm' && component !== 'blackhole') throw new ArgumentError(`unknown component "${component ?? ''}"`);
  // Every flag is checked before anything listens: a bad one is exit 2, not a failed start.
  const port = integer(values.port, '--port', component === 'mock-vllm' ? WELL_KNOWN_PORTS.mockVllm : WELL_KNOWN_PORTS.blackhole);
  const mock = component === 'mock-vllm' ? {
    host,
    port,
    model: values.model,
    latencyMs: integer(values['latency-ms'], '--latency-ms', 0),
    headersTimeoutMs: positive(values['headers-timeout-ms'], '--headers-timeout-ms'),
    fault: values.fault === undefined ? undefined : parseFault(values.fault),
  } : null;
  let service: {url: string; close(): Promise<void>};
  try {
    service = mock ? await startMockVllm(mock) : await startBlackhole({host, port});
  } catch (error) {
    process.stderr.write(`serve: ${(error as Error).message}\n`);
    process.exit(1);
  }
  // Handlers first: a reader of the announcement may signal at once (see cli.mts).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => service.close().then(() => process.exit(0)));
  process.stdout.write(`${component} listening on ${host}, ${service.url}\n`);
}

await runCli('serve', USAGE, main);

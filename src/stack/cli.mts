// `npm run stack`: starts the mock stack for a person, prints its URLs and the export lines to try
// the guides by hand, and stops everything on Ctrl-C.
//
// Exit codes: 0 stopped cleanly, 1 the stack failed to start (e.g. Squid missing), 2 bad usage.
import {writeFileSync, mkdirSync} from 'node:fs';
import path from 'node:path';
import {ArgumentError, readCommandLine, runCli} from '../io/index.mts';
import {startStack, type StackInfo} from './index.mts';
import {squidConfig} from './squid-config.mts';
import {mirrorServices} from './mirrors/index.mts';
import {WELL_KNOWN_PORTS} from './well-known-ports.mts';

export const COMPOSE_SQUID_CONFIG = 'docker/squid/squid.conf';

const USAGE = `Usage: npm run stack -- [options]
  --port N            mock vLLM port (default ${WELL_KNOWN_PORTS.mockVllm}, as in the guides; 0 = any free port)
  --model NAME        served model name (default mh-sft-7b)
  --json              print the stack's URLs, ports and env as one JSON line
  --isolation MODE    remote Squid isolation: namespace (default when permitted) or rewrite
  --write-compose-config
                      write ${COMPOSE_SQUID_CONFIG} (the compose flavour of the Squid config) and exit
  -h, --help          this help
Exit codes: 0 stopped cleanly, 1 the stack failed to start, 2 bad usage.`;

const OPTIONS = {
  port: {type: 'string', default: String(WELL_KNOWN_PORTS.mockVllm)},
  model: {type: 'string'},
  json: {type: 'boolean', default: false},
  isolation: {type: 'string'},
  'write-compose-config': {type: 'boolean', default: false},
  help: {type: 'boolean', short: 'h', default: false},
} as const;

function describe(info: StackInfo): string {
  const rows = [`Mock stack ready. Ctrl-C stops it.`, `  mock vLLM      ${info.mockVllm.baseUrl}  (model ${info.mockVllm.model})`];
  if (info.squid) {
    const {remote, forward} = info.squid;
    rows.push(
      `  remote Squid   ${remote.url}  (isolation: ${remote.isolation}; its 127.0.0.1 is not yours)  access log: ${remote.accessLog}`,
      `  forward Squid  ${forward.url}  (a working proxy; also the local proxy: like Clash on 127.0.0.1, it can reach the mock)  access log: ${forward.accessLog}`,
    );
  }
  if (info.socks) rows.push(`  SOCKS5         ${info.socks.url}  (microsocks; a working SOCKS proxy)`);
  rows.push(`  blackhole      ${info.blackhole.url}  (accepts, never answers)`);
  for (const [name, extra] of Object.entries(info.extras)) rows.push(`  ${name.padEnd(14)} ${extra.url}`);
  for (const note of info.notes) rows.push(`note: ${note}`);
  rows.push('', 'Paste into a shell to reproduce the guides (unset them or open a new shell to undo):', ...info.exportLines);
  return rows.join('\n');
}

async function main(): Promise<void> {
  const args = readCommandLine(process.argv.slice(2), OPTIONS).values;
  if (args.help) return void process.stdout.write(`${USAGE}\n`);
  if (args['write-compose-config']) {
    mkdirSync(path.dirname(COMPOSE_SQUID_CONFIG), {recursive: true});
    writeFileSync(COMPOSE_SQUID_CONFIG, squidConfig({flavour: 'compose'}));
    return void process.stdout.write(`wrote ${COMPOSE_SQUID_CONFIG}\n`);
  }
  const port = Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ArgumentError(`--port must be an integer 0-65535, got "${args.port}"`);
  if (args.isolation !== undefined && args.isolation !== 'namespace' && args.isolation !== 'rewrite') {
    throw new ArgumentError(`--isolation must be "namespace" or "rewrite", got "${args.isolation}"`);
  }
  let stack;
  try {
    stack = await startStack({mockPort: port, model: args.model, isolation: args.isolation as 'namespace' | 'rewrite' | undefined,
      // The restricted-network guide's HF endpoint and pip index, to try its runbooks by hand.
      extraServices: mirrorServices()});
  } catch (error) {
    const message = (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? `port ${port} is in use: pass --port 0 for a free port` : (error as Error).message;
    process.stderr.write(`stack: ${message.split('\n')[0]}\n`);
    process.exit(1);
  }
  const stop = () => {
    if (!args.json) process.stderr.write('\nstopping…\n');
    stack.stop().then(() => process.exit(0));
  };
  // Before the announcement: stdout to a pipe is written synchronously, so whoever reads it may send
  // a signal before the next statement runs, and an unhandled SIGINT would leave Squid behind.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, stop);
  process.stdout.write(`${args.json ? JSON.stringify(stack.info()) : describe(stack.info())}\n`);
}

await runCli('stack', USAGE, main);

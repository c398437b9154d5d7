// runbook-netcheck as a reader runs it from runbooks/lib/bin: usage, bad input, exit codes.
import * as path from 'node:path';
import {describe, expect, it} from 'vitest';
import {runClient} from '../helpers/processes.mts';
import {REPO} from '../helpers/runbooks.mts';

const BIN = path.join(REPO, 'runbooks/lib/bin/runbook-netcheck');

describe('runbook-netcheck command line', () => {
  it('--help lists the commands (exit 0)', async () => {
    const ran = await runClient(BIN, ['--help'], process.env);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(/^usage: runbook-netcheck clients URL \| probe URL/);
  });

  it.each([
    [['probe', 'not a url'], 'runbook-netcheck: not a URL: not a url'],
    [['clients', 'ftp://127.0.0.1/'], 'runbook-netcheck: not an http(s) URL: ftp://127.0.0.1/'],
    [['service', 'ping', 'http://127.0.0.1:8000'], 'runbook-netcheck: service needs one of models, chat, stream'],
    [['probe', 'http://127.0.0.1:8000', '--timeout', '0'], 'runbook-netcheck: --timeout 0: seconds, more than 0'],
    [['upload'], 'runbook-netcheck: unknown command upload'],
  ])('%j is a usage error (exit 2) with one clear line', async (args, message) => {
    const ran = await runClient(BIN, args, process.env);
    expect(ran.code).toBe(2);
    expect(ran.stderr.split('\n')[0]).toBe(message);
    expect(ran.stdout).toBe('');
  });
});

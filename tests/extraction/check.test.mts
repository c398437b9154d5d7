// runbooks:check, the translation comparison (run by i18n:check) and docs:coverage, on a small docs tree in a temp dir.
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {beforeEach, describe, expect, it} from 'vitest';
import {driftProblems} from '../../src/extraction/check.mts';
import {coverageReport} from '../../src/extraction/coverage.mts';
import {LOCALE_DIRS, extractDocs} from '../../src/extraction/docs.mts';
import {renderRunbooks} from '../../src/extraction/emit.mts';
import {writeRunbooks} from '../../src/extraction/output.mts';
import {bundledEntry} from '../kit/bundled.mts';
import {runClient} from '../kit/processes.mts';
import {servedRunbook} from '../../src/site-runbooks/published.mts';
import {extractPage} from '../../src/extraction/extract.mts';
import {TRANSLATABLE_STEP_FIELDS, compareTranslationPages, compareTranslationSteps} from '../../src/extraction/translation.mts';

const F = '```';
const english = `---
title: Guide
runbooks:
  demo:
    title: Demo
    params:
      url: {default: "http://127.0.0.1:8000", type: url, help: "the URL"}
---

Prose.

${F}bash runbook=demo step=probe kind=check params=url
curl -sS http://127.0.0.1:8000/v1/models
${F}

${F}bash runbook=demo step=persist kind=rc-block comments-may-differ
# keep local traffic off the proxy
export NO_PROXY=localhost
${F}

${F}text kind=manual reason="sample output"
HTTP/1.1 200 OK
${F}
`;
// The translation may change prose, titles, help, reasons and (where allowed) comment lines.
const chinese = english
  .replace('title: Demo', 'title: 演示')
  .replace('help: "the URL"', 'help: "地址"')
  .replace('Prose.', '说明。')
  .replace('# keep local traffic off the proxy', '# 本地流量不走代理')
  .replace('reason="sample output"', 'reason="示例输出"');

let root: string;
const en = () => join(root, LOCALE_DIRS.en, 'guides/demo.md');
const zh = () => join(root, LOCALE_DIRS['zh-Hans'], 'guides/demo.md');
const put = (file: string, text: string) => {
  mkdirSync(dirname(file), {recursive: true});
  writeFileSync(file, text);
};

// Each test removes the folder it was given: concurrent tests each get one, and `root` names the last.
beforeEach(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'runbooks-check-'));
  root = dir;
  put(en(), english);
  put(zh(), chinese);
  await writeRunbooks(extractDocs(root).runbooks, root);
  return () => rmSync(dir, {recursive: true, force: true});
});

describe('runbooks:check', () => {
  it('passes when runbooks/ is what the docs produce and the translation carries the same steps', async () => {
    expect(await driftProblems(root)).toEqual([]);
    expect(compareTranslationSteps(en(), zh(), root)).toEqual([]);
  });

  it('names the page, line and step whose code changed since generation', async () => {
    put(en(), english.replace('/v1/models', '/health'));
    put(zh(), chinese.replace('/v1/models', '/health'));
    expect(await driftProblems(root)).toEqual([
      'docs/guides/demo.md:12: step probe changed since runbooks/demo.plan.json was generated',
    ]);
  });

  it('reports a hand-edited script, a missing file and a runbook that no page produces', async () => {
    writeFileSync(join(root, 'runbooks/demo.mjs'), `${readFileSync(join(root, 'runbooks/demo.mjs'), 'utf8')}// edited\n`);
    rmSync(join(root, 'runbooks/lib/bin/runbook-netcheck'));
    writeFileSync(join(root, 'runbooks/old.mjs'), '');
    expect(await driftProblems(root)).toEqual([
      "runbooks/demo.mjs differs from what the docs produce (the page's last commit, src/ or a hand edit): run npm run runbooks after committing the page",
      'runbooks/lib/bin/runbook-netcheck is missing: run npm run runbooks',
      'runbooks/old.mjs has no runbook in the docs any more',
    ]);
  });

  it('reports a built site whose served runbooks are not the ones in runbooks/ with the runtime inlined', async () => {
    const served = join(root, 'build/runbooks');
    mkdirSync(served, {recursive: true});
    writeFileSync(join(served, 'demo.mjs'), servedRunbook(root, 'demo'));
    expect(await driftProblems(root)).toEqual([]);
    writeFileSync(join(served, 'demo.mjs'), readFileSync(join(root, 'runbooks/demo.mjs')));
    writeFileSync(join(served, 'gone.mjs'), '');
    expect(await driftProblems(root)).toEqual([
      'build/runbooks/demo.mjs differs from runbooks/demo.mjs with its runtime inlined: rebuild the site',
      'build/runbooks/gone.mjs is served but runbooks/ has no such runbook: rebuild the site',
    ]);
  });

  it('reports annotation errors with file and line', async () => {
    put(en(), english.replace('kind=check', 'kind=chek'));
    const problems = await driftProblems(root);
    expect(problems[0]).toBe('docs/guides/demo.md:12: unknown kind "chek" (known: run, check, env, rc-block, file, undo, manual)');
  });
});

describe('compareTranslationSteps', () => {
  const differences = () => compareTranslationSteps(en(), zh(), root).map((d) => `${d.line} ${d.runbook}/${d.step}: ${d.message}`);

  it('reports code that differs, naming page and step', async () => {
    put(zh(), chinese.replace('/v1/models', '/v1/model'));
    expect(differences()).toEqual(['12 demo/probe: code differs from the English page (mark the block comments-may-differ to translate its comments)']);
    const [difference] = compareTranslationSteps(en(), zh(), root);
    expect(difference.page).toBe('i18n/zh-Hans/docusaurus-plugin-content-docs/current/guides/demo.md');
    expect(await driftProblems(root), 'a translation\'s steps are i18n:check\'s (tests/i18n/check), not runbooks:check\'s').toEqual([]);
  });

  it('allows translated comment lines only where the block says so', () => {
    put(en(), english.replace('curl -sS', '# probe\ncurl -sS'));
    put(zh(), chinese.replace('curl -sS', '# 探测\ncurl -sS'));
    expect(differences()).toEqual([expect.stringMatching(/^12 demo\/probe: code differs/)]);
    put(en(), english);
    put(zh(), chinese.replace('export NO_PROXY=localhost', 'export NO_PROXY=localhost # 注释'));
    expect(differences()).toEqual([expect.stringMatching(/^16 demo\/persist: code differs from the English page \(apart from comment lines\)/)]);
  });

  it('reports changed attributes, missing and extra steps, and changed parameters', () => {
    put(zh(), chinese.replace('kind=check params=url', 'kind=run params=url').replace('type: url', 'type: name'));
    expect(differences()).toEqual([
      '1 demo/null: front matter params differ from the English page (only help may be translated)',
      '12 demo/probe: fence attributes differ from the English page',
    ]);
    put(zh(), chinese.replace('step=persist', 'step=persist-zh'));
    expect(differences()).toEqual([
      '1 demo/persist: step is missing from the translation',
      '16 demo/persist-zh: step does not exist in the English page',
    ]);
    put(zh(), '---\ntitle: 空\n---\n');
    expect(differences()).toEqual(['1 demo/null: missing from the translation (declared in docs/guides/demo.md)']);
  });
  it('compares every step field except the translatable ones', () => {
    const enPage = extractPage('en.md', english);
    const step = enPage.runbooks[0].steps[0];
    const fields = Object.keys(step).filter((f) => !TRANSLATABLE_STEP_FIELDS.has(f as keyof typeof step));
    expect(fields.length).toBeGreaterThan(10);
    for (const field of fields) {
      const zhPage = extractPage('zh.md', english);
      Object.assign(zhPage.runbooks[0].steps[0], {[field]: field === 'id' ? 'renamed' : ['a changed value']});
      expect(compareTranslationPages(enPage, zhPage), field).not.toEqual([]);
    }
    const zhPage = extractPage('zh.md', english);
    Object.assign(zhPage.runbooks[0].steps[0], {line: 99, reason: '译文'});
    expect(compareTranslationPages(enPage, zhPage)).toEqual([]);
  });
});

describe('docs:coverage', () => {
  it('counts CI, manual and diagram blocks per page and fails on an unannotated block', () => {
    const complete = coverageReport(extractDocs(root));
    expect(complete.complete).toBe(true);
    expect(complete.text).toMatch(/^docs\/guides\/demo\.md +2 +1 +0 +0$/m);
    expect(complete.text).toMatch(/^total +4 +2 +0 +0$/m);
    expect(complete.text).toContain('docs/guides/demo.md:21: sample output');
    put(en(), `${english}\n${F}mermaid\ngraph TD\n${F}\n\n${F}bash\necho unclassified\n${F}\n`);
    const incomplete = coverageReport(extractDocs(root));
    expect(incomplete.complete).toBe(false);
    expect(incomplete.text).toMatch(/^docs\/guides\/demo\.md +2 +1 +1 +1$/m);
    expect(incomplete.text).toContain('docs/guides/demo.md:29: ```bash block has no runbook=');
  });
});

describe('npm run runbooks', () => {
  it('is reproducible: the same bytes on every run, LF line ends, no timestamps', async () => {
    const plans = extractDocs(root).runbooks;
    const first = await renderRunbooks(plans);
    const second = await renderRunbooks(plans);
    expect([...second]).toEqual([...first]);
    for (const [file, text] of first) {
      expect(text, file).not.toContain('\r');
      expect(text, file).not.toMatch(/20\d\d-\d\d-\d\dT/);
    }
  });

  it.concurrent.each([
    [[], 'missing command'],
    [['bogus'], 'unknown command "bogus"'],
    [['check', 'extra'], 'unexpected argument "extra"'],
    [['write', '--force'], 'unknown option --force'],
    [['--json', 'coverage'], 'unknown option --json'],
  ])('exits 2 on %j, naming it, then the usage, before doing anything', async (args, problem) => {
    const result = await runClient(process.execPath, [await bundledEntry('src/extraction/cli.mts'), ...args], process.env, 60_000, process.cwd());
    expect(result).toMatchObject({code: 2, stdout: ''});
    expect(result.stderr).toBe(`runbooks: ${problem}\nusage: tsx src/extraction/cli.mts write|check|coverage\n`);
  });
});

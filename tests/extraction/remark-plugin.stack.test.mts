// The site's remark plugin (src/extraction/remark-validate-annotations.mts): through the MDX
// compiler, and in a real `docusaurus build` of a one-page site, a wrong annotation fails the
// compile naming page:line, and a correct page compiles.
import {mkdtemp, mkdir, readFile, rm, symlink, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {compile} from '@mdx-js/mdx';
import {VFile} from 'vfile';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import remarkValidateAnnotations from '../../src/extraction/remark-validate-annotations.mts';
import {run} from '../kit/processes.mts';

const REPO = resolve(import.meta.dirname, '../..');
const PLUGIN = join(REPO, 'src/extraction/remark-validate-annotations.mts');
const BROKEN = '---\nrunbooks:\n  r:\n    title: T\n---\n# Home\n\n<details>\n```bash runbook=r step=a timeot=3s\ntrue\n```\n</details>\n';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'remark-annotations-'));
});
afterAll(async () => {
  await rm(dir, {recursive: true, force: true});
});

async function compilePage(name: string, text: string): Promise<void> {
  const path = join(dir, name);
  await writeFile(path, text);
  await compile(new VFile({path, cwd: dir, value: text}), {remarkPlugins: [remarkValidateAnnotations]});
}

describe('remark-validate-annotations', () => {
  it('lets a correct page compile (a step inside <TabItem> with no blank line)', async () => {
    const fixture = await readFile(join(REPO, 'tests/extraction/fixtures/jsx-tabs/input.md'), 'utf8');
    await expect(compilePage('tabs.mdx', fixture.replace(/^import .*$/gm, ''))).resolves.toBeUndefined();
  });

  it('fails the MDX compile of a page with a wrong annotation, naming page:line', async () => {
    await expect(compilePage('broken.md', BROKEN)).rejects.toThrow('broken.md:9: unknown attribute "timeot" in the fence meta');
  });

  it('fails a real docusaurus build with page:line', {timeout: 180_000}, async () => {
    const site = join(dir, 'site');
    await mkdir(join(site, 'docs'), {recursive: true});
    await symlink(join(REPO, 'node_modules'), join(site, 'node_modules'));
    await writeFile(join(site, 'package.json'), '{"private": true}\n');
    await writeFile(join(site, 'docusaurus.config.ts'), [
      `import remarkValidateAnnotations from ${JSON.stringify(PLUGIN)};`,
      // The site's pipeline (Rspack, SWC, MDX) without what this failing build never reaches or keeps:
      // persistent cache, git history, sitemap, SVG plugin; and --no-minify below.
      "export default {title: 'Fixture', url: 'http://127.0.0.1', baseUrl: '/',",
      "  future: {v4: true, faster: {rspackPersistentCache: false, gitEagerVcs: false}},",
      "  presets: [['classic', {docs: {routeBasePath: '/', remarkPlugins: [remarkValidateAnnotations]}, blog: false, pages: false, sitemap: false, svgr: false, theme: {}}]]};",
    ].join('\n'));
    await writeFile(join(site, 'docs/index.md'), BROKEN);
    const failure = await run(process.execPath, [join(REPO, 'node_modules/@docusaurus/core/bin/docusaurus.mjs'), 'build', '--no-minify'],
      {cwd: site, env: {...process.env, NODE_ENV: 'production'}});
    expect(failure.code, 'the build succeeded despite the wrong annotation').toBe(1);
    expect(`${failure.stdout}${failure.stderr}`).toContain('docs/index.md:9: unknown attribute "timeot" in the fence meta');
  });
});

// The Chinese pages follow the glossary of docs/contributing/translating.md (no rejected variant in
// their prose or front matter) and keep each paragraph on one source line (a line break next to
// Chinese text renders as a stray space in some browsers).
import * as fs from 'node:fs';
import * as path from 'node:path';
import {describe, expect, it} from 'vitest';
import {listPages} from '../../src/extraction/docs.mts';
import {hardWraps, proseLines} from './zh-prose.mts';
import {splitFrontMatter} from '../../src/site-layout/front-matter.mts';

const REPO = path.resolve(import.meta.dirname, '../..');
const zhPages = listPages(REPO).filter((p) => p.locale === 'zh-Hans');
const read = (file: string) => fs.readFileSync(path.join(REPO, file), 'utf8');

// Rejected variant → the glossary's term. The glossary table itself names them, so it is skipped.
const REJECTED: Record<string, string> = {
  运行手册: 'runbook',
  操作手册: 'runbook',
  回应: '响应',
  启动文件: 'shell 配置文件',
  透传缓存: '拉取缓存',
  旁加载: '离线导入',
  太长不看: '(rewrite)',
  倾倒: '(rewrite)',
  蒙混过关: '(rewrite)',
  锦上添花: '(rewrite)',
  偏偏: '(rewrite)',
  '说的是 HTTP': '(rewrite)',
  缓存就热: '(rewrite)',
  服务端: '服务 / 服务器',
  kernel: '内核',
  // Bare 镜像 for a package mirror (镜像 alone is a container image).
  镜像和代理: '镜像源和代理',
  或镜像获取: '或镜像源获取',
  // One title per section: the heading of option B is 缓存加镜像站.
  镜像源与缓存: 'Hugging Face 缓存加镜像站',
};

export function glossaryViolations(source: string): string[] {
  const lines = source.split('\n');
  const checked = [
    ...lines.slice(0, splitFrontMatter(source).lines).map((text, i) => ({line: i + 1, text})),
    ...proseLines(source),
  ];
  const glossaryRows = new Set<number>();
  let inGlossary = false;
  lines.forEach((text, i) => {
    if (/^## /.test(text)) inGlossary = /#glossary/.test(text);
    if (inGlossary) glossaryRows.add(i + 1);
  });
  return checked.filter((l) => !glossaryRows.has(l.line)).flatMap((l) =>
    Object.entries(REJECTED).filter(([bad]) => l.text.includes(bad)).map(([bad, good]) => `${l.line}: ${bad} → ${good}: ${l.text.trim()}`));
}

describe('Chinese pages', () => {
  it('there are Chinese pages to check', () => {
    expect(zhPages.length).toBeGreaterThan(3);
  });

  it.each(zhPages.map((p) => p.file))('%s uses the glossary terms', (file) => {
    expect(glossaryViolations(read(file))).toEqual([]);
  });

  it.each(zhPages.map((p) => p.file))('%s has no hard-wrapped Chinese paragraph', (file) => {
    expect(hardWraps(read(file)).map((l) => `${l.line}: ${l.text}`)).toEqual([]);
  });

  it.each(['docusaurus-theme-classic/navbar.json', 'docusaurus-theme-classic/footer.json', 'docusaurus-plugin-content-docs/current.json'])(
    'i18n/zh-Hans/%s (navbar, footer, sidebar) uses the glossary terms', (file) => {
      const messages = Object.values(JSON.parse(read(`i18n/zh-Hans/${file}`)) as Record<string, {message: string}>).map((m) => m.message);
      expect(messages.flatMap((m) => Object.keys(REJECTED).filter((bad) => m.includes(bad)).map((bad) => `${bad}: ${m}`))).toEqual([]);
    });

  it('the checks catch what they are for', () => {
    expect(glossaryViolations('---\ntitle: 运行手册\n---\n\n服务的回应很慢。\n\n```bash\n# 启动文件\n```\n')).toEqual([
      '2: 运行手册 → runbook: title: 运行手册',
      '5: 回应 → 响应: 服务的回应很慢。',
    ]);
    expect(glossaryViolations('重启 Jupyter 服务端，只重启 kernel 不够。\n\n这样缓存就热了。\n')).toEqual([
      '1: 服务端 → 服务 / 服务器: 重启 Jupyter 服务端，只重启 kernel 不够。',
      '1: kernel → 内核: 重启 Jupyter 服务端，只重启 kernel 不够。',
      '3: 缓存就热 → (rewrite): 这样缓存就热了。',
    ]);
    expect(hardWraps('第一行没有写完，\n接着写在第二行。\n\n- 列表\n- 列表\n\nEnglish line\nwrapped here.\n').map((l) => l.line)).toEqual([1]);
  });
});

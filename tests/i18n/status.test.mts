// Translation status computed from real git repositories in temp dirs.
import {afterEach, describe, expect, it} from 'vitest';
import {analyzeRepository, analyzeTranslation} from '../../src/i18n/status.mts';
import {createRepo, createTranslatedRepo, englishPage, openRepo, translation, ZH, type TestRepo} from './git-repo.mts';

const repos: TestRepo[] = [];
afterEach(async () => {
  await Promise.all(repos.splice(0).map((repo) => repo.remove()));
});
async function translatedRepo() {
  const made = await createTranslatedRepo();
  repos.push(made.repo);
  return made;
}
const codes = (status: {problems: {code: string}[]}) => status.problems.map((p) => p.code);

describe('analyzeTranslation', () => {
  it('a fresh translation is not outdated and has no problems', async () => {
    const {repo, sourceCommit} = await translatedRepo();
    const status = await analyzeTranslation(repo.dir, 'zh-Hans', 'guide.md');
    expect(status).toMatchObject({state: 'translated', outdated: false, commitsSince: 0, linesAdded: 0, linesRemoved: 0, changedSections: []});
    expect(status.meta?.source_commit).toBe(sourceCommit);
    expect(status.problems).toEqual([]);
  });

  it('an edited source makes the translation outdated and names the changed section', async () => {
    const {repo} = await translatedRepo();
    await repo.write('docs/guide.md', englishPage('Guide', {Setup: 'Run `setup --all`.', Usage: 'Use it.'}));
    await repo.commit('Edit setup');
    const status = await analyzeTranslation(repo.dir, 'zh-Hans', 'guide.md');
    expect(status).toMatchObject({outdated: true, commitsSince: 1, linesAdded: 1, linesRemoved: 1, changedSections: ['Setup']});
    expect(codes(status)).toEqual(['outdated-flag-lies']);
    expect(status.problems[0].message).toContain('should be outdated: true');
  });

  it('whitespace-only and front-matter-only edits do not count', async () => {
    const {repo} = await translatedRepo();
    const original = englishPage('Guide', {Setup: 'Run `setup`.', Usage: 'Use it.'});
    const reflowed = original
      .replace('title: Guide', 'title: Guide\nsidebar_position: 3')
      .replace('Intro text.', '  Intro   text.   \n\n\n')
      .replace(/\n/g, '\r\n');
    await repo.write('docs/guide.md', reflowed);
    await repo.commit('Whitespace and front matter only');
    const status = await analyzeTranslation(repo.dir, 'zh-Hans', 'guide.md');
    expect(status).toMatchObject({outdated: false, commitsSince: 1, linesAdded: 0, linesRemoved: 0});
    expect(status.problems).toEqual([]);
  });

  it('follows a renamed source back to its content at source_commit', async () => {
    const {repo, sourceCommit} = await translatedRepo();
    await repo.git('mv', 'docs/guide.md', 'docs/manual.md');
    await repo.git('mv', `${ZH}/guide.md`, `${ZH}/manual.md`);
    await repo.write(`${ZH}/manual.md`, translation('docs/manual.md', sourceCommit, false));
    await repo.commit('Rename guide to manual');
    const renamed = await analyzeTranslation(repo.dir, 'zh-Hans', 'manual.md');
    expect(renamed).toMatchObject({outdated: false, commitsSince: 1});
    expect(renamed.problems).toEqual([]);

    await repo.write('docs/manual.md', englishPage('Guide', {Setup: 'Run `setup`.', Usage: 'Use it twice.'}));
    await repo.commit('Edit usage');
    const edited = await analyzeTranslation(repo.dir, 'zh-Hans', 'manual.md');
    expect(edited).toMatchObject({outdated: true, commitsSince: 2, changedSections: ['Usage']});
  });

  it('an unknown commit is a problem that says what to fetch', async () => {
    const {repo} = await translatedRepo();
    await repo.write(`${ZH}/guide.md`, translation('docs/guide.md', 'deadbee', false));
    const status = await analyzeTranslation(repo.dir, 'zh-Hans', 'guide.md');
    expect(codes(status)).toEqual(['unknown-commit']);
    expect(status.problems[0].message).toContain('git fetch origin deadbee');
    expect(status.outdated).toBeUndefined();
  });

  it('a commit that is not an ancestor of HEAD is a problem', async () => {
    const {repo} = await translatedRepo();
    await repo.git('switch', '-q', '-c', 'side');
    await repo.write('docs/guide.md', englishPage('Guide', {Setup: 'Side branch.'}));
    const sideCommit = await repo.commit('Side edit');
    await repo.git('switch', '-q', 'main');
    await repo.write(`${ZH}/guide.md`, translation('docs/guide.md', sideCommit, false));
    const status = await analyzeTranslation(repo.dir, 'zh-Hans', 'guide.md');
    expect(codes(status)).toEqual(['not-ancestor']);
    expect(status.problems[0].message).toContain(sideCommit);
  });

  it('in a shallow clone a commit outside the history is a gap to fetch, never an answer', async () => {
    const {repo} = await translatedRepo();
    const clone = await openRepo(`${repo.dir}-shallow`);
    repos.push(clone);
    await repo.git('clone', '-q', '--depth', '1', `file://${repo.dir}`, clone.dir);
    expect((await clone.git('rev-parse', '--is-shallow-repository')).trim()).toBe('true');
    const status = await analyzeTranslation(clone.dir, 'zh-Hans', 'guide.md');
    expect(status.historyGap).toContain('git fetch --unshallow');
    expect(status.outdated).toBeUndefined();
    expect(status.problems).toEqual([]);
  });

  it('malformed front matter is named precisely', async () => {
    const {repo} = await translatedRepo();
    const cases: [string, string][] = [
      ['# no front matter\n', 'no front matter'],
      ['---\ntitle: [unclosed\n---\n', 'not valid YAML'],
      ['---\ntitle: x\n---\n', 'no `translation:` block'],
      ['---\ntranslation:\n  source_commit: 1234567\n  source_file: "docs/guide.md"\n  outdated: false\n---\n', 'must be a quoted string'],
      ['---\ntranslation:\n  source_commit: "abc"\n  source_file: "docs/guide.md"\n  outdated: false\n---\n', 'not a 7-40 digit'],
      ['---\ntranslation:\n  source_commit: "abcdef1"\n  source_file: "docs/guide.md"\n  outdated: "no"\n---\n', 'must be true or false'],
      ['---\ntranslation:\n  source_commit: "abcdef1"\n  source_file: "docs/guide.md"\n  outdate: false\n---\n', 'unknown key(s) under translation: outdate'],
    ];
    for (const [text, message] of cases) {
      await repo.write(`${ZH}/guide.md`, text);
      const status = await analyzeTranslation(repo.dir, 'zh-Hans', 'guide.md');
      expect(codes(status), text).toEqual(['malformed-front-matter']);
      expect(status.problems[0].message, text).toContain(message);
    }
  });

  it('an `outdated: true` that is no longer true is a lie', async () => {
    const {repo, sourceCommit} = await translatedRepo();
    await repo.write('docs/guide.md', englishPage('Guide', {Setup: 'Changed.', Usage: 'Use it.'}));
    await repo.commit('Edit');
    await repo.write(`${ZH}/guide.md`, translation('docs/guide.md', sourceCommit, true));
    await repo.commit('Mark outdated');
    expect(codes(await analyzeTranslation(repo.dir, 'zh-Hans', 'guide.md'))).toEqual([]);
    await repo.write('docs/guide.md', englishPage('Guide', {Setup: 'Run `setup`.', Usage: 'Use it.'}));
    await repo.commit('Revert the edit');
    const status = await analyzeTranslation(repo.dir, 'zh-Hans', 'guide.md');
    expect(status).toMatchObject({outdated: false, commitsSince: 2});
    expect(codes(status)).toEqual(['outdated-flag-lies']);
  });

  it('a source_file that is not the page\'s English source is a problem', async () => {
    const {repo, sourceCommit} = await translatedRepo();
    await repo.write(`${ZH}/guide.md`, translation('docs/other.md', sourceCommit, false));
    expect(codes(await analyzeTranslation(repo.dir, 'zh-Hans', 'guide.md'))).toEqual(['wrong-source-file']);
  });
});

describe('analyzeRepository', () => {
  it('reports missing translations, allowed ones, orphans and stale config entries', async () => {
    const repo = await createRepo(['allowed.md', 'gone.md']);
    repos.push(repo);
    await repo.write('docs/missing.md', englishPage('Missing', {}));
    await repo.write('docs/allowed.md', englishPage('Allowed', {}));
    await repo.write('docs/_partial.md', 'Not a page.\n');
    const commit = await repo.commit('pages');
    await repo.write(`${ZH}/orphan.md`, translation('docs/orphan.md', commit, false));
    const statuses = await analyzeRepository(repo.dir);
    const byPage = Object.fromEntries(statuses.map((s) => [s.page, {state: s.state, codes: codes(s)}]));
    expect(byPage).toEqual({
      'allowed.md': {state: 'missing-allowed', codes: []},
      'missing.md': {state: 'missing', codes: ['missing-translation']},
      'orphan.md': {state: 'orphan', codes: ['no-source']},
      'gone.md': {state: 'missing-allowed', codes: ['stale-config']},
    });
  });
});

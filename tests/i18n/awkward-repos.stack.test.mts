// The i18n CLI on awkward repositories (issue 15): non-ASCII, space- and glob-containing file names,
// a detached HEAD, merge commits, a dirty tree. Each command either works or exits with its
// documented code (docs/contributing/translating.md) and one line per finding.
import {afterAll, describe, expect, it} from 'vitest';
import {createRepo, createTranslatedRepo, englishPage, translation, ZH, type TestRepo} from './git-repo.mts';

const repos: TestRepo[] = [];
afterAll(() => Promise.all(repos.map((repo) => repo.remove())));
const track = <T extends {repo: TestRepo}>(made: T): T => {
  repos.push(made.repo);
  return made;
};

const lines = (text: string) => text.split('\n').filter(Boolean);

describe('i18n CLI on awkward repositories', () => {
  it('follows a page whose non-ASCII, space- and glob-containing name was renamed (git quotes such paths unless told not to)', async () => {
    const repo = await createRepo(['指南 [beta]/代理 设置 notes.md']);
    repos.push(repo);
    const before = 'docs/代理 设置.md';
    const after = 'docs/指南 [beta]/代理 设置 *.md';
    const sibling = 'docs/指南 [beta]/代理 设置 notes.md'; // matches `after` read as a glob
    await repo.write(before, englishPage('代理', {Setup: 'Run `setup`.', Usage: 'Use it.'}));
    const source = await repo.commit('English page with a non-ASCII name');
    await repo.write(`${ZH}/代理 设置.md`, translation(before, source, false));
    await repo.commit('Its translation');
    // Renamed (git sees it as a rename: most lines are unchanged) and edited in one commit. The
    // translation moves with its page and says so; its flag stays false, which is now a lie.
    await repo.write(after, (await repo.read(before)).toString().replace('Use it.', 'Use it differently.'));
    await repo.git('rm', '-q', before, `${ZH}/代理 设置.md`);
    await repo.write(`${ZH}/指南 [beta]/代理 设置 *.md`, translation(after, source, false));
    const renamed = await repo.commit('Rename and edit');
    await repo.write(sibling, englishPage('Notes', {Notes: 'A later page that matches the glob.'}));
    await repo.commit('A sibling page');

    const status = await repo.cli('status', '--json');
    expect(status.code).toBe(0);
    const row = JSON.parse(status.stdout).find((r: {englishFile: string}) => r.englishFile === after);
    expect(row).toMatchObject({englishFile: after, state: 'translated', outdated: true, commitsSince: 1, linesAdded: 1, linesRemoved: 1, changedSections: ['Usage']});
    expect(row.problems.map((p: {code: string}) => p.code)).toEqual(['outdated-flag-lies']);

    const check = await repo.cli('check');
    expect(check.code).toBe(1);
    expect(lines(check.stderr)[0]).toMatch(new RegExp(`^${ZH}/指南 \\[beta\\]/代理 设置 \\*\\.md: outdated: false is not true.*\\[outdated-flag-lies\\]$`));

    const accepted = await repo.cli('sync', '--accept', after);
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toContain(`${ZH}/指南 [beta]/代理 设置 *.md: accepted as a translation of ${renamed}`);
    await repo.commit('Accept');
    expect(await repo.cli('check')).toMatchObject({code: 0, stdout: 'i18n:check: 1 translation(s) consistent\n'});
  });

  it('works on a detached HEAD', async () => {
    const {repo} = track(await createTranslatedRepo());
    await repo.write('docs/guide.md', englishPage('Guide', {Setup: 'Run `setup --now`.', Usage: 'Use it.'}));
    await repo.commit('Edit setup');
    await repo.git('checkout', '-q', '--detach', 'HEAD');
    expect(await repo.cli('check')).toMatchObject({code: 1});
    const synced = await repo.cli('sync');
    expect(synced).toMatchObject({code: 0, stdout: expect.stringContaining(`${ZH}/guide.md: outdated: true`)});
    expect(await repo.cli('check')).toMatchObject({code: 0});
    const accepted = await repo.cli('sync', '--accept', 'guide.md');
    expect(accepted.code).toBe(0);
    expect((await repo.cli('status', '--json')).stdout).toContain('"outdated": false');
  });

  it('follows history through merge commits, including a merge that edits the page itself', async () => {
    const {repo, sourceCommit} = track(await createTranslatedRepo());
    await repo.git('switch', '-q', '-c', 'side');
    await repo.write('docs/guide.md', englishPage('Guide', {Setup: 'Run `setup` on the side.', Usage: 'Use it.'}));
    await repo.commit('Side edit');
    await repo.git('switch', '-q', 'main');
    await repo.write('docs/guide.md', englishPage('Guide', {Setup: 'Run `setup` on main.', Usage: 'Use it.'}));
    await repo.commit('Main edit');
    // Both branches edit the same line: the merge commit's resolution is itself a change to the page.
    await repo.git('merge', '-q', 'side', '-m', 'Merge side').catch(() => undefined);
    await repo.write('docs/guide.md', englishPage('Guide', {Setup: 'Run `setup` anywhere.', Usage: 'Use it.'}));
    const merge = await repo.commit('Merge side');
    expect((await repo.git('rev-list', '--parents', '-n', '1', 'HEAD')).trim().split(' ')).toHaveLength(3);

    const [row] = JSON.parse((await repo.cli('status', '--json')).stdout);
    expect(row).toMatchObject({state: 'translated', outdated: true, changedSections: ['Setup'], meta: {source_commit: sourceCommit}});
    const accepted = await repo.cli('sync', '--accept', 'docs/guide.md');
    expect(accepted).toMatchObject({code: 0, stdout: expect.stringContaining(`accepted as a translation of ${merge}`)});
    await repo.commit('Accept');
    expect(await repo.cli('check')).toMatchObject({code: 0});
  });

  it('reports a source commit left on an unmerged branch as one problem line (exit 1)', async () => {
    const {repo} = track(await createTranslatedRepo());
    await repo.git('switch', '-q', '-c', 'side');
    await repo.write('docs/guide.md', englishPage('Guide', {Setup: 'Side.', Usage: 'Use it.'}));
    const side = await repo.commit('Side edit');
    await repo.git('switch', '-q', 'main');
    await repo.write(`${ZH}/guide.md`, translation('docs/guide.md', side, false));
    await repo.commit('Translation pointing at the side branch');
    const check = await repo.cli('check');
    expect(check.code).toBe(1);
    expect(lines(check.stderr)).toEqual([
      `${ZH}/guide.md: source_commit ${side} is not an ancestor of HEAD (it is on another branch or was rewritten) [not-ancestor]`,
      'i18n:check: 1 problem(s); `npm run i18n:status` shows the details',
    ]);
  });

  it('on a dirty tree: status and sync read pages as they are on disk; --accept refuses with exit 2 and one line', async () => {
    const {repo} = track(await createTranslatedRepo());
    await repo.write('docs/guide.md', englishPage('Guide', {Setup: 'Uncommitted edit.', Usage: 'Use it.'}));
    const [row] = JSON.parse((await repo.cli('status', '--json')).stdout);
    expect(row).toMatchObject({outdated: true, changedSections: ['Setup']});
    const accepted = await repo.cli('sync', '--accept', 'docs/guide.md');
    expect(accepted.code).toBe(2);
    expect(lines(accepted.stderr)).toEqual(['i18n: docs/guide.md has uncommitted changes: commit the English page first, then accept its translation']);
    // An uncommitted translation is the usual state before --accept: it works.
    await repo.git('checkout', '-q', '--', 'docs/guide.md');
    await repo.write(`${ZH}/guide.md`, translation('docs/guide.md', 'HEAD~1', true, '# 页面\n\n改过的正文。\n'));
    expect(await repo.cli('sync', '--accept', 'docs/guide.md')).toMatchObject({code: 0});
    expect(await repo.cli('check')).toMatchObject({code: 0});
  });

  it('refuses to accept a page that was never committed: exit 2, one line', async () => {
    const {repo} = track(await createTranslatedRepo());
    await repo.write('docs/new page.md', englishPage('New', {Intro: 'x'}));
    await repo.write(`${ZH}/new page.md`, translation('docs/new page.md', 'HEAD', false));
    const accepted = await repo.cli('sync', '--accept', 'docs/new page.md');
    expect(accepted.code).toBe(2);
    expect(lines(accepted.stderr)).toHaveLength(1);
    expect(accepted.stderr).toMatch(/^i18n: docs\/new page\.md (has uncommitted changes|is not committed)/);
  });
});

// The i18n CLI as CI and contributors run it: messages naming the page, documented exit codes.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createTranslatedRepo, englishPage, openRepo, translation, ZH, type TestRepo} from './git-repo.mts';

let repo: TestRepo;
let sourceCommit: string;
const cleanup: TestRepo[] = [];
beforeAll(async () => {
  ({repo, sourceCommit} = await createTranslatedRepo());
  cleanup.push(repo);
});
afterAll(async () => {
  await Promise.all(cleanup.map((r) => r.remove()));
});

describe('i18n CLI', () => {
  it('check passes (exit 0) on a consistent repository and status shows a fresh row', async () => {
    expect(await repo.cli('check')).toMatchObject({code: 0, stdout: expect.stringContaining('1 translation(s) consistent')});
    const status = await repo.cli('status');
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`docs/guide.md +\\| zh-Hans \\| translated, fresh +\\| ${sourceCommit}`));
  });

  it('check fails (exit 1) naming the page whose flag lies; sync fixes it; check passes again', async () => {
    await repo.write('docs/guide.md', englishPage('Guide', {Setup: 'Run `setup`.', Usage: 'Use it differently.'}));
    await repo.commit('Edit usage');
    const failed = await repo.cli('check');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`${ZH}/guide.md: outdated: false is not true`);
    expect((await repo.cli('status')).stdout).toMatch(/translated, OUTDATED +\| \w+ +\| 1 +\| \+1\/-1 +\| Usage +\| outdated: false \(LIE: should be true\)/);

    const synced = await repo.cli('sync');
    expect(synced).toMatchObject({code: 0, stdout: expect.stringContaining(`${ZH}/guide.md: outdated: true`)});
    expect(await repo.cli('check')).toMatchObject({code: 0});
  });

  it('exits 3 in a shallow clone, telling what to fetch', async () => {
    const clone = await openRepo(`${repo.dir}-shallow`);
    cleanup.push(clone);
    await repo.git('clone', '-q', '--depth', '1', `file://${repo.dir}`, clone.dir);
    const result = await clone.cli('check');
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`${ZH}/guide.md: source_commit ${sourceCommit} is not in this shallow clone: run \`git fetch --unshallow\``);
  });

  it.each([
    [[], 'missing command'],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['check', '--json'], 'unknown option --json'],
    [['status', 'extra'], 'unexpected argument "extra"'],
    [['status', '--json=yes'], '--json takes no value'],
    [['sync', '--accept'], '--accept needs a value'],
    [['sync', '--accept', '--undo'], '--accept needs a value'],
    [['sync', '--undo', '--accept', 'docs/guide.md'], '--undo takes no other option'],
    [['sync', '--locale', 'zh-Hans'], '--locale goes with --accept'],
  ])('exits 2 on %j with the problem, then the usage, changing nothing', async (args, problem) => {
    const before = await repo.git('status', '--porcelain', '--ignored');
    const result = await repo.cli(...args);
    expect(result).toMatchObject({code: 2, stdout: ''});
    expect(result.stderr.split('\n')).toEqual([`i18n: ${problem}`, expect.stringMatching(/^usage: cli.mts status \[--json\] \| check \| sync /), '']);
    expect(await repo.git('status', '--porcelain', '--ignored')).toBe(before);
  });

  it('exits 2 outside a git work tree with one line', async () => {
    const outside = await openRepo('/');
    expect(await outside.cli('check')).toMatchObject({code: 2, stderr: 'i18n: / is not inside a git work tree\n'});
  });

  it('--accept takes a docs-relative page and records a fresh translation', async () => {
    await repo.write(`${ZH}/guide.md`, translation('docs/guide.md', sourceCommit, true));
    const accepted = await repo.cli('sync', '--accept', 'docs/guide.md');
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toContain(`${ZH}/guide.md: accepted as a translation of`);
    expect(await repo.cli('check')).toMatchObject({code: 0});
  });
});

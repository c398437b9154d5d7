// i18n:sync and --accept on real repositories: byte-exact edits, backups, undo, idempotence.
import {afterEach, describe, expect, it} from 'vitest';
import {readdir} from 'node:fs/promises';
import {join} from 'node:path';
import {setTranslationFields} from '../../src/i18n/front-matter-edit.mts';
import {analyzeRepository} from '../../src/i18n/status.mts';
import {acceptTranslation, syncOutdatedFlags} from '../../src/i18n/sync.mts';
import {undoLastRun, BACKUP_DIR} from '../../src/i18n/file-write.mts';
import {createTranslatedRepo, englishPage, ZH, type TestRepo} from './git-repo.mts';

const repos: TestRepo[] = [];
afterEach(async () => {
  await Promise.all(repos.splice(0).map((repo) => repo.remove()));
});

/** Splits bytes into lines (keeping CR) so a test can say exactly which lines differ. */
function byteLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, start)) {
    lines.push(bytes.subarray(start, i + 1));
    start = i + 1;
  }
  lines.push(bytes.subarray(start));
  return lines;
}
function differingLines(a: Buffer, b: Buffer): number[] {
  const [la, lb] = [byteLines(a), byteLines(b)];
  expect(lb.length).toBe(la.length);
  return la.flatMap((line, i) => (line.equals(lb[i]) ? [] : [i]));
}

// CRLF endings, a BOM-free UTF-8 body, a comment after the flag, unusual spacing: all must survive.
const TRICKY = Buffer.from(
  '---\r\ntitle: "指南"\r\ntranslation:\r\n  source_commit: "SHA"\r\n  source_file: "docs/guide.md"   # 来源\r\n' +
  '  outdated:   false  # 由 i18n:sync 维护\r\nsidebar_position: 2\r\n---\r\n\r\n# 指南\r\n\r\n正文，\tno trailing newline', 'utf8');

describe('i18n:sync', () => {
  it('rewrites only the lying `outdated:` line, byte for byte, and can be undone', async () => {
    const {repo, sourceCommit} = await createTranslatedRepo();
    repos.push(repo);
    const original = Buffer.from(TRICKY.toString('utf8').replace('SHA', sourceCommit), 'utf8');
    await repo.write(`${ZH}/guide.md`, original);
    await repo.write('docs/guide.md', englishPage('Guide', {Setup: 'Run `setup --now`.', Usage: 'Use it.'}));
    await repo.commit('Edit English, keep translation');

    const result = await syncOutdatedFlags(repo.dir, await analyzeRepository(repo.dir));
    expect(result.rewritten).toEqual([{file: `${ZH}/guide.md`, outdated: true}]);
    const synced = await repo.read(`${ZH}/guide.md`);
    expect(differingLines(original, synced)).toEqual([5]);
    expect(byteLines(synced)[5].toString('utf8')).toBe('  outdated:   true  # 由 i18n:sync 维护\r\n');
    expect(synced.length - original.length).toBe(-1); // "false" -> "true", nothing else

    const again = await syncOutdatedFlags(repo.dir, await analyzeRepository(repo.dir));
    expect(again).toEqual({rewritten: [], failed: []});
    expect((await repo.read(`${ZH}/guide.md`)).equals(synced)).toBe(true);

    expect(await undoLastRun(repo.dir)).toEqual([`${ZH}/guide.md`]);
    expect((await repo.read(`${ZH}/guide.md`)).equals(original)).toBe(true);
    expect(await readdir(join(repo.dir, BACKUP_DIR))).toEqual([]);
  });

  it('refuses, with a reason, a flag it cannot rewrite on its own line', async () => {
    const flow = Buffer.from('---\ntranslation: {source_commit: "abcdef1", source_file: "docs/a.md", outdated: false}\n---\n');
    expect(() => setTranslationFields(flow, {outdated: true})).toThrow('not written as a block');
  });
});

describe('i18n:sync --accept', () => {
  it('records the English file\'s last commit and outdated: false, changing only those lines', async () => {
    const {repo} = await createTranslatedRepo();
    repos.push(repo);
    await repo.write('docs/guide.md', englishPage('Guide', {Setup: 'New setup.', Usage: 'Use it.'}));
    const editCommit = await repo.commit('Edit English');
    const stale = Buffer.from((await repo.read(`${ZH}/guide.md`)).toString('utf8').replace('outdated: false', 'outdated: true'));
    await repo.write(`${ZH}/guide.md`, stale);
    await repo.commit('Flag outdated');

    const accepted = await acceptTranslation(repo.dir, 'zh-Hans', 'guide.md');
    expect(accepted.commit).toBe(editCommit);
    const after = await repo.read(`${ZH}/guide.md`);
    expect(differingLines(stale, after)).toEqual([3, 5]);
    expect(after.toString('utf8')).toContain(`source_commit: "${editCommit}"`);
    const [status] = await analyzeRepository(repo.dir);
    expect(status).toMatchObject({outdated: false, problems: []});

    const second = await acceptTranslation(repo.dir, 'zh-Hans', 'guide.md');
    expect(second.backupRun).toBeUndefined();
    expect((await repo.read(`${ZH}/guide.md`)).equals(after)).toBe(true);
  });

  it('adds the translation block to a new translation', async () => {
    const {repo} = await createTranslatedRepo();
    repos.push(repo);
    await repo.write(`${ZH}/guide.md`, '---\ntitle: 指南\n---\n\n# 指南\n');
    const {commit} = await acceptTranslation(repo.dir, 'zh-Hans', 'guide.md');
    expect((await repo.read(`${ZH}/guide.md`)).toString('utf8')).toBe(
      `---\ntitle: 指南\ntranslation:\n  source_commit: "${commit}"\n  source_file: "docs/guide.md"\n  outdated: false\n---\n\n# 指南\n`);
  });

  it('refuses while the English page has uncommitted changes', async () => {
    const {repo} = await createTranslatedRepo();
    repos.push(repo);
    await repo.write('docs/guide.md', englishPage('Guide', {Setup: 'Uncommitted.'}));
    await expect(acceptTranslation(repo.dir, 'zh-Hans', 'guide.md')).rejects.toThrow('commit the English page first');
  });
});

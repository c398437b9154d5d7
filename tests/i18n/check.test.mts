// i18n:check also fails when a translation's runbook steps differ from its English source.
import {afterEach, expect, it} from 'vitest';
import {checkRepository} from '../../src/i18n/check.mts';
import {createRepo, translation, ZH, type TestRepo} from './git-repo.mts';

const repos: TestRepo[] = [];
afterEach(async () => {
  await Promise.all(repos.splice(0).map((repo) => repo.remove()));
});

const FRONT = 'runbooks:\n  demo:\n    title: Demo\n';
const block = (code: string) => '```bash runbook=demo step=greet kind=run\n' + code + '\n```\n';

it('names the page and step whose runbook code differs from the English page', async () => {
  const repo = await createRepo();
  repos.push(repo);
  await repo.write('docs/demo.md', `---\ntitle: Demo\n${FRONT}---\n\n# Demo\n\n${block('echo hello')}`);
  const commit = await repo.commit('English');
  const zh = (code: string) => translation('docs/demo.md', commit, false, `# 演示\n\n${block(code)}`).replace('---\ntitle', `---\n${FRONT}title`);

  await repo.write(`${ZH}/demo.md`, zh('echo hello'));
  const [same] = await checkRepository(repo.dir);
  expect(same.problems).toEqual([]);

  await repo.write(`${ZH}/demo.md`, zh('echo 你好'));
  const [differs] = await checkRepository(repo.dir);
  expect(differs.problems.map((p) => p.code)).toEqual(['steps-differ']);
  expect(differs.problems[0].message).toMatch(/runbook demo, step greet\): code differs from the English page/);
});

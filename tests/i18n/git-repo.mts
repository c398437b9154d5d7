// Throw-away git repositories laid out like this site (docs/, i18n/<locale>/…, translations config).
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {bundledEntry} from '../kit/bundled.mts';
import {run, runOk} from '../kit/processes.mts';

const CLI = 'src/i18n/cli.mts';
export const ZH = 'i18n/zh-Hans/docusaurus-plugin-content-docs/current';

// Commits made by the tests must not depend on the machine's git identity or signing setup.
const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.org',
  GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.org',
  GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1',
};

export interface TestRepo {
  dir: string;
  git(...args: string[]): Promise<string>;
  write(path: string, text: string | Buffer): Promise<void>;
  read(path: string): Promise<Buffer>;
  /** Commits everything and returns the new commit's abbreviated id. */
  commit(message: string): Promise<string>;
  /** Runs the i18n CLI in this repository (bundled: the same code as `tsx src/i18n/cli.mts`; CommonJS
   *  starts ≈ 20 ms sooner than an ES module of its 1.3 MB). */
  cli(...args: string[]): Promise<{code: number; stdout: string; stderr: string}>;
  remove(): Promise<void>;
}

export async function openRepo(dir: string): Promise<TestRepo> {
  const repo: TestRepo = {
    dir,
    git: (...args) => runOk('git', args, {cwd: dir, env: GIT_ENV}),
    async write(path, text) {
      await mkdir(dirname(join(dir, path)), {recursive: true});
      await writeFile(join(dir, path), text);
    },
    read: (path) => readFile(join(dir, path)),
    async commit(message) {
      await repo.git('add', '-A');
      await repo.git('commit', '-q', '--allow-empty', '-m', message);
      return (await repo.git('log', '-1', '--format=%h')).trim();
    },
    cli: async (...args) => run(process.execPath, [await bundledEntry(CLI, {format: 'cjs'}), ...args], {cwd: dir, env: GIT_ENV}),
    remove: () => rm(dir, {recursive: true, force: true}),
  };
  return repo;
}

/** A new repository holding the translations config (allowedMissing as given) and nothing else. */
export async function createRepo(allowedMissing: string[] = []): Promise<TestRepo> {
  const repo = await openRepo(await mkdtemp(join(tmpdir(), 'i18n-repo-')));
  await repo.git('init', '-q', '-b', 'main');
  await repo.write('i18n/translations.config.json',
    JSON.stringify({allowedMissing: {'zh-Hans': allowedMissing}}));
  return repo;
}

export const englishPage = (title: string, sections: Record<string, string>): string =>
  `---\ntitle: ${title}\n---\n\n# ${title}\n\nIntro text.\n\n` +
  Object.entries(sections).map(([heading, text]) => `## ${heading}\n\n${text}\n`).join('\n');

export const translation = (sourceFile: string, commit: string, outdated: boolean, body = '# 页面\n\n正文。\n'): string =>
  `---\ntitle: 页面\ntranslation:\n  source_commit: "${commit}"\n  source_file: "${sourceFile}"\n  outdated: ${outdated}\n---\n\n${body}`;

/** A repository with docs/guide.md committed and a fresh zh-Hans translation of it committed. */
export async function createTranslatedRepo(): Promise<{repo: TestRepo; sourceCommit: string}> {
  const repo = await createRepo();
  await repo.write('docs/guide.md', englishPage('Guide', {Setup: 'Run `setup`.', Usage: 'Use it.'}));
  const sourceCommit = await repo.commit('English guide');
  await repo.write(`${ZH}/guide.md`, translation('docs/guide.md', sourceCommit, false));
  await repo.commit('Chinese guide');
  return {repo, sourceCommit};
}

// The production build of this checkout's site, shared by the tests that need it: built once, then
// reused from a cache folder for as long as a hash of everything that feeds the build is unchanged.
// The key covers the content of every git-tracked or untracked-but-not-ignored file under the build's
// inputs (docs, translations, src, static, runbooks, config, lockfile), the git history of the pages
// (the translation banner reads it) and the Node version; change any of them and the next run builds
// afresh. Concurrent runs neither race nor build twice (./build-cache.mts).
import {createHash} from 'node:crypto';
import {sha256} from '../../src/io/hash.mts';
import {readFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {cachedBuild} from './build-cache.mts';
import {runOk} from './processes.mts';

const REPO_ROOT = join(import.meta.dirname, '..', '..');

/** What `docusaurus build` reads from the checkout (node_modules through package-lock.json). */
export const SITE_INPUTS = [
  'docs', 'i18n', 'src', 'static', 'runbooks',
  'docusaurus.config.ts', 'sidebars.ts', 'tsconfig.json', 'package.json', 'package-lock.json',
];

/**
 * The address the shared build is made for (SITE_URL, src/site-address): a name no resolver knows,
 * so only a proxy that maps it (Squid's hosts_file) reaches the pages and runbooks the build names
 * (tests/site/one-liner.stack.test.mts), and no page or runbook of it may name the placeholder.
 */
export const TEST_SITE_URL = 'http://llm-network-runbooks.test';

/** Bump when the way the build is made changes (its command line, its environment). */
const RECIPE = `docusaurus build, both locales, SITE_URL=${TEST_SITE_URL}, v2`;
/**
 * Hex digest of the inputs of a build of the git work tree `root`: every file git lists under
 * `inputs` (tracked, or untracked and not ignored) by path and content, the last commit touching
 * `historyPaths` (and whether the clone is shallow), and `recipe`.
 */
export async function inputsHash(root: string, inputs: string[], historyPaths: string[], recipe: string): Promise<string> {
  const git = (...args: string[]) => runOk('git', args, {cwd: root});
  const files = [...new Set((await git('ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', ...inputs)).split('\0').filter(Boolean))].sort();
  const hash = createHash('sha256').update(`${recipe}\0${process.version}\0`);
  for (const file of files) {
    // A tracked file deleted from the work tree is not part of the build: its absence is hashed.
    const content = await readFile(join(root, file)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    hash.update(`${file}\0${content === null ? 'absent' : sha256(content)}\0`);
  }
  hash.update(await git('log', '-1', '--format=%H', '--', ...historyPaths));
  hash.update(await git('rev-parse', '--is-shallow-repository'));
  return hash.digest('hex').slice(0, 32);
}

/**
 * This checkout's production site (`docusaurus build`, both locales): the folder it is in. Do not
 * write into it; other runs may serve it. SITE_BUILD_CACHE=<folder> moves the cache from the system's
 * temp folder.
 */
export async function builtSite(signal?: AbortSignal): Promise<string> {
  const key = await inputsHash(REPO_ROOT, SITE_INPUTS, ['docs', 'i18n'], RECIPE);
  const cacheDir = process.env.SITE_BUILD_CACHE ?? join(tmpdir(), 'llm-network-runbooks-site-builds');
  return cachedBuild({
    cacheDir,
    key,
    signal,
    async build(outDir) {
      const docusaurus = join(REPO_ROOT, 'node_modules', '@docusaurus', 'core', 'bin', 'docusaurus.mjs');
      await runOk(process.execPath, [docusaurus, 'build', '--out-dir', outDir], {
        cwd: REPO_ROOT,
        env: {...process.env, SITE_URL: TEST_SITE_URL, DEPLOY: '1'},
        signal,
      });
    },
  });
}

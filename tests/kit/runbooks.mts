// Runs runbooks as a user would (`node runbooks/NAME.mjs …`, a child process, no terminal unless
// asked): the repository's runbooks as the docs and src/ of this checkout make them (not the
// committed files, which tests/extraction/committed-runbooks.test.mts compares), with HOME and the
// state directory in a temp dir, or ones built from an inline page into a sandbox (script, plan,
// runtime; no node_modules: Node alone runs them).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {extractPage} from '../../src/extraction/extract.mts';
import {renderRunbooks} from '../../src/extraction/emit.mts';
import {scriptFile} from '../../src/plan/files.mts';
import {cachedBuild} from './build-cache.mts';
import {runClient, type Ran} from './processes.mts';
import {inputsHash} from './site-build.mts';
import {clientEnv} from './stack.mts';
import {shellQuote} from '../../src/io/text.mts';

export const REPO = path.resolve(import.meta.dirname, '../..');

/** What `npm run runbooks` reads: the pages, src/ (the runtime), and esbuild's version and settings. */
const RUNBOOK_INPUTS = ['docs', 'src', 'tsconfig.json', 'package-lock.json'];
/** Bump when the way the build is made changes. */
const RECIPE = 'npm run runbooks into a cache folder, v1';
let built: Promise<string> | undefined;

/**
 * A folder whose runbooks/ is what `npm run runbooks` writes from this checkout's docs and src/
 * now: built once per content of its inputs (and the pages' last commit), cached in the system's
 * temp folder and shared by the parallel workers (./build-cache.mts). Do not write into it.
 */
export function currentRunbooks(): Promise<string> {
  built ??= (async () => {
    const key = await inputsHash(REPO, RUNBOOK_INPUTS, ['docs'], RECIPE);
    return cachedBuild({
      cacheDir: path.join(os.tmpdir(), 'llm-network-runbooks-runbook-builds'),
      key,
      async build(outDir) {
        const [{extractDocs, formatError}, {writeRunbooks}] = await Promise.all([import('../../src/extraction/docs.mts'), import('../../src/extraction/output.mts')]);
        const docs = extractDocs(REPO);
        if (docs.errors.length > 0) throw new Error(docs.errors.map(formatError).join('\n'));
        await writeRunbooks(docs.runbooks, REPO, outDir);
      },
    });
  })();
  return built;
}

/** A generated file (`runbooks/…`, such as NETCHECK_BIN) as the current sources make it. */
export async function generatedFile(file: string): Promise<string> {
  return path.join(await currentRunbooks(), file);
}

/** runbooks/NAME.mjs as the current sources make it. */
export function runbookPath(name: string): Promise<string> {
  return generatedFile(scriptFile(name));
}

export interface Home {
  dir: string;
  rc: string;
  env: NodeJS.ProcessEnv;
  remove(): void;
}

/** A temp HOME with a ~/.bashrc, and an environment that uses it (bash, plain progress lines). */
export function tempHome(proxyVars: Record<string, string>, bashrc = '# the user\'s own line\n'): Home {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-home-'));
  const rc = path.join(dir, '.bashrc');
  fs.writeFileSync(rc, bashrc);
  const env = clientEnv({...proxyVars, HOME: dir, SHELL: '/bin/bash', XDG_STATE_HOME: path.join(dir, 'state'), CI: 'true'});
  return {dir, rc, env, remove: () => fs.rmSync(dir, {recursive: true, force: true})};
}

export {proxyEverything} from './proxy-env.mts';

export async function runRunbook(name: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000, cwd?: string): Promise<Ran> {
  return runClient('node', [await runbookPath(name), ...args], env, timeoutMs, cwd);
}

/** `node runbooks/NAME.mjs …` with `cwd` as the working directory, as a user in their checkout would. */
export function runRunbookIn(cwd: string, name: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 90_000): Promise<Ran> {
  return runRunbook(name, args, env, timeoutMs, cwd);
}

/** A command in a fresh interactive bash, which reads ~/.bashrc as a new terminal would. */
export function inFreshBash(command: string, env: NodeJS.ProcessEnv): Promise<Ran> {
  const fresh = {...env};
  delete fresh.no_proxy;
  delete fresh.NO_PROXY;
  return runClient('bash', ['-i', '-c', command], fresh);
}

export interface StepResult {
  id: string;
  status: string;
  output: string;
  message: string;
}

export function jsonReport(ran: Ran): {exitCode: number; steps: StepResult[]} {
  return JSON.parse(ran.stdout);
}

export interface RunbookSandbox {
  /** The temp dir: runbooks/ inside it, and a home/ used as HOME. */
  dir: string;
  home: string;
  /** `terminal` runs it under `script`, i.e. on a pseudo-terminal, typing `input`. */
  run(runbook: string, args?: string[], options?: {env?: Record<string, string>; via?: 'node' | 'zx' | 'terminal'; input?: string}): Promise<Ran>;
  cleanup(): void;
}

/** The runbooks of an inline page (as if it were docs/test-page.md), generated into a temp dir. */
export async function makeSandbox(markdown: string): Promise<RunbookSandbox> {
  const page = extractPage('docs/test-page.md', markdown);
  if (page.errors.length > 0) throw new Error(page.errors.map((e) => `${e.line}: ${e.message}`).join('\n'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-test-'));
  const home = path.join(dir, 'home');
  fs.mkdirSync(home);
  for (const [file, text] of await renderRunbooks(page.runbooks)) {
    fs.mkdirSync(path.join(dir, file, '..'), {recursive: true});
    fs.writeFileSync(path.join(dir, file), text);
  }
  return {
    dir,
    home,
    run(runbook, args = [], {env = {}, via = 'node', input} = {}) {
      const script = path.join('runbooks', `${runbook}.mjs`);
      const node = [process.execPath, script, ...args];
      const quoted = node.map(shellQuote).join(' ');
      const [command, ...commandArgs] =
        via === 'zx' ? [path.join(REPO, 'node_modules/.bin/zx'), script, ...args]
        : via === 'terminal' ? ['script', '-qec', quoted, '/dev/null']
        : node;
      const base: NodeJS.ProcessEnv = {PATH: process.env.PATH, HOME: home, SHELL: '/bin/bash', CI: 'true', LANG: 'C.UTF-8'};
      return runClient(command, commandArgs, {...base, ...env}, 120_000, dir, input);
    },
    cleanup: () => fs.rmSync(dir, {recursive: true, force: true}),
  };
}

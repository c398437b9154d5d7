// The git queries the project makes (translation tracking, the docs commit a runbook comes from).
// git runs with argument arrays: no shell.
import {runCommand} from './child-process.mts';

export class GitError extends Error {}

interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

// Paths are data, never patterns (a page may be called `[beta] *.md`), and come back unquoted.
const GIT_OPTIONS = ['--literal-pathspecs', '-c', 'core.quotePath=false'];

async function runGit(root: string, args: string[]): Promise<GitResult> {
  try {
    const {code, stdout, stderr} = await runCommand('git', [...GIT_OPTIONS, ...args], {cwd: root});
    return {code: code ?? 1, stdout, stderr};
  } catch (error) {
    throw new GitError(`cannot run git: ${(error as Error).message}`);
  }
}

/** Runs git and returns stdout; any non-zero exit is an error naming the command. */
async function git(root: string, args: string[]): Promise<string> {
  const result = await runGit(root, args);
  if (result.code !== 0) {
    throw new GitError(`git ${args.join(' ')} failed: ${result.stderr.trim().split('\n')[0] ?? ''}`);
  }
  return result.stdout;
}

export async function topLevel(dir: string): Promise<string> {
  const result = await runGit(dir, ['rev-parse', '--show-toplevel']);
  if (result.code !== 0) throw new GitError(`${dir} is not inside a git work tree`);
  return result.stdout.trim();
}

export async function isShallow(root: string): Promise<boolean> {
  return (await git(root, ['rev-parse', '--is-shallow-repository'])).trim() === 'true';
}

/** The full id of a commit, or null when this repository does not have it. */
export async function resolveCommit(root: string, rev: string): Promise<string | null> {
  const result = await runGit(root, ['rev-parse', '--verify', '--end-of-options', `${rev}^{commit}`]);
  // An abbreviated id that has become ambiguous is not "unknown": say so instead of answering wrongly.
  if (/ambiguous/i.test(result.stderr)) throw new GitError(`commit id ${rev} is ambiguous in this repository: write more of its digits`);
  return result.code === 0 ? result.stdout.trim() : null;
}

export async function isAncestorOfHead(root: string, commit: string): Promise<boolean> {
  const result = await runGit(root, ['merge-base', '--is-ancestor', commit, 'HEAD']);
  if (result.code === 0 || result.code === 1) return result.code === 0;
  throw new GitError(`git merge-base --is-ancestor ${commit} HEAD failed: ${result.stderr.trim()}`);
}

/** A file's bytes as committed at `commit`, or null when the file does not exist there. */
export async function fileAtCommit(root: string, commit: string, path: string): Promise<string | null> {
  const result = await runGit(root, ['show', `${commit}:${path}`]);
  return result.code === 0 ? result.stdout : null;
}

export interface FileHistory {
  /** Commits after `since` (up to HEAD) that touched the file, following renames; newest first. */
  commits: string[];
  /** The file's path at `since`, after undoing the renames made since. */
  pathAtSince: string;
}

/**
 * Follows `path` back from HEAD to `since` (exclusive) with `git log --follow --name-status -z`:
 * NUL-separated fields, so no file name is quoted or split (spaces, tabs, non-ASCII, newlines).
 */
export async function historySince(root: string, since: string, path: string): Promise<FileHistory> {
  const out = await git(root, ['log', '-z', '--follow', '-M', '--name-status', '--format=%H', `${since}..HEAD`, '--', path]);
  const commits: string[] = [];
  let pathAtSince = path;
  // Tokens: a commit id, then per changed file a status (the first one after a newline) and one
  // path, or two for a rename or copy (R100 from to).
  const tokens = out.split('\0').filter((token) => token !== '');
  for (let i = 0; i < tokens.length; ) {
    const status = tokens[i].trim();
    if (!/^[ACDMRTUXB]\d*$/.test(status)) {
      commits.push(status);
      i += 1;
      continue;
    }
    const renamed = /^[RC]/.test(status);
    if (renamed && tokens[i + 2] === pathAtSince) pathAtSince = tokens[i + 1];
    i += renamed ? 3 : 2;
  }
  return {commits, pathAtSince};
}

/** The abbreviated id of the last commit that touched `path`, or null when it was never committed. */
export async function lastCommitOf(root: string, path: string): Promise<string | null> {
  const out = (await git(root, ['log', '-1', '--format=%h', '--', path])).trim();
  return out === '' ? null : out;
}

/** True when the work tree or index holds changes to `path` that are not committed (or it is untracked). */
export async function hasUncommittedChanges(root: string, path: string): Promise<boolean> {
  return (await git(root, ['status', '--porcelain', '--', path])).trim() !== '';
}

export interface CommitStamp {
  /** The full commit id: an abbreviation could grow longer as the repository does. */
  commit: string;
  /** The commit date, YYYY-MM-DD. */
  date: string;
}

/** The last commit that touched any of `paths`, or null when none of them was ever committed. */
export async function lastCommitStamp(root: string, paths: string[]): Promise<CommitStamp | null> {
  const out = (await git(root, ['log', '-1', '--format=%H %cs', '--', ...paths])).trim();
  if (out === '') return null;
  const [commit, date] = out.split(' ');
  return {commit, date};
}

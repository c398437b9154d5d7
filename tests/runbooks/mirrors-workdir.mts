// A user's checkout for the mirror runbooks: a temp copy of the repository's compose.yaml,
// .gitignore and docker/ folder, the runbooks run inside it (they write relative to the working directory), and
// fingerprints (bytes and mtimes) to prove what a run did and did not touch.
import {sha256} from '../../src/io/hash.mts';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {REPO} from '../kit/runbooks.mts';

/** The repository's own files setup-mirrors must never touch (relative paths). */
export function repositoryOwnFiles(root = REPO): string[] {
  const docker = fs.readdirSync(path.join(root, 'docker'), {recursive: true, encoding: 'utf8'})
    .map((f) => path.join('docker', f))
    .filter((f) => fs.statSync(path.join(root, f)).isFile());
  return ['.gitignore', 'compose.yaml', ...docker].sort();
}

export interface Checkout {
  dir: string;
  remove(): void;
}

export function tempCheckout(): Checkout {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mirrors-checkout-'));
  for (const file of repositoryOwnFiles()) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), {recursive: true});
    fs.copyFileSync(path.join(REPO, file), path.join(dir, file));
  }
  return {dir, remove: () => fs.rmSync(dir, {recursive: true, force: true})};
}

export interface Fingerprint {
  sha256: string;
  mtimeMs: number;
}

/** sha256 and mtime of each file (relative to `root`); a missing file is absent from the result. */
export function fingerprints(root: string, files: string[]): Record<string, Fingerprint> {
  const result: Record<string, Fingerprint> = {};
  for (const file of files) {
    const full = path.join(root, file);
    if (!fs.existsSync(full)) continue;
    result[file] = {sha256: sha256(fs.readFileSync(full)), mtimeMs: fs.statSync(full).mtimeMs};
  }
  return result;
}

/** Every file and symlink under `root`, relative, sorted. Symlinks are listed, not followed: a
 *  checkout's linked node_modules is not its own, and other files' caches change inside it. */
export function listTree(root: string): string[] {
  const entries: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(root, dir), {withFileTypes: true})) {
      const relative = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(relative);
      else entries.push(relative);
    }
  };
  walk('');
  return entries.sort();
}

// The offline bundle: one reproducible .tar.gz of a built site (both locales, search index, the
// served runbooks) under one top folder, with a SHA256SUMS of every file in it, for a network that
// cannot reach the site: unpack it and serve it with any static web server.
import {execFile} from 'node:child_process';
import {sha256} from '../io/hash.mts';
import {mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join, relative} from 'node:path';
import {promisify} from 'node:util';

const run = promisify(execFile);

/** The folder the archive unpacks to; also the archive's name without `.tar.gz`. */
export const BUNDLE_NAME = 'llm-network-runbooks-site';

/** `sha256sum` lines (two spaces, path relative to the site root) for every file under `siteDir`, by path. */
export async function sha256Sums(siteDir: string): Promise<string> {
  const entries = await readdir(siteDir, {recursive: true, withFileTypes: true});
  const files = entries.filter((e) => e.isFile()).map((e) => relative(siteDir, join(e.parentPath, e.name)).split('\\').join('/')).sort();
  const lines = await Promise.all(files.map(async (file) => `${sha256(await readFile(join(siteDir, file)))}  ${file}\n`));
  return lines.join('');
}

/**
 * Writes `archive` (.tar.gz): `siteDir`'s files and a SHA256SUMS, under `BUNDLE_NAME/`. The same
 * site gives the same bytes (sorted names, no times, owners or gzip timestamp). `siteDir` is only read.
 */
export async function writeBundle(siteDir: string, archive: string): Promise<{files: number}> {
  const sums = await sha256Sums(siteDir);
  if (sums.includes('  SHA256SUMS\n')) throw new Error(`${siteDir} already has a SHA256SUMS: pass a site build, not an unpacked bundle`);
  const extra = await mkdtemp(join(tmpdir(), 'site-bundle-'));
  try {
    await writeFile(join(extra, 'SHA256SUMS'), sums);
    const top = (await readdir(siteDir)).sort();
    await run('tar', [
      '--create', '--file', archive, '--use-compress-program', 'gzip -n -9',
      '--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '--mode=u+rw,go+r,go-w',
      `--transform=s,^,${BUNDLE_NAME}/,`,
      '-C', siteDir, ...top,
      '-C', extra, 'SHA256SUMS',
    ]);
  } finally {
    await rm(extra, {recursive: true, force: true});
  }
  return {files: sums.split('\n').filter(Boolean).length + 1};
}

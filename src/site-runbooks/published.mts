// The runbooks the site serves: each runbooks/<name>.mjs with runbooks/lib/runtime.mjs inlined in
// place of its import, in the form that refuses to run cut short (src/plan/whole-file.mts)
// (one self-contained file, a pure function of the two committed files and the
// site's address, so byte-reproducible), its advice links naming the address the site is built for
// (SITE_URL, src/site-address) instead of the placeholder the committed files name, with its size and sha256, and the check that a built site's copies are still
// those bytes. `publishedRunbooks` is the one producer of the served bytes: the site plugin, the
// tests and anything else that ships runbooks use it.
import {sha256} from '../io/hash.mts';
import {existsSync, readFileSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import {RUNBOOKS_DIR, RUNTIME_FILE, inlineRuntime, scriptFile} from '../plan/files.mts';
import {servedWholeFile} from '../plan/whole-file.mts';
import {siteAddress, withSiteUrl} from '../site-address/site-url.mts';
import type {PublishedRunbookData} from './site-data.ts';

export interface PublishedRunbook extends Omit<PublishedRunbookData, 'url'> {
  /** The served file: the runbook with the runtime inlined. */
  bytes: Buffer;
}

/**
 * The served file of runbook `name` from the committed runbooks/ under `root`, for a site at
 * `siteUrl` (no trailing slash; default: this process's SITE_URL, else the placeholder).
 */
export function servedRunbook(root: string, name: string, siteUrl = siteAddress().siteUrl): Buffer {
  const runtime = readFileSync(join(root, RUNTIME_FILE), 'utf8');
  return Buffer.from(servedWholeFile(withSiteUrl(inlineRuntime(readFileSync(join(root, scriptFile(name)), 'utf8'), runtime), siteUrl), sha256));
}

/** Every runbook the site at `siteUrl` serves (runbooks/*.mjs), by name, with the bytes served. */
export function publishedRunbooks(root: string, siteUrl = siteAddress().siteUrl): PublishedRunbook[] {
  const names = readdirSync(join(root, RUNBOOKS_DIR)).filter((f) => f.endsWith('.mjs')).map((f) => f.slice(0, -'.mjs'.length)).sort();
  return names.map((name) => {
    const bytes = servedRunbook(root, name, siteUrl);
    return {name, path: scriptFile(name), size: bytes.length, sha256: sha256(bytes), bytes};
  });
}

/**
 * Served copies in `<root>/<buildDir>/runbooks/` that differ from what runbooks/ makes (a stale
 * build), for a build made for `siteUrl` (default: this process's SITE_URL).
 */
export function servedCopyProblems(root: string, buildDir = 'build', siteUrl = siteAddress().siteUrl): string[] {
  const served = join(root, buildDir, RUNBOOKS_DIR);
  if (!existsSync(served)) return [];
  const expected = new Map(publishedRunbooks(root, siteUrl).map((r) => [`${r.name}.mjs`, r.bytes]));
  const problems: string[] = [];
  for (const file of readdirSync(served).filter((f) => f.endsWith('.mjs'))) {
    const bytes = expected.get(file);
    if (!bytes) problems.push(`${buildDir}/${RUNBOOKS_DIR}/${file} is served but runbooks/ has no such runbook: rebuild the site`);
    else if (!bytes.equals(readFileSync(join(served, file)))) problems.push(`${buildDir}/${RUNBOOKS_DIR}/${file} differs from runbooks/${file} with its runtime inlined: rebuild the site`);
  }
  for (const file of expected.keys()) {
    if (!existsSync(join(served, file))) problems.push(`${buildDir}/${RUNBOOKS_DIR}/${file} is missing from the built site: rebuild it`);
  }
  return problems;
}

// The runbooks the site serves: exactly the bytes of runbooks/<name>.mjs, with their size and
// sha256, and the check that a built site's copies are still those bytes.
import {createHash} from 'node:crypto';
import {existsSync, readFileSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import {RUNBOOKS_DIR, scriptFile} from '../plan/files.mts';
import {siteAddress, withSiteUrl} from '../site-address/site-url.mts';
import type {PublishedRunbookData} from './site-data.ts';

/** What the site serves for a runbook's text, in a build for `siteUrl`: its links name that address. */
export const servedForSite = (siteUrl: string) => (text: string): string => withSiteUrl(text, siteUrl);

export interface PublishedRunbook extends Omit<PublishedRunbookData, 'url'> {
  bytes: Buffer;
}

/** The runbooks of `root`, as served: `serve` turns a file's text into what the site serves. */
export function publishedRunbooks(root: string, serve: (text: string) => string = (text) => text): PublishedRunbook[] {
  const names = readdirSync(join(root, RUNBOOKS_DIR)).filter((f) => f.endsWith('.mjs')).map((f) => f.slice(0, -'.mjs'.length)).sort();
  return names.map((name) => {
    const bytes = Buffer.from(serve(readFileSync(join(root, scriptFile(name)), 'utf8')));
    return {name, path: scriptFile(name), size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), bytes};
  });
}

/**
 * Served copies in `<root>/<buildDir>/runbooks/` that differ from what runbooks/ serves (a stale
 * build), for a build made with the SITE_URL this process has.
 */
export function servedCopyProblems(root: string, buildDir = 'build', serve = servedForSite(siteAddress().siteUrl)): string[] {
  const served = join(root, buildDir, RUNBOOKS_DIR);
  if (!existsSync(served)) return [];
  const expected = new Map(publishedRunbooks(root, serve).map((r) => [`${r.name}.mjs`, r.bytes]));
  const problems: string[] = [];
  for (const file of readdirSync(served).filter((f) => f.endsWith('.mjs'))) {
    const bytes = expected.get(file);
    if (!bytes) problems.push(`${buildDir}/${RUNBOOKS_DIR}/${file} is served but runbooks/ has no such runbook: rebuild the site`);
    else if (!bytes.equals(readFileSync(join(served, file)))) problems.push(`${buildDir}/${RUNBOOKS_DIR}/${file} differs from runbooks/${file}: rebuild the site`);
  }
  for (const file of expected.keys()) {
    if (!existsSync(join(served, file))) problems.push(`${buildDir}/${RUNBOOKS_DIR}/${file} is missing from the built site: rebuild it`);
  }
  return problems;
}

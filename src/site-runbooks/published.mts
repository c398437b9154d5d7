// The runbooks the site serves: exactly the bytes of runbooks/<name>.mjs, with their size and
// sha256, and the check that a built site's copies are still those bytes.
import {sha256} from '../io/hash.mts';
import {existsSync, readFileSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import {RUNBOOKS_DIR, scriptFile} from '../plan/files.mts';
import type {PublishedRunbookData} from './site-data.ts';

export interface PublishedRunbook extends Omit<PublishedRunbookData, 'url'> {
  bytes: Buffer;
}

export function publishedRunbooks(root: string): PublishedRunbook[] {
  const names = readdirSync(join(root, RUNBOOKS_DIR)).filter((f) => f.endsWith('.mjs')).map((f) => f.slice(0, -'.mjs'.length)).sort();
  return names.map((name) => {
    const bytes = readFileSync(join(root, scriptFile(name)));
    return {name, path: scriptFile(name), size: bytes.length, sha256: sha256(bytes), bytes};
  });
}

/** Served copies in `<root>/<buildDir>/runbooks/` that differ from runbooks/ (a stale build). */
export function servedCopyProblems(root: string, buildDir = 'build'): string[] {
  const served = join(root, buildDir, RUNBOOKS_DIR);
  if (!existsSync(served)) return [];
  const expected = new Map(publishedRunbooks(root).map((r) => [`${r.name}.mjs`, r.bytes]));
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

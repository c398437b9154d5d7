// Facts the project keeps once (issue 20, "one table per fact"): each is written only in its owner
// module, and everything else imports it. A second copy drifts; this names where one appears.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {describe, expect, it} from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const THIS = 'tests/structure/one-definition.test.mts';

/** What a copy looks like, and the one file allowed to hold it. */
const FACTS: [fact: string, copy: RegExp, owner: string][] = [
  ['shell quoting', /replaceAll\("'",/, 'src/io/text.mts'],
  ['regex escaping', /\[\.\*\+\?\^\$\{\}\(\)\|\[\\\]\\\\\]/, 'src/io/text.mts'],
  ['sha256 as hex', /createHash\('sha256'\)\.update\(.*\)\.digest\('hex'\)/, 'src/io/hash.mts'],
  ['libcurl version in curl --version', /libcurl\\\//, 'src/netcheck/installed.mts'],
  ['the httpx generation cut-off', /'0\.24'/, 'src/proxy/clients/httpx.mts'],
  ['the locale list', /'zh-Hans':\s*\{\s*label/, 'src/site-layout/locales.mts'],
  ['the backup name', /\.bak-\$\{|\.runbook-backup/, 'src/io/safe-write.mts'],
  ['the front-matter fence', /\^---\[ \\t\]\*/, 'src/site-layout/front-matter.mts'],
  ['the proxy variable names', /\[\s*'http_proxy',\s*'HTTP_PROXY',\s*'https_proxy'|'http_proxy', 'https_proxy', 'all_proxy'/, 'src/proxy/env.mts'],
];

function sources(): string[] {
  const files = ['docusaurus.config.ts'];
  for (const dir of ['src', 'tests', 'bench']) {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), {recursive: true, withFileTypes: true})) {
      if (entry.isFile() && /\.(?:mts|ts|tsx|mjs)$/.test(entry.name)) files.push(path.relative(ROOT, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
    }
  }
  return files.filter((file) => file !== THIS);
}

describe('one definition per fact', () => {
  const texts = new Map(sources().map((file) => [file, fs.readFileSync(path.join(ROOT, file), 'utf8')]));

  it.each(FACTS)('%s is written only in its owner', (_fact, copy, owner) => {
    expect(copy.test(texts.get(owner) ?? ''), `${owner} holds it`).toBe(true);
    expect([...texts].filter(([file, text]) => file !== owner && copy.test(text)).map(([file]) => file)).toEqual([]);
  });
});

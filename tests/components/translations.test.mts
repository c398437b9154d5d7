// Every string the site's own components show is translated: Docusaurus's own extractor (the one
// behind `docusaurus write-translations`) reads them from the source, and each must have its
// zh-Hans entry in i18n/zh-Hans/code.json.
import {readFileSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import {extractAllSourceCodeFileTranslations, getBabelOptions} from '@docusaurus/babel';
import {expect, it} from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const FOLDERS = ['src/components', 'src/theme'];
const sources = FOLDERS.flatMap((folder) =>
  readdirSync(join(ROOT, folder), {recursive: true, encoding: 'utf8'}).filter((file) => file.endsWith('.tsx')).map((file) => join(ROOT, folder, file)));
const zh = JSON.parse(readFileSync(join(ROOT, 'i18n/zh-Hans/code.json'), 'utf8')) as Record<string, {message: string; description?: string}>;

it('every component string has a zh-Hans translation, and the extractor reads them all', async () => {
  const files = await extractAllSourceCodeFileTranslations(sources, getBabelOptions({isServer: true}));
  expect(files.flatMap((file) => file.warnings)).toEqual([]);
  const strings = Object.assign({}, ...files.map((file) => file.translations)) as Record<string, {message: string; description?: string}>;
  expect(Object.keys(strings).filter((id) => id.startsWith('proxyChecker.')).length).toBeGreaterThan(30);
  const missing = Object.keys(strings).filter((id) => !zh[id]?.message);
  expect(missing).toEqual([]);
  for (const [id, {description}] of Object.entries(strings)) expect(zh[id]!.description, id).toBe(description);
});

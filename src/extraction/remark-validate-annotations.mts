// A remark plugin for the site's own build (docusaurus.config.ts → docs → remarkPlugins, the way
// npm2yarn plugs in): every page the docs plugin compiles is also extracted, with the same code as
// `npm run runbooks`, and an annotation error fails `npm run build` naming page:line.
// It reads the page from disk instead of using the tree it is given: Docusaurus strips the front
// matter before compiling, so the tree's lines and the runbook declarations would both be off.
import {readFileSync} from 'node:fs';
import {relative} from 'node:path';
import type {Root} from 'mdast';
import type {VFile} from 'vfile';
import {formatError} from './docs.mts';
import {extractPage} from './extract.mts';

export default function remarkValidateAnnotations() {
  return (_tree: Root, file: VFile): void => {
    if (!file.path || !/\.mdx?$/.test(file.path)) return;
    const page = relative(file.cwd, file.path).split('\\').join('/');
    const {errors} = extractPage(page, readFileSync(file.path, 'utf8'));
    if (errors.length === 0) return;
    const message = `runbook annotations: ${errors.map(formatError).join('; ')}`;
    file.fail(message, {place: {line: errors[0].line, column: 1}, ruleId: 'runbook-annotations', source: 'remark-validate-annotations'});
  };
}

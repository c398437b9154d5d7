// One page → its runbooks (typed plans), a classification of every code block, and the errors,
// each naming the line of the page it comes from.
import type {Code, Root} from 'mdast';
import remarkDirective from 'remark-directive';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import {unified} from 'unified';
import {visit} from 'unist-util-visit';
import {PLAN_FORMAT, type RunbookPlan, type Step, type StepKind, showsDefault} from '../plan/index.mts';
import {ANNOTATIONS, DEFAULT_TIMEOUT_MS, annotationRule} from './annotations.mts';
import {readRunbookDeclarations, type RunbookDeclaration} from './frontmatter.mts';
import {tokenizeMeta} from './meta.mts';
import {splitFrontMatter} from '../site-layout/index.mts';

export type BlockClass = 'step' | 'manual' | 'unannotated' | 'diagram';

export interface BlockRecord {
  line: number;
  lang: string;
  class: BlockClass;
  runbook: string | null;
  step: string | null;
  reason: string | null;
}

export interface ExtractionError {
  file: string;
  line: number;
  message: string;
}

export interface PageExtraction {
  file: string;
  runbooks: RunbookPlan[];
  blocks: BlockRecord[];
  errors: ExtractionError[];
}

// Docusaurus's own meta, which must keep working beside the annotations.
const DOCUSAURUS_ATTRIBUTES = new Set(['title', 'showLineNumbers', '{}']);

const EXECUTABLE_LANGS = new Set(['bash', 'sh', 'shell', 'python']);
const LANGS_BY_KIND: Partial<Record<StepKind, Set<string>>> = {
  run: EXECUTABLE_LANGS,
  check: EXECUTABLE_LANGS,
  undo: EXECUTABLE_LANGS,
  env: new Set(['bash', 'sh', 'shell']),
  'rc-block': new Set(['bash', 'sh', 'shell', 'zsh', 'fish']),
};

interface BlockContext {
  fail: (message: string) => void;
  /** Runbooks named by a block, even one with errors: such a runbook is not "without steps". */
  mentioned: Set<string>;
}

/** Splits mdast's `lang` + `meta` back into the language and the attribute text. */
function languageAndMeta(node: Code): {lang: string; meta: string} {
  const lang = node.lang ?? '';
  const meta = node.meta ?? '';
  if (lang.includes('=') || annotationRule(lang)?.takes === 'flag' || lang.startsWith('{')) {
    return {lang: '', meta: `${lang} ${meta}`.trim()};
  }
  return {lang, meta};
}

/** The annotations of a fence meta, each checked for value-or-flag against the table. */
function readAttributes(meta: string, ctx: BlockContext): Map<string, string | null> | null {
  const tokenized = tokenizeMeta(meta);
  if (tokenized.error !== null) return ctx.fail(tokenized.error), null;
  const attrs = new Map<string, string | null>();
  for (const {key, value} of tokenized.tokens) {
    if (DOCUSAURUS_ATTRIBUTES.has(key)) continue;
    const rule = annotationRule(key);
    if (!rule) {
      ctx.fail(`unknown attribute ${JSON.stringify(key)} in the fence meta`);
    } else if (attrs.has(key)) {
      ctx.fail(`attribute ${key} given twice`);
    } else if (rule.takes === 'value' && (value === null || value === '')) {
      ctx.fail(`attribute ${key} needs a value (${key}=…)`);
    } else if (rule.takes === 'flag' && value !== null) {
      ctx.fail(`attribute ${key} is a flag and takes no value`);
    } else {
      attrs.set(key, value);
    }
  }
  return attrs;
}

/** Each attribute on a kind it does not apply to, and each one a kind requires but lacks. */
function checkKindRules(kind: StepKind, attrs: Map<string, string | null>, fail: (message: string) => void): void {
  for (const rule of ANNOTATIONS) {
    const written = rule.takes === 'value' ? `${rule.name}=` : rule.name;
    if (attrs.has(rule.name) && !rule.kinds.includes(kind)) {
      fail(`${written} does not apply to kind=${kind} (only to ${rule.kinds.join(', ')})`);
    }
    if (!attrs.has(rule.name) && rule.requiredFor.includes(kind)) fail(`kind=${kind} needs ${rule.usage}`);
  }
}

interface ParsedBlock {
  record: BlockRecord;
  step: Step | null;
}

function parseBlock(node: Code, ctx: BlockContext): ParsedBlock {
  const line = node.position?.start.line ?? 0;
  const {lang, meta} = languageAndMeta(node);
  const record: BlockRecord = {line, lang, class: 'unannotated', runbook: null, step: null, reason: null};
  const attrs = readAttributes(meta, ctx);
  if (attrs === null) return {record, step: null};
  const get = (key: string) => (attrs.get(key) as string | undefined) ?? null;
  const parsed = <T,>(key: string, fallback: T): T => {
    const value = get(key);
    return value === null ? fallback : (annotationRule(key)!.parse(value, ctx.fail) as T);
  };
  const runbook = get('runbook');
  const kindText = get('kind');
  if (runbook !== null) ctx.mentioned.add(runbook);

  if (lang === 'mermaid') {
    if (attrs.size > 0) ctx.fail('a mermaid diagram cannot carry runbook attributes');
    return {record: {...record, class: 'diagram'}, step: null};
  }
  if (runbook === null && kindText === null) {
    if (attrs.size > 0) ctx.fail(`attributes ${[...attrs.keys()].join(', ')} need runbook= (or kind=manual)`);
    return {record, step: null};
  }
  const kind = parsed<StepKind | null>('kind', 'run');
  if (kind === null) return {record, step: null};
  checkKindRules(kind, attrs, ctx.fail);
  const reason = get('reason');
  if (runbook === null) {
    if (kind !== 'manual') ctx.fail(`kind=${kind} needs runbook=`);
    const extra = [...attrs.keys()].filter((k) => !['kind', 'reason', 'comments-may-differ'].includes(k));
    if (extra.length > 0) ctx.fail(`${extra.join(', ')} need runbook=`);
    return {record: {...record, class: 'manual', reason}, step: null};
  }
  parsed('runbook', runbook);
  const id = get('step');
  if (id === null) {
    ctx.fail('a runbook step needs step=ID');
    return {record, step: null};
  }
  parsed('step', id);

  const langs = LANGS_BY_KIND[kind];
  if (langs && !langs.has(lang)) {
    ctx.fail(`kind=${kind} needs a ${[...langs].join(', ')} block, not ${JSON.stringify(lang || 'no language')}`);
  }
  const step: Step = {
    id,
    kind,
    lang,
    line,
    code: node.value.replace(/\r\n?/g, '\n'),
    timeoutMs: parsed('timeout', DEFAULT_TIMEOUT_MS),
    expectExit: parsed('expect-exit', [0]),
    expectOutput: get('expect-output'),
    expectMatch: parsed('expect-match', null),
    requires: parsed('requires', []),
    platform: parsed('platform', []),
    changes: attrs.has('changes') || kind === 'rc-block' || kind === 'file' || kind === 'undo',
    reason,
    params: parsed('params', []),
    path: get('path'),
    commentsMayDiffer: attrs.has('comments-may-differ'),
  };
  return {record: {...record, class: kind === 'manual' ? 'manual' : 'step', runbook, step: id, reason}, step};
}

// Built and frozen once: configuring the plugins per page was a quarter of a page's parse time.
const pageParser = unified().use(remarkParse).use(remarkMdx).use(remarkFrontmatter, ['yaml']).use(remarkDirective).use(remarkGfm).freeze();

/** The parse Docusaurus 3 gives every page (`markdown.format: 'mdx'`), before its transforms. */
export function parsePage(text: string): Root {
  return pageParser.parse(text);
}

function checkParams(step: Step, declaration: RunbookDeclaration, fail: (message: string) => void): void {
  for (const name of step.params) {
    const param = declaration.params.find((p) => p.name === name);
    if (!param) {
      fail(`parameter ${name} is used but not declared in the front matter of runbook ${declaration.name}`);
    } else if (![step.code, step.path, step.expectOutput].some((text) => text !== null && showsDefault(text, param.default))) {
      fail(`params=${name}: neither the block nor its path= or expect-output= contains ${name}'s default ${JSON.stringify(param.default)}`);
    }
  }
}

function orderSteps(steps: Step[], declaration: RunbookDeclaration, fail: (message: string) => void): Step[] {
  if (declaration.order === null) return steps;
  const byId = new Map(steps.map((s) => [s.id, s]));
  const unknown = declaration.order.filter((id) => !byId.has(id));
  const missing = steps.filter((s) => !declaration.order!.includes(s.id)).map((s) => s.id);
  const repeated = declaration.order.filter((id, i) => declaration.order!.indexOf(id) !== i);
  if (unknown.length > 0) fail(`runbook ${declaration.name}: order names unknown steps ${unknown.join(', ')}`);
  if (missing.length > 0) fail(`runbook ${declaration.name}: order leaves out steps ${missing.join(', ')}`);
  if (repeated.length > 0) fail(`runbook ${declaration.name}: order repeats ${repeated.join(', ')}`);
  if (unknown.length + missing.length + repeated.length > 0) return steps;
  return declaration.order.map((id) => byId.get(id)!);
}

export function extractPage(file: string, text: string): PageExtraction {
  const errors: ExtractionError[] = [];
  const failAt = (line: number) => (message: string) => errors.push({file, line, message});
  let tree: Root;
  try {
    tree = parsePage(text);
  } catch (error) {
    const place = (error as {line?: number}).line ?? 1;
    failAt(place)(`cannot parse the page: ${(error as Error).message.split('\n')[0]}`);
    return {file, runbooks: [], blocks: [], errors};
  }

  let declarations: RunbookDeclaration[] = [];
  // src/site-layout's fence rule; remark-frontmatter only keeps the block out of the syntax tree.
  const {frontMatter} = splitFrontMatter(text);
  if (frontMatter !== null) {
    // micromark accepts a lone CR as a line ending; the yaml package does not (found by tests/extraction/fuzz.test.mts).
    const read = readRunbookDeclarations(frontMatter.replace(/\r\n?/g, '\n'), 2);
    declarations = read.declarations;
    for (const e of read.errors) failAt(e.line)(e.message);
  }

  const blocks: BlockRecord[] = [];
  const mentioned = new Set<string>();
  const stepsByRunbook = new Map<string, Step[]>();
  visit(tree, 'code', (node: Code) => {
    const line = node.position?.start.line ?? 0;
    const fail = failAt(line);
    const {record, step} = parseBlock(node, {fail, mentioned});
    blocks.push(record);
    if (!step || !record.runbook) return;
    const declaration = declarations.find((d) => d.name === record.runbook);
    if (!declaration) {
      fail(`runbook ${record.runbook} is not declared in the front matter (runbooks: ${record.runbook}: …)`);
      return;
    }
    const steps = stepsByRunbook.get(declaration.name) ?? [];
    const twin = steps.find((s) => s.id === step.id);
    if (twin) fail(`duplicate step id ${step.id} in runbook ${declaration.name} (first at line ${twin.line})`);
    checkParams(step, declaration, fail);
    stepsByRunbook.set(declaration.name, [...steps, step]);
  });

  const runbooks: RunbookPlan[] = [];
  for (const declaration of declarations) {
    const steps = stepsByRunbook.get(declaration.name) ?? [];
    const fail = failAt(declaration.line);
    if (!mentioned.has(declaration.name)) fail(`runbook ${declaration.name} is declared but has no steps`);
    runbooks.push({
      format: PLAN_FORMAT,
      name: declaration.name,
      title: declaration.title,
      source: file,
      params: declaration.params,
      steps: orderSteps(steps, declaration, fail),
    });
  }
  errors.sort((a, b) => a.line - b.line);
  return {file, runbooks, blocks, errors};
}

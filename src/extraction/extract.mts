// One page → its runbooks (typed plans), a classification of every code block, and the errors,
// each naming the line of the page it comes from.
import type {Code, Root, Yaml} from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import {unified} from 'unified';
import {visit} from 'unist-util-visit';
import {ID_PATTERN, PLAN_FORMAT, STEP_KINDS, type RunbookPlan, type Step, type StepKind} from '../plan/plan.mts';
import {readRunbookDeclarations, type RunbookDeclaration} from './frontmatter.mts';
import {tokenizeMeta} from './meta.mts';
import {showsDefault} from '../plan/params.mts';

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

const VALUE_ATTRIBUTES = new Set([
  'runbook', 'step', 'kind', 'timeout', 'expect-exit', 'expect-output', 'expect-match', 'requires',
  'platform', 'reason', 'params', 'path',
]);
const FLAG_ATTRIBUTES = new Set(['changes', 'comments-may-differ']);
// Docusaurus's own meta, which must keep working beside the annotations.
const DOCUSAURUS_ATTRIBUTES = new Set(['title', 'showLineNumbers', '{}']);

const EXECUTABLE_LANGS = new Set(['bash', 'sh', 'shell', 'python']);
const LANGS_BY_KIND: Partial<Record<StepKind, Set<string>>> = {
  run: EXECUTABLE_LANGS,
  check: EXECUTABLE_LANGS,
  env: new Set(['bash', 'sh', 'shell']),
  'rc-block': new Set(['bash', 'sh', 'shell', 'zsh', 'fish']),
};
const PROBING_KINDS = new Set<StepKind>(['run', 'check', 'env']);
const PLATFORMS = new Set(['linux', 'darwin']);
const DEFAULT_TIMEOUT_MS = 30_000;

interface BlockContext {
  fail: (message: string) => void;
  /** Runbooks named by a block, even one with errors: such a runbook is not "without steps". */
  mentioned: Set<string>;
}

function parseTimeout(value: string, ctx: BlockContext): number {
  const match = /^([1-9][0-9]*)(ms|s|m)$/.exec(value);
  if (!match) return ctx.fail(`timeout=${value}: expected a duration such as 500ms, 5s or 2m`), DEFAULT_TIMEOUT_MS;
  return Number(match[1]) * {ms: 1, s: 1000, m: 60_000}[match[2] as 'ms' | 's' | 'm'];
}

function parseList(name: string, value: string, item: RegExp, ctx: BlockContext): string[] {
  const items = value.split(',');
  const bad = items.find((i) => !item.test(i));
  if (bad !== undefined) ctx.fail(`${name}=${value}: ${JSON.stringify(bad)} is not valid here`);
  return items;
}

function parseExpectMatch(value: string, ctx: BlockContext): Step['expectMatch'] {
  const match = /^\/(.+)\/([imsu]*)$/s.exec(value);
  if (!match) return ctx.fail(`expect-match=${value}: expected /regex/flags (flags from imsu)`), null;
  try {
    new RegExp(match[1], match[2]);
  } catch (error) {
    return ctx.fail(`expect-match: ${(error as Error).message}`), null;
  }
  return {source: match[1], flags: match[2]};
}

/** Splits mdast's `lang` + `meta` back into the language and the attribute text. */
function languageAndMeta(node: Code): {lang: string; meta: string} {
  const lang = node.lang ?? '';
  const meta = node.meta ?? '';
  if (lang.includes('=') || FLAG_ATTRIBUTES.has(lang) || lang.startsWith('{')) {
    return {lang: '', meta: `${lang} ${meta}`.trim()};
  }
  return {lang, meta};
}

interface ParsedBlock {
  record: BlockRecord;
  step: Step | null;
}

function parseBlock(node: Code, ctx: BlockContext): ParsedBlock {
  const line = node.position?.start.line ?? 0;
  const {lang, meta} = languageAndMeta(node);
  const record: BlockRecord = {line, lang, class: 'unannotated', runbook: null, step: null, reason: null};
  const tokenized = tokenizeMeta(meta);
  if (tokenized.error !== null) return ctx.fail(tokenized.error), {record, step: null};

  const attrs = new Map<string, string | null>();
  for (const {key, value} of tokenized.tokens) {
    if (DOCUSAURUS_ATTRIBUTES.has(key)) continue;
    if (!VALUE_ATTRIBUTES.has(key) && !FLAG_ATTRIBUTES.has(key)) {
      ctx.fail(`unknown attribute ${JSON.stringify(key)} in the fence meta`);
    } else if (attrs.has(key)) {
      ctx.fail(`attribute ${key} given twice`);
    } else if (VALUE_ATTRIBUTES.has(key) && (value === null || value === '')) {
      ctx.fail(`attribute ${key} needs a value (${key}=…)`);
    } else if (FLAG_ATTRIBUTES.has(key) && value !== null) {
      ctx.fail(`attribute ${key} is a flag and takes no value`);
    } else {
      attrs.set(key, value);
    }
  }
  const get = (key: string) => (attrs.get(key) as string | undefined) ?? null;
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
  if (kindText !== null && !(STEP_KINDS as readonly string[]).includes(kindText)) {
    ctx.fail(`unknown kind ${JSON.stringify(kindText)} (known: ${STEP_KINDS.join(', ')})`);
    return {record, step: null};
  }
  const kind = (kindText ?? 'run') as StepKind;
  const reason = get('reason');
  if (kind === 'manual' && reason === null) ctx.fail('kind=manual needs reason="…"');
  if (kind !== 'manual' && reason !== null) ctx.fail('reason= only applies to kind=manual');
  if (runbook === null) {
    if (kind !== 'manual') ctx.fail(`kind=${kind} needs runbook=`);
    const extra = [...attrs.keys()].filter((k) => !['kind', 'reason', 'comments-may-differ'].includes(k));
    if (extra.length > 0) ctx.fail(`${extra.join(', ')} need runbook=`);
    return {record: {...record, class: 'manual', reason}, step: null};
  }
  if (!ID_PATTERN.test(runbook)) ctx.fail(`runbook=${runbook}: names must match [a-z][a-z0-9-]*`);
  const id = get('step');
  if (id === null) {
    ctx.fail('a runbook step needs step=ID');
    return {record, step: null};
  }
  if (!ID_PATTERN.test(id)) ctx.fail(`step=${id}: ids must match [a-z][a-z0-9-]*`);

  const langs = LANGS_BY_KIND[kind];
  if (langs && !langs.has(lang)) {
    ctx.fail(`kind=${kind} needs a ${[...langs].join(', ')} block, not ${JSON.stringify(lang || 'no language')}`);
  }
  if (!PROBING_KINDS.has(kind)) {
    for (const key of ['timeout', 'expect-exit', 'expect-output', 'expect-match']) {
      if (attrs.has(key)) ctx.fail(`${key}= does not apply to kind=${kind}`);
    }
  }
  if (kind === 'manual' && attrs.has('changes')) ctx.fail('changes does not apply to kind=manual');
  const path = get('path');
  if (kind === 'file' && path === null) ctx.fail('kind=file needs path=…');
  if (kind !== 'file' && path !== null) ctx.fail('path= only applies to kind=file');

  const timeout = get('timeout');
  const expectExit = get('expect-exit');
  const expectMatch = get('expect-match');
  const requires = get('requires');
  const platform = get('platform');
  const params = get('params');
  const step: Step = {
    id,
    kind,
    lang,
    line,
    code: node.value.replace(/\r\n?/g, '\n'),
    timeoutMs: timeout === null ? DEFAULT_TIMEOUT_MS : parseTimeout(timeout, ctx),
    expectExit: expectExit === null ? [0] : parseList('expect-exit', expectExit, /^([0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])$/, ctx).map(Number),
    expectOutput: get('expect-output'),
    expectMatch: expectMatch === null ? null : parseExpectMatch(expectMatch, ctx),
    requires: requires === null ? [] : parseList('requires', requires, /^[A-Za-z0-9._+-]+$/, ctx),
    platform: platform === null ? [] : parseList('platform', platform, /^(linux|darwin)$/, ctx),
    changes: attrs.has('changes') || kind === 'rc-block' || kind === 'file',
    reason,
    params: params === null ? [] : parseList('params', params, /^[a-z][a-z0-9_]*$/, ctx),
    path,
    commentsMayDiffer: attrs.has('comments-may-differ'),
  };
  return {record: {...record, class: kind === 'manual' ? 'manual' : 'step', runbook, step: id, reason}, step};
}

function parseMarkdown(file: string, text: string): Root {
  const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']);
  if (file.endsWith('.mdx')) processor.use(remarkMdx);
  return processor.parse(text);
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
    tree = parseMarkdown(file, text);
  } catch (error) {
    const place = (error as {line?: number}).line ?? 1;
    failAt(place)(`cannot parse the page: ${(error as Error).message.split('\n')[0]}`);
    return {file, runbooks: [], blocks: [], errors};
  }

  let declarations: RunbookDeclaration[] = [];
  const frontMatter = tree.children.find((n): n is Yaml => n.type === 'yaml');
  if (frontMatter) {
    const read = readRunbookDeclarations(frontMatter.value, (frontMatter.position?.start.line ?? 1) + 1);
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

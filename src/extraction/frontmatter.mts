// Reads the `runbooks:` declarations from a page's front matter, with the line of every problem.
import {LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Node, type Pair} from 'yaml';
import {ID_PATTERN, PARAM_TYPES, type ParamSpec, type ParamType, paramValueProblem, RESOLVER_NAMES, type ResolverName, RUNTIME_FLAGS} from '../plan/index.mts';

export interface RunbookDeclaration {
  name: string;
  title: string;
  params: ParamSpec[];
  order: string[] | null;
  line: number;
}

export interface LineError {
  line: number;
  message: string;
}

const RUNBOOK_KEYS = new Set(['title', 'params', 'order']);
const PARAM_KEYS = new Set(['default', 'flag', 'type', 'help', 'compute']);
const PARAM_NAME = /^[a-z][a-z0-9_]*$/;
const FLAG = /^--[a-z][a-z0-9-]*$/;

/** Parses front matter YAML whose first line is line `firstLine` of the page. */
export function readRunbookDeclarations(
  yamlText: string,
  firstLine: number,
): {declarations: RunbookDeclaration[]; errors: LineError[]} {
  const counter = new LineCounter();
  const doc = parseDocument(yamlText, {lineCounter: counter, uniqueKeys: true});
  const errors: LineError[] = [];
  const lineOf = (node: Node | Pair | null | undefined): number => {
    const range = isPair(node) ? (node.key as Node | null)?.range : node?.range;
    return firstLine + (range ? counter.linePos(range[0]).line - 1 : 0);
  };
  const fail = (node: Node | Pair | null | undefined, message: string) => errors.push({line: lineOf(node), message});

  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    errors.push({line: firstLine + (e.linePos?.[0].line ?? 1) - 1, message: `front matter: ${e.message.split('\n')[0]}`});
    return {declarations: [], errors};
  }
  const root = doc.contents;
  if (!isMap(root)) return {declarations: [], errors};
  const runbooksPair = root.items.find((p) => isScalar(p.key) && p.key.value === 'runbooks');
  if (!runbooksPair) return {declarations: [], errors};
  if (!isMap(runbooksPair.value)) {
    fail(runbooksPair, 'front matter: runbooks: must be a map of runbook name to its declaration');
    return {declarations: [], errors};
  }

  const declarations: RunbookDeclaration[] = [];
  for (const pair of runbooksPair.value.items) {
    const name = String(isScalar(pair.key) ? pair.key.value : '');
    if (!ID_PATTERN.test(name)) {
      fail(pair, `runbook name ${JSON.stringify(name)} must match [a-z][a-z0-9-]*`);
      continue;
    }
    if (!isMap(pair.value)) {
      fail(pair, `runbook ${name}: expected a map with title, params and order`);
      continue;
    }
    const declaration: RunbookDeclaration = {name, title: '', params: [], order: null, line: lineOf(pair)};
    let titled = false;
    for (const item of pair.value.items) {
      const key = String(isScalar(item.key) ? item.key.value : '');
      titled ||= key === 'title';
      if (!RUNBOOK_KEYS.has(key)) {
        fail(item, `runbook ${name}: unknown key ${JSON.stringify(key)} (known: title, params, order)`);
      } else if (key === 'title') {
        if (isScalar(item.value) && typeof item.value.value === 'string' && item.value.value.trim() !== '') {
          declaration.title = item.value.value;
        } else fail(item, `runbook ${name}: title must be a non-empty string`);
      } else if (key === 'order') {
        if (isSeq(item.value) && item.value.items.every((s) => isScalar(s) && typeof s.value === 'string')) {
          declaration.order = item.value.items.map((s) => String((s as {value: unknown}).value));
        } else fail(item, `runbook ${name}: order must be a list of step ids`);
      } else if (isMap(item.value)) {
        for (const paramPair of item.value.items) {
          const param = readParam(name, paramPair, (message) => fail(paramPair, message));
          if (param) declaration.params.push(param);
        }
      } else fail(item, `runbook ${name}: params must be a map of parameter name to its declaration`);
    }
    if (!titled) fail(pair, `runbook ${name}: title is required`);
    checkFlags(declaration, (message) => fail(pair, message));
    declarations.push(declaration);
  }
  return {declarations, errors};
}

function readParam(runbook: string, pair: Pair, fail: (message: string) => void): ParamSpec | null {
  const name = String(isScalar(pair.key) ? pair.key.value : '');
  const where = `runbook ${runbook}, parameter ${name}`;
  if (!PARAM_NAME.test(name)) {
    fail(`${where}: parameter names must match [a-z][a-z0-9_]*`);
    return null;
  }
  if (!isMap(pair.value)) {
    fail(`${where}: expected {default, flag, type, help, compute}`);
    return null;
  }
  const fields: Record<string, string> = {};
  for (const item of pair.value.items) {
    const key = String(isScalar(item.key) ? item.key.value : '');
    const value = isScalar(item.value) ? item.value.value : undefined;
    if (!PARAM_KEYS.has(key)) {
      fail(`${where}: unknown key ${JSON.stringify(key)} (known: ${[...PARAM_KEYS].join(', ')})`);
      return null;
    }
    if (typeof value !== 'string' && typeof value !== 'number') {
      fail(`${where}: ${key} must be a string`);
      return null;
    }
    fields[key] = String(value);
  }
  if (fields.default === undefined) return fail(`${where}: default is required`), null;
  if (!(PARAM_TYPES as readonly string[]).includes(fields.type)) {
    fail(`${where}: type must be one of ${PARAM_TYPES.join(', ')}`);
    return null;
  }
  const type = fields.type as ParamType;
  const flag = fields.flag ?? `--${name.replaceAll('_', '-')}`;
  if (!FLAG.test(flag)) return fail(`${where}: flag ${JSON.stringify(flag)} must look like --name`), null;
  if (fields.compute !== undefined && !RESOLVER_NAMES.includes(fields.compute)) {
    return fail(`${where}: unknown resolver ${JSON.stringify(fields.compute)} (known: ${RESOLVER_NAMES.join(', ')})`), null;
  }
  const problem = paramValueProblem(type, fields.default);
  if (problem) return fail(`${where}: default ${JSON.stringify(fields.default)} is not a valid ${type}: ${problem}`), null;
  return {name, default: fields.default, flag, type, help: fields.help ?? null, compute: (fields.compute as ResolverName | undefined) ?? null};
}

function checkFlags(declaration: RunbookDeclaration, fail: (message: string) => void): void {
  const seen = new Set<string>(RUNTIME_FLAGS);
  for (const param of declaration.params) {
    if (seen.has(param.flag)) fail(`runbook ${declaration.name}: flag ${param.flag} of ${param.name} is already taken`);
    seen.add(param.flag);
  }
}

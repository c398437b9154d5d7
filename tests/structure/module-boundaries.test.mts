// The src/ folders depend on each other in one direction only: no import cycle between top-level
// folders, the plan contract depends on nothing but the pure text helpers, and extraction and the
// programs that run its output (runner, netcheck) never import each other.
//
// Each folder that others use has one entry module, `src/<folder>/index.mts`, exporting its public
// surface; an import from another src/ folder or from docusaurus.config.ts reaches nothing else,
// and the folder's README (section "Public surface") names every export. A folder whose surface
// has a part free of Node that the browser needs while the rest is Node-only (src/io) may also
// have `browser.mts`, that part alone: a barrel is not tree-shaken by every bundler, so the
// browser must never import one that re-exports Node code. Exempt, on purpose: tests/ and bench/
// (a unit test exercises the internal file it names), and what Docusaurus loads by path (the
// plugins docusaurus.config.ts lists, the theme, the components pages import with `@site/src/…`):
// each README names those files as its entry points.
// The modules the browser runs (every .tsx file and what it imports, and every browser.mts) import
// no `node:` module, so an entry the browser bundle reaches stays browser-safe.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {describe, expect, it} from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SRC = path.join(ROOT, 'src');
const ENTRY = 'index.mts';
const BROWSER_ENTRY = 'browser.mts';
/** Static `import … from` and `export … from` statements: [whole statement, specifier]. */
const IMPORT = /^\s*(?:import|export)\s[^'";]*?from\s+['"]([^'"]+)['"]/gm;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, {recursive: true, withFileTypes: true})
    .filter((e) => e.isFile() && /\.(mts|mjs|ts|tsx)$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

function folderOf(file: string): string {
  return path.relative(SRC, file).split(path.sep)[0];
}

/** Folder → the other src/ folders its files import (static `import … from` and `export … from`). */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(SRC)) {
    const from = folderOf(file);
    const deps = graph.get(from) ?? new Set<string>();
    graph.set(from, deps);
    const text = fs.readFileSync(file, 'utf8');
    for (const [, spec] of text.matchAll(IMPORT)) {
      if (!spec.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), spec);
      if (!target.startsWith(SRC + path.sep)) continue;
      const to = folderOf(target);
      if (to !== from) deps.add(to);
    }
  }
  return graph;
}

/** A cycle as a path of folders, or null. */
function findCycle(graph: Map<string, Set<string>>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    if (state.get(node) === 'done') return null;
    if (state.get(node) === 'open') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

function folders(): string[] {
  return fs.readdirSync(SRC, {withFileTypes: true}).filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

/** The imports in `text` (of `file`) that reach into another src/ folder past its entry module. */
function pastTheEntry(file: string, text: string): string[] {
  const from = file.startsWith(SRC + path.sep) ? folderOf(file) : null;
  const found: string[] = [];
  for (const [, spec] of text.matchAll(IMPORT)) {
    if (!spec.startsWith('.')) continue;
    const target = path.resolve(path.dirname(file), spec);
    if (!target.startsWith(SRC + path.sep)) continue;
    const to = folderOf(target);
    if (to !== from && ![ENTRY, BROWSER_ENTRY].some((entry) => target === path.join(SRC, to, entry))) found.push(`${path.relative(ROOT, file)}: ${spec}`);
  }
  return found;
}

/** The names a module exports (`export {a, type B} from`, `export function f`, `export const x`…). */
function exportedNames(text: string): string[] {
  const names = new Set<string>();
  for (const [, list] of text.matchAll(/^export\s+(?:type\s+)?\{([^}]*)\}/gm)) {
    for (const item of list.split(',').map((s) => s.trim()).filter(Boolean)) names.add(item.split(/\s+as\s+/).pop()!.replace(/^type\s+/, ''));
  }
  for (const [, name] of text.matchAll(/^export\s+(?:async\s+)?(?:function\*?|const|let|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/gm)) names.add(name);
  return [...names].sort();
}

/** A README's "## Public surface" section, or null. */
function publicSurface(readme: string): string | null {
  const match = /^## Public surface\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme);
  return match ? match[1] : null;
}

/** Every file the browser bundle runs from src/ (the .tsx files and what they import, `import type`
 *  and `export type` aside), and every browser.mts entry with what it imports. */
function browserModules(): string[] {
  const seen = new Set<string>();
  const pending = sourceFiles(SRC).filter((f) => f.endsWith('.tsx') || path.basename(f) === BROWSER_ENTRY);
  while (pending.length) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [statement, spec] of fs.readFileSync(file, 'utf8').matchAll(IMPORT)) {
      if (!spec.startsWith('.') || /^\s*(?:import|export)\s+type\s/.test(statement)) continue;
      let target = path.resolve(path.dirname(file), spec);
      if (!fs.existsSync(target) || fs.statSync(target).isDirectory()) {
        target = ['.tsx', '.ts', '/index.tsx', '/index.ts'].map((ext) => target + ext).find((f) => fs.existsSync(f)) ?? target;
      }
      if (/\.(mts|ts|tsx|mjs)$/.test(target) && fs.existsSync(target)) pending.push(target);
    }
  }
  return [...seen];
}

describe('src/ module boundaries', () => {
  const graph = folderGraph();

  it('sees the folders and their imports', () => {
    expect(graph.get('extraction')).toContain('plan');
    expect(graph.get('runner')).toContain('plan');
  });

  it('has no import cycle between top-level folders', () => {
    expect(findCycle(graph)).toBeNull();
  });

  it('finds a cycle when there is one (the check itself works)', () => {
    expect(findCycle(new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a'])]]))).toEqual(['a', 'b', 'c', 'a']);
  });

  it('the plan contract imports no other src/ folder but the pure text helpers; extraction and the programs never import each other', () => {
    const planImports = sourceFiles(path.join(SRC, 'plan')).flatMap((file) => [...fs.readFileSync(file, 'utf8').matchAll(IMPORT)]
      .filter(([, spec]) => spec.startsWith('../')).map(([, spec]) => path.relative(SRC, path.resolve(path.join(SRC, 'plan'), spec))));
    expect([...new Set(planImports)]).toEqual([path.join('io', BROWSER_ENTRY)]);
    for (const program of ['runner', 'netcheck']) {
      expect(graph.get('extraction')).not.toContain(program);
      expect(graph.get(program)).not.toContain('extraction');
    }
    expect(graph.get('extraction')).not.toContain('i18n');
  });

  it('every src/ folder has a README stating its contract', () => {
    const missing = folders().filter((f) => !fs.existsSync(path.join(SRC, f, 'README.md')));
    expect(missing).toEqual([]);
  });

  it('an import from another folder, or from docusaurus.config.ts, names the folder\'s entry module', () => {
    const files = [...sourceFiles(SRC), path.join(ROOT, 'docusaurus.config.ts')];
    expect(files.flatMap((file) => pastTheEntry(file, fs.readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('rejects an import past the entry (the check itself works)', () => {
    const file = path.join(SRC, 'runner', 'x.mts');
    const text = "import {redact} from '../proxy/redact.mts';\nimport type {Env} from '../io/index.mts';\nimport {EXIT} from './flags.mts';\n";
    expect(pastTheEntry(file, text)).toEqual(['src/runner/x.mts: ../proxy/redact.mts']);
  });

  it('each README\'s "Public surface" names its entry module and every name it exports', () => {
    const unstated: string[] = [];
    for (const folder of folders()) {
      const surface = publicSurface(fs.readFileSync(path.join(SRC, folder, 'README.md'), 'utf8'));
      if (surface === null) {
        unstated.push(`${folder}: no "## Public surface" section`);
        continue;
      }
      for (const file of [ENTRY, BROWSER_ENTRY]) {
        const entry = path.join(SRC, folder, file);
        if (!fs.existsSync(entry)) continue;
        if (!surface.includes(`\`${file}\``)) unstated.push(`${folder}: ${file}`);
        for (const name of exportedNames(fs.readFileSync(entry, 'utf8'))) {
          if (!new RegExp(`\`[^\`]*\\b${name.replace(/\$/g, '\\$')}\\b[^\`]*\``).test(surface)) unstated.push(`${folder}: ${name}`);
        }
      }
    }
    expect(unstated).toEqual([]);
  });

  it('what the browser runs imports no node: module', () => {
    const modules = browserModules();
    expect(modules.map((f) => path.relative(SRC, f))).toContain(path.join('proxy', 'predict.mts'));
    const nodeOnly = modules.filter((f) => /^\s*import\s(?!type\s)[^'";]*?from\s+['"]node:/m.test(fs.readFileSync(f, 'utf8')));
    expect(nodeOnly.map((f) => path.relative(ROOT, f))).toEqual([]);
  });
});

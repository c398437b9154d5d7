// The src/ folders depend on each other in one direction only: no import cycle between top-level
// folders, the plan contract depends on nothing but the pure text helpers, and extraction and the programs that run its
// output (runner, netcheck) never import each other.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {describe, expect, it} from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../../src');

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
    for (const [, spec] of text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
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
    const planImports = sourceFiles(path.join(SRC, 'plan')).flatMap((file) =>
      [...fs.readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"](\.\.\/[^'"]+)['"]/gm)].map((m) => path.relative(SRC, path.resolve(path.dirname(file), m[1]!))));
    expect([...new Set(planImports)]).toEqual(['io/text.mts']);
    for (const program of ['runner', 'netcheck']) {
      expect(graph.get('extraction')).not.toContain(program);
      expect(graph.get(program)).not.toContain('extraction');
    }
    expect(graph.get('extraction')).not.toContain('i18n');
  });

  it('every src/ folder has a README stating its contract', () => {
    const folders = fs.readdirSync(SRC, {withFileTypes: true}).filter((e) => e.isDirectory()).map((e) => e.name);
    const missing = folders.filter((f) => !fs.existsSync(path.join(SRC, f, 'README.md')));
    expect(missing).toEqual([]);
  });
});

// Static checks of what setup-mirrors writes, for machines without Docker: Compose's merge rules
// for the keys the override uses (https://docs.docker.com/reference/compose-file/merge/), and a
// Dockerfile reader that splits a file into instructions the way BuildKit's parser does.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type {Code} from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkParse from 'remark-parse';
import {unified} from 'unified';
import {visit} from 'unist-util-visit';
import {parse} from 'yaml';

type Mapping = Record<string, unknown>;

const isMapping = (value: unknown): value is Mapping => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `environment`, `labels`, build `args`: a list of `KEY=value` (or bare `KEY`) is the same as a mapping. */
export function asMapping(value: unknown): Mapping {
  if (value === undefined || value === null) return {};
  if (isMapping(value)) return value;
  if (!Array.isArray(value)) throw new Error(`expected a list or a mapping, got ${JSON.stringify(value)}`);
  return Object.fromEntries(
    value.map((entry) => {
      const text = String(entry);
      const eq = text.indexOf('=');
      return eq === -1 ? [text, null] : [text.slice(0, eq), text.slice(eq + 1)];
    }),
  );
}

export interface VolumeMount {
  source: string | null;
  target: string;
  read_only: boolean;
}

/** A service volume, short (`[SOURCE:]TARGET[:MODE]`) or long syntax, in its long form. */
export function asVolume(value: unknown): VolumeMount {
  if (isMapping(value)) return {source: (value.source as string) ?? null, target: String(value.target), read_only: value.read_only === true};
  const parts = String(value).split(':');
  if (parts.length === 1) return {source: null, target: parts[0], read_only: false};
  const [source, target, mode = 'rw'] = parts;
  return {source, target, read_only: mode.split(',').includes('ro')};
}

/** `[[IP:]PUBLISHED:]TARGET[/PROTOCOL]`, the short port syntax, as the key Compose keeps ports unique by. */
export function portKey(value: unknown): string {
  if (isMapping(value)) return [value.host_ip ?? '', value.published ?? '', value.target, value.protocol ?? 'tcp'].join('|');
  const [spec, protocol = 'tcp'] = String(value).split('/');
  const parts = spec.split(':');
  const target = parts.pop();
  const published = parts.pop() ?? '';
  return [parts.pop() ?? '', published, target, protocol].join('|');
}

/** `build: DIR` is `build: {context: DIR}`. */
export function asBuild(value: unknown): Mapping {
  return isMapping(value) ? value : {context: value};
}

/** Appends `more` to `base`, an entry of `more` replacing the one of `base` with the same key. */
function mergeUnique<T>(base: T[], more: T[], key: (item: T) => string): T[] {
  const replaced = new Map(more.map((item) => [key(item), item]));
  return [...base.filter((item) => !replaced.has(key(item))), ...more];
}

const REPLACED_SEQUENCES = new Set(['command', 'entrypoint']);
const MAPPING_OR_LIST = new Set(['environment', 'labels', 'args']);

/** Merges one Compose mapping onto another with the spec's rules (the keys this project uses). */
export function mergeMapping(base: Mapping, override: Mapping): Mapping {
  const merged: Mapping = {...base};
  for (const [key, value] of Object.entries(override)) {
    const old = merged[key];
    // Compose merges the expanded forms, so these keys come out expanded even when one side lacks them.
    if (MAPPING_OR_LIST.has(key)) merged[key] = {...asMapping(old), ...asMapping(value)};
    else if (key === 'build') merged[key] = mergeMapping(old === undefined ? {} : asBuild(old), asBuild(value));
    else if (key === 'volumes' && Array.isArray(value)) {
      merged[key] = mergeUnique(((old ?? []) as unknown[]).map(asVolume), value.map(asVolume), (v) => v.target);
    } else if (key === 'ports' && Array.isArray(value)) merged[key] = mergeUnique((old ?? []) as unknown[], value, portKey);
    else if (old === undefined) merged[key] = isMapping(value) ? mergeMapping({}, value) : value;
    else if (REPLACED_SEQUENCES.has(key)) merged[key] = value;
    else if (Array.isArray(old) && Array.isArray(value)) merged[key] = [...old, ...value];
    else if (isMapping(old) && isMapping(value)) merged[key] = mergeMapping(old, value);
    else merged[key] = value;
  }
  return merged;
}

export interface ComposeFile {
  services: Record<string, Mapping>;
  [key: string]: unknown;
}

export function readCompose(file: string): ComposeFile {
  const parsed = parse(fs.readFileSync(file, 'utf8')) as unknown;
  if (!isMapping(parsed) || !isMapping(parsed.services)) throw new Error(`${file}: no services mapping`);
  return parsed as ComposeFile;
}

/** What `docker compose -f base -f override config` merges, before it resolves paths. */
export function mergeCompose(base: ComposeFile, override: ComposeFile): ComposeFile {
  return mergeMapping(base, override) as ComposeFile;
}

/** The Dockerfile a service builds from: `dockerfile` (default `Dockerfile`) inside `context`, which is relative to the project dir. */
export function dockerfileOf(service: Mapping, projectDir: string): string | null {
  if (service.build === undefined) return null;
  const build = asBuild(service.build);
  const context = path.resolve(projectDir, String(build.context ?? '.'));
  return path.resolve(context, String(build.dockerfile ?? 'Dockerfile'));
}

export interface Instruction {
  keyword: string; // upper case
  args: string;
  line: number;
}

const INSTRUCTIONS = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL', 'MAINTAINER',
  'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);

/**
 * A Dockerfile's instructions: comment and empty lines skipped, `\` continuations joined (comment
 * and empty lines inside a continuation are dropped, as BuildKit does). Throws on an unknown instruction, on
 * anything but ARG before the first FROM, and on a continuation that never ends.
 */
export function parseDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending: {line: number; text: string} | null = null;
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    // Comment lines and empty lines are skipped, also inside a continuation.
    if (/^\s*#/.test(line) || line.trim() === '') return;
    const continued = /\\\s*$/.test(line);
    const piece = continued ? line.replace(/\\\s*$/, '') : line;
    pending = pending === null ? {line: index + 1, text: piece} : {line: pending.line, text: `${pending.text.trimEnd()} ${piece.trim()}`};
    if (continued) return;
    const match = /^\s*(\S+)\s*(.*)$/.exec(pending.text)!;
    const keyword = match[1].toUpperCase();
    if (!INSTRUCTIONS.has(keyword)) throw new Error(`line ${pending.line}: unknown instruction ${match[1]}`);
    instructions.push({keyword, args: match[2].trim(), line: pending.line});
    pending = null;
  });
  if (pending !== null) throw new Error(`line ${(pending as {line: number}).line}: the file ends inside a \\ continuation`);
  const first = instructions.findIndex((i) => i.keyword !== 'ARG');
  if (first === -1 || instructions[first].keyword !== 'FROM') throw new Error('the first instruction after the ARGs must be FROM');
  return instructions;
}

export interface CodeBlock {
  lang: string;
  meta: string;
  value: string;
  line: number;
}

/** The fenced code blocks of a Markdown page, as remark reads them. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const tree = unified().use(remarkParse).use(remarkFrontmatter).parse(markdown);
  const blocks: CodeBlock[] = [];
  visit(tree, 'code', (node: Code) => {
    blocks.push({lang: node.lang ?? '', meta: node.meta ?? '', value: node.value, line: node.position?.start.line ?? 0});
  });
  return blocks;
}

/**
 * The files a `COPY SRC… DEST` finds in `contextDir`, by BuildKit's rule: a source without a
 * wildcard must exist, a wildcard may match nothing, and the sources together must match something.
 */
export function copySources(args: string, contextDir: string): string[] {
  const sources = args.trim().split(/\s+/).slice(0, -1);
  const names = fs.readdirSync(contextDir);
  const found = sources.flatMap((source) => {
    if (!source.includes('*')) {
      if (!fs.existsSync(path.join(contextDir, source))) throw new Error(`COPY ${args}: ${source} not found in the build context`);
      return [source];
    }
    const pattern = new RegExp(`^${source.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);
    return names.filter((name) => pattern.test(name));
  });
  if (found.length === 0) throw new Error(`COPY ${args}: no source files were specified`);
  return found;
}
